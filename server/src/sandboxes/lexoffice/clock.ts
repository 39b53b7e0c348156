/**
 * The Lexware emulator's clock: every timestamp it writes is German wall-clock time in the vendor's
 * only accepted pattern `yyyy-MM-ddTHH:mm:ss.SSSXXX` (https://developers.lexware.io/docs/#faq "Datetime
 * format"; docs samples such as `2017-04-24T08:20:22.528+02:00`), and voucherlist day filters are
 * CET/CEST calendar days (docs "Voucherlist Endpoint": `yyyy-MM-dd`, German time).
 */
const germanWallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instantMs: number): WallClock {
  const parts: Record<string, number> = {};
  for (const part of germanWallClock.formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

const two = (n: number) => String(n).padStart(2, '0');

/** Minutes Berlin is ahead of UTC at `instantMs` (60 in winter, 120 in summer). */
function berlinOffsetMinutes(instantMs: number): number {
  const w = wallClockAt(instantMs);
  const wallAsUtcMs = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const wholeSecondMs = Math.floor(instantMs / 1000) * 1000;
  return Math.round((wallAsUtcMs - wholeSecondMs) / 60_000);
}

/** `+01:00` / `+02:00`: the zone suffix Lexware writes for this instant. */
export function berlinOffset(instantMs: number): string {
  const minutes = berlinOffsetMinutes(instantMs);
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${two(Math.floor(Math.abs(minutes) / 60))}:${two(Math.abs(minutes) % 60)}`;
}

/** An instant as Lexware writes `createdDate`, `updatedDate`, `eventDate`, … */
export function lexTimestamp(instantMs: number): string {
  const w = wallClockAt(instantMs);
  const millis = String(((instantMs % 1000) + 1000) % 1000).padStart(3, '0');
  return `${w.year}-${two(w.month)}-${two(w.day)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}.${millis}${berlinOffset(instantMs)}`;
}

/** The German calendar day (`yyyy-MM-dd`) of an instant. */
export function berlinDay(instantMs: number): string {
  const w = wallClockAt(instantMs);
  return `${w.year}-${two(w.month)}-${two(w.day)}`;
}

/** Midnight of a German calendar day, as Lexware writes dates such as `paidDate` (`2026-01-15T00:00:00.000+01:00`). */
export function lexMidnight(day: string): string {
  // Berlin changes offset at 01:00 UTC, so noon UTC of the day carries the offset of its midnight.
  return `${day}T00:00:00.000${berlinOffset(Date.parse(`${day}T12:00:00Z`))}`;
}
