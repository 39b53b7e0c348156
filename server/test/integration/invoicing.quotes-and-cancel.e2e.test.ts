/**
 * End to end through HubSpot's and the vendors' sandboxes: a quotation on won where the vendor has
 * quotations, the invoice made from it from the card (linked at the vendor where it links them), and
 * cancelling the invoice from the card after the deal was lost — once, with the number on the deal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

const lines: Array<Record<string, string>> = [
  { name: 'Konzeption Website-Relaunch und Wartung Müller GmbH 2027', quantity: '12.5', price: '95.00' },
  { name: 'Gestaltung Startseite und 14 Unterseiten', quantity: '1', price: '4250.00', hs_discount_percentage: '5' },
  { name: 'Schulung Redaktionssystem für die Bäckerei Hölzl & Söhne Großhandel GmbH', quantity: '2', price: '680.00' },
  { name: 'Wartungsvertrag Hosting (12 Monate)', quantity: '12', price: '49.00' },
];

describe.each(['sevdesk'] as const)('quotations and cancellations through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let sandbox: any;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, providerId);
    sandbox = sandboxes.vendors[providerId].sandbox;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    expect((await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: providerId, credentials: vendor.credentials } })).status).toBe(200);
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
  });

  afterAll(async () => {
    await t?.stop();
  });

  async function wonDeal(label: string): Promise<{ dealId: string; moveTo: (stage: 'won' | 'lost') => Promise<void> }> {
    const pipeline = await user.createPipeline(label);
    const rates = await user.taxRateIds();
    const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.openStageId, lineItems: lines.map((l) => ({ ...l, hs_tax_rate_group_id: rates['19'] })) });
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    const moveTo = async (stage: 'won' | 'lost') => {
      user.update('deals', deal.dealId, { dealstage: stage === 'won' ? pipeline.wonStageId : pipeline.lostStageId });
      await t.sandboxes!.hubspot.flushWebhooks();
      await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    };
    return { dealId: deal.dealId, moveTo };
  }

  async function card(dealId: string) {
    return (await (await t.signedFetch(`/api/v1/deals/${dealId}/invoice`, { locale: 'de' })).json()) as any;
  }

  it('creates a quotation on won, then the invoice from it on "create invoice", linked at the vendor', async () => {
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { documentType: 'quotation' } } })).status).toBe(200);
    const { dealId } = await wonDeal('Angebote Webprojekte');
    const quote = (await card(dealId)).invoice;
    // 1187.50 + 4037.50 + 1360.00 + 588.00 = 7173.00 net; tax per position to the cent: 225.63 + 767.13 + 258.40 + 111.72
    expect(quote).toMatchObject({ kind: 'quotation', status: expect.stringMatching(/created|sent/), totals: { net: '7173.00', tax: '1362.88', gross: '8535.88' } });
    expect(quote.number).toMatch(/^AN-/);
    expect(sandbox.store.orders.size).toBeGreaterThan(0);

    expect((await t.signedFetch(`/api/v1/deals/${dealId}/invoice`, { method: 'POST' })).status).toBe(202);
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
    expect(job.lastError).toBeNull();
    const invoice = (await card(dealId)).invoice;
    expect(invoice).toMatchObject({ kind: 'invoice', quotation: { number: quote.number }, totals: quote.totals });
    const record = t.services.invoicing.records.get(t.portalId, dealId)!;
    expect(sandbox.store.invoices.get(record.documentId).origin).toEqual({ id: record.quotationId, objectName: 'Order' });
    expect(await user.dealProperties(dealId, ['apiup_invoice_number'])).toEqual(expect.objectContaining({ apiup_invoice_number: invoice.number }));
  });

  it('cancels the invoice of a lost deal once from the card, writes the number to the deal, and invoices anew only after that', async () => {
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { documentType: 'invoice' } } })).status).toBe(200);
    const { dealId, moveTo } = await wonDeal('Wartungsverträge');
    const invoice = (await card(dealId)).invoice;
    expect(invoice).toMatchObject({ kind: 'invoice', canCancel: true, cancellation: null });

    await moveTo('lost');
    const attention = (await card(dealId)).invoice;
    expect(attention).toMatchObject({ status: 'needs_attention', canCancel: true, reason: { code: 'left_won_after_invoice' } });
    expect(attention.reason.message).toContain('Deal-Karte');

    const first = await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' });
    const second = await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' });
    expect(first.status).toBe(202);
    expect([202, 409]).toContain(second.status);
    const job = await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
    expect(job.lastError).toBeNull();
    const cancelled = (await card(dealId)).invoice;
    expect(cancelled).toMatchObject({ status: 'cancelled', canCancel: false, number: invoice.number, cancellation: { kind: 'cancellation_invoice', number: expect.any(String) } });
    const record = t.services.invoicing.records.get(t.portalId, dealId)!;
    const cancellations = [...sandbox.store.invoices.values()].filter((i: any) => i.origin?.id === record.documentId);
    expect(cancellations).toHaveLength(1);
    expect(cancellations[0].invoiceNumber).toBe(cancelled.cancellation.number);
    expect(await user.dealProperties(dealId, ['apiup_invoice_status', 'apiup_credit_note_number'])).toEqual(
      expect.objectContaining({ apiup_invoice_status: 'cancelled', apiup_credit_note_number: cancelled.cancellation.number }),
    );
    expect((await t.signedFetch(`/api/v1/deals/${dealId}/invoice/cancel`, { method: 'POST' })).status).toBe(409);

    await moveTo('won');
    const renewed = t.services.invoicing.records.get(t.portalId, dealId)!;
    expect(renewed).toMatchObject({ status: expect.stringMatching(/created|sent/), cancelledCount: 1, reference: `APIUP-${t.portalId}-${dealId}-1` });
    expect(renewed.documentId).not.toBe(record.documentId);
    expect(sandbox.store.invoices.get(renewed.documentId).customerInternalNote).toBe(renewed.reference);
  });
});
