/**
 * Closed-won → invoice written back, per vendor: deals are moved to won one after another, as a
 * user does in HubSpot; latency runs from the stage change to the moment the number is on the deal
 * (webhook delivery, our intake, the queue, HubSpot reads, the vendor calls and the write-back).
 */
import type { ProviderId } from '../../server/src/accounting/provider';
import { endpointOf } from '../../server/src/sandboxes/recorder';
import { startBenchApp } from './env';
import { accountRates } from '../demo/session';
import { percentile, round } from './stats';

export interface InvoiceLatencyResult {
  deals: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  vendorCallsPerInvoice: number;
  hubspotCallsPerInvoice: number;
  vendor429s: number;
  /** Calls of the median deal until its number was on the deal. */
  vendorCallsToNumber: number;
  /** Vendor calls per invoice by endpoint (`METHOD /path`, ids as `:id`): where the calls go. */
  vendorCallsByEndpoint: Record<string, number>;
  hubspotCallsToNumber: number;
}

export async function benchInvoiceLatency(provider: ProviderId, deals: number, timeScale: number): Promise<InvoiceLatencyResult> {
  const app = await startBenchApp({ provider, timeScale });
  try {
    const hubspotSandbox = app.sandboxes!.hubspot;
    const vendorSandbox = app.sandboxes!.vendors[provider].sandbox;
    const portal = Number(app.portalId);
    const [standard] = accountRates(hubspotSandbox, portal, app.sandboxes!.vendors[provider].entry.accountVatRates);
    const rates = await app.hubspot('GET', '/tax-rates/v1/tax-rates');
    const rate = rates.results.find((r: { percentageRate: number }) => r.percentageRate === standard).id;
    // Set-up happens as HubSpot users do it (no API round trips); the stage change too, as in HubSpot's UI.
    const companyId = hubspotSandbox.simulateChange(portal, 'companies', undefined, {
      name: 'Bench Kunde GmbH',
      address: 'Hauptstraße 1',
      zip: '10115',
      city: 'Berlin',
      country: 'DE',
    }).id;
    await app.queue.waitFor(`portal-setup:${app.portalId}`, 'succeeded', 60_000);
    // Ordinary invoices: the bench deals have no contact with an e-mail address, which an e-invoice to a
    // business customer needs (without one the deal is skipped with that reason, and nothing is measured).
    const settings = app.services.settings;
    const current = await settings.get(app.portalId);
    await settings.save(app.portalId, await settings.prepare(app.portalId, { invoice: { ...current.invoice, eInvoiceForBusinessCustomers: false } }));
    const latencies: number[] = [];
    const vendorCallsToNumber: number[] = [];
    const hubspotCallsToNumber: number[] = [];
    hubspotSandbox.recorder.enabled = true;
    vendorSandbox.recorder.enabled = true;
    const vendorBefore = vendorSandbox.recorder.exchanges.length;
    for (let i = 0; i < deals; i++) {
      const itemId = hubspotSandbox.simulateChange(portal, 'line_items', undefined, {
        name: `Leistung ${i}`,
        quantity: '2',
        price: '49.90',
        hs_tax_rate_group_id: rate,
      }).id;
      const dealId = hubspotSandbox.simulateChange(portal, 'deals', undefined, { dealname: `Bench ${i}`, pipeline: 'default', dealstage: 'contractsent' }).id;
      hubspotSandbox.simulateAssociation(portal, 'deals', dealId, 'companies', companyId);
      hubspotSandbox.simulateAssociation(portal, 'deals', dealId, 'line_items', itemId);
      const hubspotBefore = hubspotSandbox.recorder.exchanges.length;
      const vendorAtStart = vendorSandbox.recorder.exchanges.length;
      const started = Date.now();
      hubspotSandbox.simulateChange(portal, 'deals', dealId, { dealstage: 'closedwon' });
      for (;;) {
        const record = await app.services.invoicing.records.get(app.portalId, dealId);
        if (record?.writtenBackAt) {
          latencies.push(record.writtenBackAt - started);
          // Calls made until the number is on the deal (the PDF, e-mail and payment checks come after).
          vendorCallsToNumber.push(vendorSandbox.recorder.exchanges.length - vendorAtStart);
          hubspotCallsToNumber.push(hubspotSandbox.recorder.exchanges.length - hubspotBefore);
          break;
        }
        if (Date.now() - started > 60_000) throw new Error(`deal ${dealId} was not invoiced within 60 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      // The first deal also pays for caches (pipelines, tax rates) and the customer: count from the second on.
      if (i === 0) hubspotSandbox.recorder.exchanges.splice(0, hubspotBefore);
    }
    const vendorExchanges = vendorSandbox.recorder.exchanges.slice(vendorBefore);
    const ours = hubspotSandbox.recorder.exchanges;
    return {
      deals,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(Math.max(...latencies)),
      vendorCallsPerInvoice: round(vendorExchanges.length / deals, 2),
      hubspotCallsPerInvoice: round(ours.length / deals, 2),
      vendor429s: vendorExchanges.filter((e) => e.status === 429).length,
      // The median deal (the first also creates the customer and fills caches).
      vendorCallsToNumber: percentile(vendorCallsToNumber, 50),
      vendorCallsByEndpoint: callsByEndpoint(vendorExchanges, deals),
      hubspotCallsToNumber: percentile(hubspotCallsToNumber, 50),
    };
  } finally {
    await app.close();
  }
}

/** Calls per invoice by endpoint (`endpointOf`), most frequent first. */
function callsByEndpoint(exchanges: { method: string; path: string }[], deals: number): Record<string, number> {
  const counts = new Map<string, number>();
  for (const exchange of exchanges) {
    const endpoint = endpointOf(exchange);
    counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([endpoint, n]) => [endpoint, round(n / deals, 2)]));
}
