/**
 * A won deal's line items reach every accounting system: the deal is read as HubSpot answers it, with the
 * line item association group under `"line items"` (with a space) and the primary company listed twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type ProviderId } from '../../src/accounting/provider';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe } from '../helpers/vendors';

const lines = [
  { name: 'Konzeption und Informationsarchitektur für das Kundenportal der Bäckerei Hölzl', quantity: '1', price: '2400.00', rate: '19' },
  { name: 'Fachbuch „Barrierefreiheit im Web“ – Übergabe an die Geschäftsführung', quantity: '3', price: '39.90', rate: '7' },
  { name: 'Schulung der Mitarbeiter in Zürich (steuerfreie Ausfuhrleistung, Größe: 12 Personen)', quantity: '2', price: '650.00', rate: '0' },
];

const swiss: Record<string, string> = { '19': '8.1', '7': '2.6', '0': '0' };

describe('a won deal with three line items', () => {
  let t: TestApiup;
  let user: HubspotUser;

  beforeAll(async () => {
    t = await startTestApiup();
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    // Line items, not e-invoices, are under test (einvoice.e2e.test.ts covers those).
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { eInvoiceForBusinessCustomers: false } } });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('is read from HubSpot with the line items under "line items" and the primary company twice', async () => {
    const pipeline = await user.createPipeline('Großkunden Süd');
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: lines.map(({ rate, ...p }) => ({ ...p, hs_tax_rate_group_id: rates[rate] })),
    });
    const raw = await user.api('GET', `/crm/v3/objects/deals/${deal.dealId}?associations=line_items,companies,contacts,quotes`);
    expect(Object.keys(raw.associations).sort()).toEqual(['companies', 'contacts', 'line items']);
    expect(raw.associations['line items'].results).toEqual(deal.lineItemIds.map((id) => ({ id, type: 'deal_to_line_item' })));
    expect(raw.associations.companies.results).toEqual([
      { id: deal.companyId, type: 'deal_to_company' },
      { id: deal.companyId, type: 'deal_to_company_unlabeled' },
    ]);
  });

  it('keeps every line of a deal with more line items than HubSpot lists in one association group (100)', async () => {
    const pipeline = await user.createPipeline('Rahmenvertrag Ersatzteile');
    const many = Array.from({ length: 105 }, (_, i) => ({
      name: `Ersatzteil Nr. ${i + 1} – Dichtungsring Größe ${(i % 9) + 1}`,
      quantity: '1',
      price: '4.20',
    }));
    const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.openStageId, lineItems: many });
    const raw = await user.api('GET', `/crm/v3/objects/deals/${deal.dealId}?associations=line_items`);
    expect(raw.associations['line items'].results).toHaveLength(100);
    expect(raw.associations['line items'].paging.next.after).toEqual(expect.any(String));
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
    expect(preview.lines, JSON.stringify(preview).slice(0, 600)).toHaveLength(105);
    expect(new Set(preview.lines.map((l: { net: string }) => l.net))).toEqual(new Set(['4.20']));
  });

  it.each(providerIds)('becomes exactly those three lines on %s', async (provider: ProviderId) => {
    const vendor = vendorProbe(t.sandboxes!, provider);
    await t.services.connections.connect(t.portalId, provider, vendor.credentials);
    const pipeline = await user.createPipeline(`Projekte ${provider}`);
    // A bexio account is Swiss (8.1 / 2.6 / 0 %); its seller keeps those rates in HubSpot's tax library.
    const taxed = provider === 'bexio' ? lines.map((l) => ({ ...l, rate: swiss[l.rate] })) : lines;
    if (provider === 'bexio')
      for (const [percent, name] of [
        ['8.1', 'CH_MWST_8_1'],
        ['2.6', 'CH_MWST_2_6'],
      ])
        t.sandboxes!.hubspot.addTaxRate(Number(t.portalId), { name, label: `MWST ${percent} %`, percentageRate: percent });
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Website-Relaunch und Wartung Müller GmbH 2027',
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', address: 'Königstraße 12', zip: '70173', city: 'Stuttgart', country: 'DE' },
      lineItems: taxed.map(({ rate, ...p }) => ({ ...p, hs_tax_rate_group_id: rates[rate] })),
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 60_000);
    expect(job.lastError).toBeNull();
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    const made = vendor.documentLines(String(record.documentId));
    expect(made).toHaveLength(3);
    made.forEach((line, i) => {
      expect(line.text.startsWith(lines[i].name.slice(0, 40)), `${line.text} ← ${lines[i].name}`).toBe(true);
      expect(line.taxRate).toBe(Number(taxed[i].rate));
    });
  });
});
