/** Capped exponential backoff with jitter: attempt 1 waits ~base, doubling up to the cap. */
export function backoffMs(attempt: number, baseMs = 250, capMs = 8_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
