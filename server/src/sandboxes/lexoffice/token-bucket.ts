/**
 * Lexware's limit is a token bucket, 2 requests per second per key over all endpoints
 * (accounting.md §1.2). Capacity defaults to the per-second budget; a live probe found the burst
 * allowance small (LX26 LIVE_FINDINGS §0), so tests can shrink it with `burst`.
 */
export class TokenBucketLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly requests: number,
    readonly perMs: number,
    readonly burst = requests,
  ) {}

  /** Takes a token for `key`; false when the bucket is empty (the vendor answers 429). */
  take(key: string, now = Date.now()): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.requests) / this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
