/**
 * Lexware timestamps: exactly `yyyy-MM-ddTHH:mm:ss.SSSXXX`, anything else is answered with 406
 * (accounting.md §1.9, docs2025 FAQ "Datetime format"). Dates are German calendar days (CET/CEST,
 * §1.7 voucherlist), so a plain `YYYY-MM-DD` becomes local midnight in Europe/Berlin.
 */
const berlinOffset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });
const berlinParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `+01:00` or `+02:00` for the Berlin wall clock at `instantMs`. */
function offsetAt(instantMs: number): string {
  const name = berlinOffset.formatToParts(new Date(instantMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

/** `2026-01-15` → `2026-01-15T00:00:00.000+01:00` (Berlin midnight). */
export function toLexDateTime(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  // Berlin switches at 01:00 UTC, so 00:00 UTC of the day has the same offset as local midnight.
  return `${date}T00:00:00.000${offsetAt(Date.parse(`${date}T00:00:00Z`))}`;
}

/** An instant in the vendor's format, Berlin wall clock (used by the sandbox for createdDate etc.). */
export function formatLexInstant(instantMs: number): string {
  const p = Object.fromEntries(berlinParts.formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  const ms = String(new Date(instantMs).getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${ms}${offsetAt(instantMs)}`;
}

/** The calendar day the vendor wrote (`2026-01-15T00:00:00.000+01:00` → `2026-01-15`), without shifting zones. */
export function lexDateToDay(value: string): string {
  return value.slice(0, 10);
}

/** `YYYY-MM-DD` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
