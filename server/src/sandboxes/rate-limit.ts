/** Rolling-window request limit for an emulator, per credential (the vendor's documented limit by default). */
export class SlidingWindowLimit {
  private readonly hits = new Map<string, number[]>();

  constructor(
    public requests: number,
    public perMs: number,
  ) {}

  /** Records a request for `key`; returns ms to wait when over the limit, else 0. */
  take(key: string, now = Date.now()): number {
    const windowStart = now - this.perMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > windowStart);
    if (list.length >= this.requests) {
      this.hits.set(key, list);
      return list[0] + this.perMs - now;
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }
}
