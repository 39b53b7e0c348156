/**
 * bexio's timestamps: `"2019-04-08 13:17:32"` (docs.bexio.com samples, e.g. Contact `updated_at`), no
 * offset. Swiss local time is the community reading (accounting.md §8 #5, UNCONFIRMED by bexio).
 */
const zurich = new Intl.DateTimeFormat('de-CH', {
  timeZone: 'Europe/Zurich',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** Epoch ms → `YYYY-MM-DD HH:mm:ss` on the Zurich wall clock. */
export function zurichTimestamp(ms: number): string {
  const part: Record<string, string> = {};
  for (const { type, value } of zurich.formatToParts(new Date(ms))) part[type] = value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}
