import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

describe('invoice rules: packages and conditions', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;

  beforeAll(async () => {
    t = await startTestApiup();
    vendor = vendorProbe(t.sandboxes!, 'sevdesk');
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, 'sevdesk', vendor.credentials);
    pipeline = await user.createPipeline();
    // Packages and conditions are under test, with ordinary invoices (e-invoices: einvoice.e2e.test.ts); each rules PUT below says so too.
    await t.services.settings.save(t.portalId, await t.services.settings.prepare(t.portalId, { invoice: { eInvoiceForBusinessCustomers: false } }));
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function runFor(lineItems: Array<Record<string, string>>, currency = 'EUR') {
    const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.wonStageId, currency, lineItems });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    return (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
  }

  it('skips with "plan required" when the portal has no invoicing package', async () => {
    const card = await runFor([{ name: 'A', quantity: '1', price: '10' }]);
    expect(card.invoice).toMatchObject({ status: 'skipped', reason: { code: 'plan_required' } });
    expect(card.invoice.reason.message).toContain('Paket');
    expect(vendor.documentCount()).toBe(0);
  });

  it('skips with the condition that failed (Business Plus) and creates once it passes', async () => {
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, conditions: { currency: 'EUR', minLineItems: 2, requireQuote: false } } },
    });
    const tooFew = await runFor([{ name: 'A', quantity: '1', price: '10' }]);
    expect(tooFew.invoice).toMatchObject({
      status: 'skipped',
      reason: { code: 'condition_min_line_items', message: 'Bedingung nicht erfüllt: 1 Positionen, mindestens 2 verlangt.' },
    });
    const wrongCurrency = await runFor(
      [
        { name: 'A', quantity: '1', price: '10' },
        { name: 'B', quantity: '1', price: '5' },
      ],
      'USD',
    );
    expect(wrongCurrency.invoice.reason).toMatchObject({ code: 'condition_currency' });
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, conditions: { requireQuote: true } } },
    });
    const noQuote = await runFor([{ name: 'A', quantity: '1', price: '10' }]);
    expect(noQuote.invoice.reason).toMatchObject({ code: 'condition_quote_required' });
    expect(vendor.documentCount()).toBe(0);
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, conditions: { requireQuote: false } } },
    });
    const passes = await runFor([{ name: 'A', quantity: '2', price: '10' }]);
    expect(passes.invoice.status).toMatch(/created|sent/);
    expect(vendor.documentCount()).toBe(1);
  });

  it('runs a deal that waited for a quote again when a quote appears on it (generic quote webhook)', async () => {
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, conditions: { requireQuote: true } } },
    });
    const before = vendor.documentCount();
    const waiting = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: 'Jahreswartung Schönwetter & Partner',
      lineItems: [{ name: 'Wartung', quantity: '12', price: '89.50' }],
    });
    const other = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: 'Schulung Größenwahn GmbH',
      lineItems: [{ name: 'Schulung', quantity: '1', price: '1200' }],
    });
    user.update('deals', waiting.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${waiting.dealId}`, ['succeeded', 'dead'], 20_000);
    const card = async (dealId: string) => (await (await t.signedFetch(`/api/v1/deals/${dealId}/invoice`)).json()).invoice;
    expect(await card(waiting.dealId)).toMatchObject({ status: 'skipped', reason: { code: 'condition_quote_required' } });

    // A quote for the other (open) deal changes nothing; the quote on the waiting deal runs it again.
    const otherQuote = user.create('quotes', { hs_title: 'Angebot Schulung', hs_expiration_date: '2027-03-31' });
    user.associate('quotes', otherQuote, 'deals', other.dealId);
    const quote = user.create('quotes', { hs_title: 'Angebot Jahreswartung Schönwetter', hs_expiration_date: '2027-03-31' });
    user.associate('quotes', quote, 'deals', waiting.dealId);
    user.update('quotes', quote, { hs_status: 'APPROVAL_NOT_NEEDED' });
    await t.sandboxes!.hubspot.flushWebhooks();
    await expect.poll(async () => (await card(waiting.dealId)).status, { timeout: 20_000 }).toMatch(/created|sent/);
    expect(vendor.documentCount()).toBe(before + 1);
    expect(await card(other.dealId)).toBeNull();
    await t.signedFetch('/api/v1/settings/rules', {
      method: 'PUT',
      body: { invoice: { eInvoiceForBusinessCustomers: false, conditions: { requireQuote: false } } },
    });
  });

  it('answers with a skip reason for a deal without line items and without amount', async () => {
    const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.wonStageId, lineItems: [] });
    user.update('deals', deal.dealId, { amount: '' });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de-DE' })).json();
    expect(card.invoice.reason.message).toBe('Deal hat keine Positionen und keinen Betrag.');
  });
});
