/**
 * Account data that a vendor's ids refer to and that rarely changes — bexio's user, currencies,
 * sales taxes and countries, sevDesk's contact-person user, Qonto's main bank account — kept per
 * credential for every job of the process. A provider is built for each job, so a cache inside it
 * asked the vendor for the same account data on every invoice (the bench's calls per invoice by
 * endpoint: four such reads per bexio invoice, one per sevDesk and Qonto invoice).
 *
 * Like the process's other caches it holds only what the vendor said: an entry lives `ttlMs`, a
 * failed read is not kept, and a lookup that misses (a currency the account has just set up) drops
 * its entry and asks again once. At most `maxEntries` are kept (the oldest go first).
 */
export class AccountDataCache {
  private readonly entries = new Map<string, { value: Promise<unknown>; until: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const at = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > at) return hit.value as Promise<T>;
    if (hit) this.entries.delete(key);
    const value = load();
    this.entries.set(key, { value, until: at + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** The cache of one credential: keys are prefixed with the vendor and the credential's fingerprint. */
export interface AccountData {
  get<T>(name: string, load: () => Promise<T>): Promise<T>;
  forget(name: string): void;
}

export function accountDataOf(cache: AccountDataCache | undefined, prefix: string): AccountData {
  // Without a process-wide cache (a provider built on its own, as in tests), one for this provider alone.
  const store = cache ?? new AccountDataCache();
  return {
    get: (name, load) => store.get(`${prefix}:${name}`, load),
    forget: (name) => store.forget(`${prefix}:${name}`),
  };
}
