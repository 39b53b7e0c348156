import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';

describe('invoicing on closed won (lexoffice)', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let lexoffice: lexofficeSandbox;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    lexoffice = sandboxes.vendors.lexoffice.sandbox as lexofficeSandbox;
    const demo = sandboxes.hubspot.installDemoPortal();
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, demo.accessToken);
    const connect = await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: 'lexoffice', credentials: lexoffice.credentials } });
    expect(connect.status).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { texts: { title: 'Rechnung {{deal.name}}', introduction: 'Für {{company.name}}, z. Hd. {{contact.firstname}} {{contact.lastname}}', paymentTerms: 'Zahlbar in 14 Tagen', closingText: 'Vielen Dank!' } } },
    });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('creates one finalized invoice with the right customer, lines and totals and writes number, date and payment date back', async () => {
    const pipeline = await user.createPipeline();
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: [
        { name: 'Design', quantity: '2', price: '450.00', hs_tax_rate_group_id: rates['19'] },
        { name: 'Fachbuch', quantity: '1', price: '30.00', hs_tax_rate_group_id: rates['7'], hs_discount_percentage: '10' },
        { name: 'Export service', quantity: '1', price: '100.00', hs_tax_rate_group_id: rates['0'] },
      ],
    });
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 15_000);
    expect(job.lastError).toBeNull();

    const invoices = [...lexoffice.store.vouchers.values()];
    expect(invoices).toHaveLength(1);
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    expect(card.invoice).toMatchObject({ status: 'created', kind: 'invoice', provider: 'lexoffice', currency: 'EUR' });
    // 900.00 @19 % + 27.00 @7 % + 100.00 @0 %: net 1027.00; tax 171.00 + 1.89 = 172.89 (per rate, money.md §3)
    expect(card.invoice.totals).toEqual({ net: '1027.00', tax: '172.89', gross: '1199.89' });
    expect(card.invoice.number).toMatch(/\S+/);

    const props = await user.dealProperties(deal.dealId, ['apiup_invoice_number', 'apiup_invoice_date', 'apiup_invoice_status']);
    expect(props.apiup_invoice_number).toBe(card.invoice.number);
    expect(props.apiup_invoice_date).toBe(card.invoice.date);

    const stored = invoices[0] as any;
    expect(JSON.stringify(stored)).toContain('ACME');
    expect(JSON.stringify(stored)).toContain('Für ACME GmbH, z. Hd. Jürgen Müller');

    lexoffice.markPaid(card.invoice.id ?? stored.id, '2026-11-25');
    await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, 'succeeded', 15_000);
    const paid = await user.dealProperties(deal.dealId, ['apiup_payment_date', 'apiup_invoice_status']);
    expect(paid).toMatchObject({ apiup_payment_date: '2026-11-25', apiup_invoice_status: 'paid' });
  });
});
