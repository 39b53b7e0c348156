import Bottleneck from 'bottleneck';

export interface RateLimit {
  /** At most this many requests ... */
  requests: number;
  /** ... per this many milliseconds. */
  perMs: number;
}

/**
 * One limiter per vendor credential, shared by every job in the process. Requests are spaced evenly
 * (with a small margin), so a rolling-window limit on the vendor side is never hit by us.
 */
export class RateLimiter {
  private blockedUntil = 0;
  private readonly bottleneck: Bottleneck;

  constructor(limit: RateLimit, maxConcurrent = 4) {
    const spacingMs = Math.ceil((limit.perMs / limit.requests) * 1.05);
    this.bottleneck = new Bottleneck({ minTime: spacingMs, maxConcurrent });
  }

  /** Runs `task` when the limit allows. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      const waitMs = this.blockedUntil - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      return task();
    });
  }

  /** The vendor told us to wait (Retry-After, RateLimit-Reset): hold every request on this credential. */
  blockFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, Date.now() + ms);
  }
}

export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();

  /** The limiter for `key` (vendor + credential fingerprint); created with `limit` on first use. */
  get(key: string, limit: RateLimit): RateLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter(limit);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
