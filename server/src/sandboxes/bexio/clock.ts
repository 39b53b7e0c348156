/**
 * bexio's timestamps: `"2019-04-08 13:17:32"` (docs.bexio.com samples, e.g. Contact `updated_at`), no
 * offset. Swiss local time is the community reading (accounting.md §8 #5, UNCONFIRMED by bexio).
 */
import { wallClockParts } from '../wall-clock';

/** Epoch ms → `YYYY-MM-DD HH:mm:ss` on the Zurich wall clock. */
export function zurichTimestamp(ms: number): string {
  const part = wallClockParts(ms, 'Europe/Zurich');
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}
