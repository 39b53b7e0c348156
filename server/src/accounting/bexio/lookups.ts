/** Per-connection caches of the account data bexio ids refer to: user, currencies, sales taxes, countries. */
import { ProviderError } from '../errors';
import type { BexioClient } from './client';

/** Per-connection lookups of account data that ids refer to (users, currencies, taxes, countries). */
export function createLookups(client: BexioClient) {
  const me = memo(() => client.me());
  const currencies = memo(() => client.currencies());
  const countries = memo(() => client.countries());
  const taxesByDate = new Map<string, ReturnType<BexioClient['salesTaxes']>>();
  return {
    userId: async () => (await me()).id,
    /** Currencies are ids per account (money.md §5.1); the code is the currency `name`. */
    async currency(code: string) {
      const found = (await currencies()).find((c) => c.name.toUpperCase() === code.toUpperCase());
      if (!found) throw new ProviderError('validation', `currency ${code} is not set up in bexio`, { provider: 'bexio' });
      return found;
    },
    /** The ISO codes of the currencies the account has set up (`GET /3.0/currencies`, `name`). */
    async currencyCodes() {
      return (await currencies()).map((c) => c.name.toUpperCase());
    },
    async currencyCodeOf(id: number) {
      return (await currencies()).find((c) => c.id === id)?.name ?? 'CHF';
    },
    salesTaxes(date: string) {
      const cached =
        taxesByDate.get(date) ??
        client.salesTaxes(date).catch((error) => {
          taxesByDate.delete(date);
          throw error;
        });
      taxesByDate.set(date, cached);
      return cached;
    },
    async countryIdFor(code: string | undefined) {
      if (!code) return null;
      return (await countries()).find((c) => c.iso3166_alpha2.toUpperCase() === code.toUpperCase())?.id ?? null;
    },
    async countryCodeOf() {
      const list = await countries();
      return (id: number) => list.find((c) => c.id === id)?.iso3166_alpha2;
    },
  };
}

/** Caches a successful result; a failure is not cached, so the next call retries. */
function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((error) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
