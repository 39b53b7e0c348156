/**
 * bexio's limit is "per company per minute" with `RateLimit-Limit/-Remaining/-Reset` (seconds until
 * the window resets) on responses (accounting.md §3.2), which reads as a fixed window; this emulates it per token.
 */
export class FixedWindowLimit {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    readonly requests: number,
    readonly perMs: number,
    private readonly now: () => number,
  ) {}

  /** Counts a request for `key`; `allowed` false when the window is used up. */
  take(key: string): { allowed: boolean; remaining: number; resetSeconds: number } {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.perMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    const resetSeconds = Math.max(1, Math.ceil((window.startedAt + this.perMs - now) / 1000));
    if (window.count >= this.requests) return { allowed: false, remaining: 0, resetSeconds };
    window.count++;
    return { allowed: true, remaining: this.requests - window.count, resetSeconds };
  }
}
