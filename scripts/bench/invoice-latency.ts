/**
 * Closed-won → invoice written back, per vendor: deals are moved to won one after another through
 * HubSpot's API; latency runs from the stage change to the moment the number is on the deal.
 */
import type { ProviderId } from '../../server/src/accounting/provider';
import { startBenchApp } from './env';
import { percentile, round } from './stats';

export interface InvoiceLatencyResult {
  deals: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  vendorCallsPerInvoice: number;
  hubspotCallsPerInvoice: number;
  vendor429s: number;
}

export async function benchInvoiceLatency(provider: ProviderId, deals: number, timeScale: number): Promise<InvoiceLatencyResult> {
  const app = await startBenchApp({ provider, timeScale });
  try {
    const hubspotSandbox = app.sandboxes!.hubspot;
    const vendorSandbox = app.sandboxes!.vendors[provider].sandbox;
    const rates = await app.hubspot('GET', '/tax-rates/v1/tax-rates');
    const rate19 = rates.results.find((r: { percentageRate: number }) => r.percentageRate === 19).id;
    const company = await app.hubspot('POST', '/crm/v3/objects/companies', { properties: { name: 'Bench Kunde GmbH', address: 'Hauptstraße 1', zip: '10115', city: 'Berlin', country: 'DE' }, associations: [] });
    await app.queue.waitFor(`portal-setup:${app.portalId}`, 'succeeded', 60_000);
    const latencies: number[] = [];
    hubspotSandbox.recorder.enabled = true;
    vendorSandbox.recorder.enabled = true;
    const vendorBefore = vendorSandbox.recorder.exchanges.length;
    for (let i = 0; i < deals; i++) {
      const item = await app.hubspot('POST', '/crm/v3/objects/line_items', { properties: { name: `Leistung ${i}`, quantity: '2', price: '49.90', hs_tax_rate_group_id: rate19 }, associations: [] });
      const deal = await app.hubspot('POST', '/crm/v3/objects/deals', {
        properties: { dealname: `Bench ${i}`, pipeline: 'default', dealstage: 'contractsent' },
        associations: [
          { to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }] },
          { to: { id: item.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 19 }] },
        ],
      });
      const hubspotBefore = hubspotSandbox.recorder.exchanges.length;
      const started = Date.now();
      await app.hubspot('PATCH', `/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: 'closedwon' } });
      for (;;) {
        const record = app.services.invoicing.records.get(app.portalId, deal.id);
        if (record?.writtenBackAt) {
          latencies.push(record.writtenBackAt - started);
          break;
        }
        if (Date.now() - started > 60_000) throw new Error(`deal ${deal.id} was not invoiced within 60 s`);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (i === 0) hubspotSandbox.recorder.exchanges.splice(0, hubspotBefore);
    }
    const vendorExchanges = vendorSandbox.recorder.exchanges.slice(vendorBefore);
    const ours = hubspotSandbox.recorder.exchanges.filter((e) => String(e.requestHeaders.authorization ?? '') !== `Bearer ${app.privateToken}`);
    return {
      deals,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(Math.max(...latencies)),
      vendorCallsPerInvoice: round(vendorExchanges.length / deals, 2),
      hubspotCallsPerInvoice: round(ours.length / deals, 2),
      vendor429s: vendorExchanges.filter((e) => e.status === 429).length,
    };
  } finally {
    await app.close();
  }
}
