import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds } from '../../src/accounting/provider';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

describe.each(providerIds)('invoicing on closed won through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, providerId);
    sandboxes.hubspot.recorder.enabled = true;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    const connect = await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: providerId, credentials: vendor.credentials } });
    expect(connect.status).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    const rules = await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      // Ordinary invoices here; e-invoices have their own suite (einvoice.e2e.test.ts).
      body: {
        invoice: {
          eInvoiceForBusinessCustomers: false,
          texts: {
            title: 'Rechnung {{deal.name}}',
            introduction: 'Für {{company.name}}, z. Hd. {{contact.firstname}} {{contact.lastname}}',
            paymentTerms: 'Zahlbar in 14 Tagen',
            closingText: 'Vielen Dank!',
          },
        },
      },
    });
    expect(rules.status).toBe(200);
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('creates one finalized invoice with customer, lines and totals, then writes number, date and payment date back', async () => {
    const pipeline = await user.createPipeline();
    // A bexio account is Swiss and has only Swiss rates (8.1 / 2.6 / 0 %), so its user keeps those in HubSpot's tax library.
    const [standard, reduced] = providerId === 'bexio' ? ['8.1', '2.6'] : ['19', '7'];
    if (providerId === 'bexio') {
      const portal = t.sandboxes!.hubspot.store.portal(Number(t.portalId))!;
      const now = Date.now();
      portal.taxRates.push(
        { id: '1081', name: 'CH_MWST_8_1', label: 'MWST 8.1 %', percentageRate: '8.1', active: true, createdAt: now, updatedAt: now },
        { id: '1026', name: 'CH_MWST_2_6', label: 'MWST 2.6 %', percentageRate: '2.6', active: true, createdAt: now, updatedAt: now },
      );
    }
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: [
        { name: 'Design', quantity: '2', price: '450.00', hs_tax_rate_group_id: rates[standard] },
        { name: 'Fachbuch', quantity: '1', price: '30.00', hs_tax_rate_group_id: rates[reduced], hs_discount_percentage: '10' },
        { name: 'Export service', quantity: '1', price: '100.00', hs_tax_rate_group_id: rates['0'] },
      ],
    });
    // 900.00 @ 19 % + 27.00 @ 7 % + 100.00 @ 0 % → tax 171.00 + 1.89: every EUR vendor's rule gives the same here.
    // bexio: 900.00 @ 8.1 % + 27.00 @ 2.6 % → tax 72.90 + 0.702 = 73.602; 1100.602 → EUR round_factor 0.01 → 1100.60.
    const totals = providerId === 'bexio' ? { net: '1027.00', tax: '73.60', gross: '1100.60' } : { net: '1027.00', tax: '172.89', gross: '1199.89' };
    // No invoice yet. Creating the deal (open stage) sends a stage webhook too: once it is in, the card knows the
    // deal's invoice job (which found nothing to do), so the answer is 404 or a 200 without an invoice.
    const before = await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`);
    if (before.status === 200) expect((await before.json()).invoice).toBeNull();
    else expect(before.status).toBe(404);
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'en' })).json();
    expect(preview).toMatchObject({ customer: { name: 'ACME GmbH', action: 'create' }, currency: 'EUR', skip: null, totals });
    expect(preview.lines.map((l: { net: string; taxRatePercent: string }) => [l.net, l.taxRatePercent])).toEqual([
      ['900.00', standard],
      ['27.00', reduced],
      ['100.00', '0'],
    ]);

    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    expect(job.lastError).toBeNull();
    expect(vendor.documentCount()).toBe(1);

    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    expect(card.invoice).toMatchObject({ status: expect.stringMatching(/created|sent/), kind: 'invoice', provider: providerId, currency: 'EUR' });
    expect(card.invoice.totals).toEqual(totals);
    expect(card.invoice.number).toMatch(/\S+/);
    expect(card.invoice.pdfUrl).toContain('/files/invoices/');
    const pdf = await fetch(card.invoice.pdfUrl);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('%PDF');

    const props = await user.dealProperties(deal.dealId, ['apiup_invoice_number', 'apiup_invoice_date']);
    expect(props).toEqual(expect.objectContaining({ apiup_invoice_number: card.invoice.number, apiup_invoice_date: card.invoice.date }));

    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    const today = new Date().toISOString().slice(0, 10);
    vendor.markPaid(record.documentId!, today);
    await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, 'succeeded', 20_000);
    const paid = await user.dealProperties(deal.dealId, ['apiup_payment_date', 'apiup_invoice_status']);
    expect(paid).toEqual(expect.objectContaining({ apiup_payment_date: today, apiup_invoice_status: 'paid' }));
  });

  it("sent HubSpot only requests that HubSpot's OpenAPI documents accept", () => {
    const { problems, unmatched } = checkHubspotExchanges(t.sandboxes!.hubspot.recorder.exchanges);
    expect(unmatched).toEqual([]);
    expect(problems.filter((p) => p.direction === 'request')).toEqual([]);
  });
});
