import { describe, expect, it } from 'vitest';
import { AccountDataCache, accountDataOf } from './account-data';

describe('AccountDataCache', () => {
  it('answers from the cache until the entry is older than its time to live, then asks again', async () => {
    let now = Date.UTC(2026, 11, 2, 9, 0, 0);
    const cache = new AccountDataCache(60_000, () => now);
    const account = accountDataOf(cache, 'bexio:3f9a1c');
    let reads = 0;
    const load = async () => [{ id: ++reads, name: 'CHF' }];
    expect(await account.get('currencies', load)).toEqual([{ id: 1, name: 'CHF' }]);
    now += 59_999;
    expect(await account.get('currencies', load)).toEqual([{ id: 1, name: 'CHF' }]);
    now += 1;
    expect(await account.get('currencies', load)).toEqual([{ id: 2, name: 'CHF' }]);
    account.forget('currencies');
    expect(await account.get('currencies', load)).toEqual([{ id: 3, name: 'CHF' }]);
    // Another credential has its own entry.
    expect(await accountDataOf(cache, 'bexio:77d0e2').get('currencies', load)).toEqual([{ id: 4, name: 'CHF' }]);
  });

  it('keeps no failed read, so the next job asks the vendor again', async () => {
    const cache = new AccountDataCache();
    const account = accountDataOf(cache, 'sevdesk:a1b2');
    await expect(account.get('SevUser', () => Promise.reject(new Error('sevDesk 503')))).rejects.toThrow('503');
    expect(await account.get('SevUser', async () => '4711')).toBe('4711');
  });

  it('holds at most its limit of entries, dropping the oldest', async () => {
    const cache = new AccountDataCache(60_000, Date.now, 3);
    let reads = 0;
    for (const key of ['a', 'b', 'c', 'd']) await cache.get(key, async () => ++reads);
    expect(await cache.get('a', async () => ++reads)).toBe(5);
    expect(await cache.get('d', async () => ++reads)).toBe(4);
  });
});
