/**
 * Client-side rate limiting shared by every outside API we call (HubSpot and the accounting vendors):
 * one limiter per credential, even spacing, and the vendor's Retry-After honoured.
 */
import Bottleneck from 'bottleneck';

export interface RateLimit {
  /** At most this many requests ... */
  requests: number;
  /** ... per this many milliseconds. */
  perMs: number;
}

/**
 * Where request slots are reserved when several instances share one limit (PostgreSQL deployments:
 * db/rate-slots.ts). Without one, the slots live in this process.
 */
export interface SlotStore {
  /** Reserves the next start on `key`: the latest of now, the blocked-until time and the next free slot; the slot after it is one spacing later. */
  reserve(key: string, spacingMs: number, now: number): Promise<number>;
  /** The outside API told us to wait until `until` (epoch ms): no instance starts a request on `key` before. */
  block(key: string, until: number): Promise<void>;
}

/**
 * One limiter per vendor credential (per HubSpot portal; per calling IP where the vendor counts by
 * IP), shared by every job in the process, and through a `SlotStore` by every instance. Requests are
 * spaced evenly (with a small margin), so a rolling-window limit on the vendor side is never hit by us.
 */
export class RateLimiter {
  private blockedUntil = 0;
  /** Earliest start of the next request: each start reserves its slot, so none start together. */
  private nextSlot = 0;
  private readonly bottleneck: Bottleneck;
  private readonly spacingMs: number;

  constructor(
    private readonly limit: RateLimit,
    maxConcurrent = 4,
    private readonly shared?: { store: SlotStore; key: string },
  ) {
    // 5 % of slack: timers fire a little late or early, and the vendor counts arrivals; the rare
    // 429 that still slips through is retried after a few slots (retryWaitMs).
    this.spacingMs = (limit.perMs / limit.requests) * 1.05;
    this.bottleneck = new Bottleneck({ minTime: this.spacingMs, maxConcurrent });
  }

  /**
   * How long to wait after a 429 that named no Retry-After: a few request slots, doubling, never
   * more than one whole window (after a window the vendor's count has cleared).
   */
  retryWaitMs(attempt: number): number {
    const slots = this.spacingMs * 2 ** Math.max(0, attempt - 1);
    return Math.round(Math.min(this.limit.perMs, slots) * (0.75 + Math.random() * 0.5));
  }

  /** Runs `task` when the limit allows. */
  schedule<T>(task: () => Promise<T>): Promise<T> {
    return this.bottleneck.schedule(async () => {
      // Requests that waited out a Retry-After together still start one slot apart, not in a burst.
      const start = await this.reserve();
      const waitMs = start - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      return task();
    });
  }

  private async reserve(): Promise<number> {
    const local = Math.max(Date.now(), this.blockedUntil, this.nextSlot);
    if (!this.shared) {
      this.nextSlot = local + this.spacingMs;
      return local;
    }
    try {
      return Math.max(local, await this.shared.store.reserve(this.shared.key, this.spacingMs, Date.now()));
    } catch {
      // The database is briefly unreachable: this process's own spacing still holds.
      this.nextSlot = local + this.spacingMs;
      return local;
    }
  }

  /** The vendor told us to wait (Retry-After, RateLimit-Reset): hold every request on this credential. */
  blockFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, Date.now() + ms);
    void this.shared?.store.block(this.shared.key, this.blockedUntil).catch(() => undefined);
  }
}

export class RateLimiterRegistry {
  private readonly limiters = new Map<string, RateLimiter>();

  /**
   * `timeScale` < 1 shortens every window (tests and benchmarks against sandboxes scaled the same way).
   * `store`: the slots shared by every instance (PostgreSQL); without it each process keeps its own.
   */
  constructor(
    private readonly timeScale = 1,
    private readonly store?: SlotStore,
  ) {}

  /** The limiter for `key` (vendor + credential fingerprint); created with `limit` on first use. */
  get(key: string, limit: RateLimit): RateLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RateLimiter(scaleLimit(limit, this.timeScale), 4, this.store ? { store: this.store, key } : undefined);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The same number of requests in a window `scale` times as long. */
export function scaleLimit(limit: RateLimit, scale: number): RateLimit {
  return scale === 1 ? limit : { requests: limit.requests, perMs: Math.max(1, Math.round(limit.perMs * scale)) };
}

/**
 * The wait a 429/503 names in `Retry-After` (seconds or an HTTP date), in ms; undefined when absent
 * or unreadable (RFC 9110 §10.2.3, https://www.rfc-editor.org/rfc/rfc9110#field.retry-after).
 */
export function parseRetryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
