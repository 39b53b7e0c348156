import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequestV3 } from '../../src/hubspot/signature';
import { startTestApiup, webhooksRouted, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

describe('exactly one invoice per deal', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;
  let eventSeq = 1000;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    vendor = vendorProbe(sandboxes, 'lexoffice');
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, 'lexoffice', vendor.credentials);
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    // Exactly-once is under test, with ordinary invoices (e-invoices: einvoice.e2e.test.ts).
    await t.services.settings.save(t.portalId, await t.services.settings.prepare(t.portalId, { invoice: { eInvoiceForBusinessCustomers: false } }));
    pipeline = await user.createPipeline();
    // Webhooks come from the test itself here, so duplicates and order are under its control.
    sandboxes.hubspot.setWebhookTarget(undefined);
  });

  afterAll(async () => {
    await t?.stop();
  });

  function stageEvent(dealId: string, stageId: string, occurredAt: number, eventId = eventSeq++) {
    return {
      eventId,
      subscriptionId: 77,
      portalId: Number(t.portalId),
      appId: 4242001,
      occurredAt,
      subscriptionType: 'deal.propertyChange',
      attemptNumber: 0,
      objectId: Number(dealId),
      changeSource: 'CRM_UI',
      propertyName: 'dealstage',
      propertyValue: stageId,
    };
  }

  async function deliver(events: unknown[]): Promise<number> {
    const url = `${t.url}/webhooks/hubspot`;
    const body = JSON.stringify(events);
    const timestamp = String(Date.now());
    const signature = signRequestV3({ clientSecret: t.config.hubspot.clientSecret!, method: 'POST', url, body, timestamp });
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    });
    // The events' jobs are made after the answer: what the test waits for next must exist.
    await webhooksRouted(t);
    return response.status;
  }

  async function wonDeal(company = { name: `Kunde ${eventSeq} GmbH` }) {
    return user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      company,
      lineItems: [{ name: 'Beratung', quantity: '1', price: '100.00' }],
    });
  }

  async function settle(dealId: string) {
    return t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead'], 20_000);
  }

  it('makes one document from the same webhook delivered 10 times, out of order, with a concurrent "create now"', async () => {
    const before = vendor.documentCount();
    const deal = await wonDeal();
    const won = stageEvent(deal.dealId, pipeline.wonStageId, Date.now());
    const earlierOpen = stageEvent(deal.dealId, pipeline.openStageId, Date.now() - 60_000);
    const deliveries = Array.from({ length: 10 }, (_, i) => deliver(i % 3 === 0 ? [won, earlierOpen] : [won]));
    const createNow = t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    const statuses = await Promise.all(deliveries);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await createNow).status).toBe(202);
    await settle(deal.dealId);
    // A late duplicate after the invoice exists starts a run that finds the document and stops.
    expect(await deliver([won])).toBe(200);
    await settle(deal.dealId);
    expect(vendor.documentCount() - before).toBe(1);
    expect((await t.services.invoicing.records.get(t.portalId, deal.dealId))?.status).toBe('created');
  });

  it('finds the document by reference when the vendor committed and then dropped the connection', async () => {
    const company = { name: 'Stammkunde AG' };
    const first = await wonDeal(company);
    await t.signedFetch(`/api/v1/deals/${first.dealId}/invoice`, { method: 'POST' });
    await settle(first.dealId);
    const before = vendor.documentCount();

    // The customer is linked now, so the next write to the vendor is the document itself.
    const deal = await wonDeal(company);
    t.sandboxes!.vendors.lexoffice.sandbox.faults.set({ dropAfterCommit: 1 });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    const job = await settle(deal.dealId);
    expect(job.state).toBe('succeeded');
    expect(job.attempts).toBe(2);
    expect(vendor.documentCount() - before).toBe(1);
    expect((await t.services.invoicing.records.get(t.portalId, deal.dealId))?.documentId).toBeTruthy();
  });

  it('never makes a second document when the deal leaves the won stage, and asks for attention', async () => {
    const deal = await wonDeal();
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await settle(deal.dealId);
    const before = vendor.documentCount();
    user.update('deals', deal.dealId, { dealstage: pipeline.lostStageId });
    expect(await deliver([stageEvent(deal.dealId, pipeline.lostStageId, Date.now())])).toBe(200);
    await settle(deal.dealId);
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'en' })).json();
    expect(card.invoice.status).toBe('needs_attention');
    expect(card.invoice.reason.message).toContain('left the won stage');
    expect(vendor.documentCount()).toBe(before);
  });

  it('ignores a stage change into a stage that is not won', async () => {
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      lineItems: [{ name: 'X', quantity: '1', price: '1' }],
    });
    const before = vendor.documentCount();
    expect(await deliver([stageEvent(deal.dealId, pipeline.openStageId, Date.now())])).toBe(200);
    await settle(deal.dealId);
    expect(vendor.documentCount()).toBe(before);
    expect(await t.services.invoicing.records.get(t.portalId, deal.dealId)).toBeUndefined();
  });
});
