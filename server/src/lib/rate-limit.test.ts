import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiter } from './rate-limit';

afterEach(() => vi.useRealTimers());

describe('RateLimiter', () => {
  it('starts requests that waited out a Retry-After together one slot apart, not in a burst', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const limiter = new RateLimiter({ requests: 2, perMs: 100 });
    limiter.blockFor(500);
    const starts: number[] = [];
    const done = Promise.all(Array.from({ length: 8 }, () => limiter.schedule(async () => void starts.push(Date.now()))));
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(starts).toHaveLength(8);
    expect(starts[0]).toBeGreaterThanOrEqual(1_000_500);
    // 2 per 100 ms with 5 % slack: 52.5 ms between starts, so any three starts span more than one window.
    for (let i = 1; i < starts.length; i++) expect(starts[i] - starts[i - 1]).toBeGreaterThanOrEqual(52);
    for (let i = 2; i < starts.length; i++) expect(starts[i] - starts[i - 2]).toBeGreaterThan(100);
  });
});
