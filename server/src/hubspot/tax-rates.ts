/**
 * HubSpot's tax rate library (hubspot.md §6.6): a line item's `hs_tax_rate_group_id` → percentage.
 * Cached per portal for a few minutes; many accounts have none, so callers fall back to settings.
 */
import { z } from 'zod';
import { HubspotError, type HubspotClients } from './client';

const TaxRatesPage = z.object({
  results: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).transform(String),
      percentageRate: z.union([z.number(), z.string()]).transform(String),
      active: z.boolean().optional(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

const ttlMs = 5 * 60_000;

export class TaxRateCache {
  private readonly cache = new Map<string, { at: number; rates: Map<string, string> }>();

  constructor(
    private readonly hubspot: HubspotClients,
    private readonly now: () => number = Date.now,
  ) {}

  /** Percentage (decimal string) of a tax rate group, or undefined when the portal has no such rate. */
  async percentage(portalId: string, taxRateGroupId: string): Promise<string | undefined> {
    let entry = this.cache.get(portalId);
    if (!entry || this.now() - entry.at > ttlMs || !entry.rates.has(taxRateGroupId)) {
      entry = { at: this.now(), rates: await this.load(portalId) };
      this.cache.set(portalId, entry);
    }
    return entry.rates.get(taxRateGroupId);
  }

  private async load(portalId: string): Promise<Map<string, string>> {
    const rates = new Map<string, string>();
    let after: string | undefined;
    do {
      const page = await this.hubspot.call(
        portalId,
        async (c) => {
          const response = await c.apiRequest({ method: 'GET', path: '/tax-rates/v1/tax-rates', qs: { limit: 100, ...(after ? { after } : {}) } });
          if (!response.ok) throw new HubspotError(response.status, `tax rates answered ${response.status}`, await response.text());
          return TaxRatesPage.parse(await response.json());
        },
        { idempotent: true },
      );
      for (const rate of page.results) rates.set(rate.id, rate.percentageRate);
      after = page.paging?.next?.after;
    } while (after);
    return rates;
  }
}
