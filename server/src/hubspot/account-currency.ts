/**
 * The HubSpot account's company currency: what a deal without `deal_currency_code` is in. HubSpot
 * answers it as `companyCurrency` from `GET /account-info/v3/details` (spec accountInfo.json, scope
 * `oauth`; https://developers.hubspot.com/docs/api-reference/latest/account/account-information/get-account-details).
 * Cached per portal; an admin rarely changes it, and a changed one is seen within the hour.
 */
import { z } from 'zod';
import { HubspotError, type HubspotClients } from './client';

const AccountDetails = z.object({ companyCurrency: z.string().regex(/^[A-Za-z]{3}$/) });

const ttlMs = 60 * 60_000;

export class AccountCurrencyCache {
  private readonly cache = new Map<string, { at: number; currency: string }>();

  constructor(
    private readonly hubspot: HubspotClients,
    private readonly now: () => number = Date.now,
  ) {}

  /** ISO 4217, upper case. */
  async companyCurrency(portalId: string): Promise<string> {
    const cached = this.cache.get(portalId);
    if (cached && this.now() - cached.at <= ttlMs) return cached.currency;
    const details = await this.hubspot.call(
      portalId,
      async (c) => {
        const response = await c.apiRequest({ method: 'GET', path: '/account-info/v3/details' });
        if (!response.ok) throw new HubspotError(response.status, `account details answered ${response.status}`, await response.text());
        return AccountDetails.parse(await response.json());
      },
      { idempotent: true },
    );
    const currency = details.companyCurrency.toUpperCase();
    this.cache.set(portalId, { at: this.now(), currency });
    return currency;
  }
}
