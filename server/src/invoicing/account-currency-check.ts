/**
 * A vendor that takes any currency (`moneyRules.currencies` is `any`) still invoices only in the currencies the
 * connected account has set up (bexio: `GET /3.0/currencies`). The preview and the run ask the account and
 * refuse a deal currency it lacks before anything is sent, with the account's list in the reason.
 */
import type { AccountingProvider } from '../accounting/provider';

export interface AccountCurrencyNotice {
  code: 'currency_not_in_account';
  blocking: true;
  params: { currency: string; supported: string };
}

export async function checkAccountCurrency(provider: AccountingProvider, currency: string): Promise<AccountCurrencyNotice | undefined> {
  if (!provider.accountCurrencies || provider.moneyRules.currencies !== 'any') return undefined;
  const held = await provider.accountCurrencies();
  if (held.includes(currency.toUpperCase())) return undefined;
  return { code: 'currency_not_in_account', blocking: true, params: { currency, supported: held.join(', ') } };
}
