/** Lookups of the account data bexio ids refer to: user, currencies, sales taxes, countries (cached per credential, account-data.ts). */
import type { AccountData } from '../account-data';
import { ProviderError } from '../errors';
import type { BexioClient } from './client';

export function createLookups(client: BexioClient, cache: AccountData) {
  const me = () => cache.get('users/me', () => client.me());
  const currencies = () => cache.get('currencies', () => client.currencies());
  const countries = () => cache.get('countries', () => client.countries());
  const findCurrency = async (code: string) => (await currencies()).find((c) => c.name.toUpperCase() === code.toUpperCase());
  return {
    userId: async () => (await me()).id,
    /** Currencies are ids per account (money.md §5.1); the code is the currency `name`. One that is missing is asked for once more (just set up). */
    async currency(code: string) {
      let found = await findCurrency(code);
      if (!found) {
        cache.forget('currencies');
        found = await findCurrency(code);
      }
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
      return cache.get(`taxes:${date}`, () => client.salesTaxes(date));
    },
    /** A tax rate without a tax in the cached list: the list is asked for once more (a tax just activated). */
    refreshSalesTaxes(date: string) {
      cache.forget(`taxes:${date}`);
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
