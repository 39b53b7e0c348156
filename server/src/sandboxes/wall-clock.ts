/**
 * A vendor's wall clock: the calendar and clock fields (two digits each, 24 h) of an instant in the
 * vendor's time zone, and that zone's offset then (`+01:00`, `+02:00`). Shared by the emulators whose
 * vendors write local time (bexio: Zurich, sevDesk: Berlin).
 */
const formats = new Map<string, Intl.DateTimeFormat>();

export interface WallClockParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  /** `+hh:mm` east of UTC, `-hh:mm` west of it. */
  offset: string;
}

export function wallClockParts(ms: number, timeZone: string): WallClockParts {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formats.set(timeZone, format);
  }
  const part: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(new Date(ms))) part[type] = value;
  const offset = part.timeZoneName === 'GMT' ? '+00:00' : part.timeZoneName.slice(3);
  return { year: part.year, month: part.month, day: part.day, hour: part.hour, minute: part.minute, second: part.second, offset };
}
