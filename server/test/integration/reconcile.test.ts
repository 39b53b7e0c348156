/**
 * Nothing is missed when webhooks are (issue 13): while our endpoint is unreachable for longer than
 * HubSpot retries, a deal is won and a contact is edited; the reconciliation sweep finds both with
 * HubSpot's search API and the invoice still arrives.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileState } from '../../src/db/schema';
import { enqueueDueSweeps, webhookHealth } from '../../src/jobs/definitions/reconcile';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { startTestApiup, webhooksRouted, type TestApiup } from '../helpers/apiup';
import type { JobContext } from '../../src/jobs/define';
import { silentLogger } from '../../src/logger';
import { HubspotUser } from '../helpers/hubspot-user';
import { activateBusinessPlus, connectVendor, vendorProbe, type VendorProbe } from '../helpers/vendors';

describe('reconciliation sweep', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;

  beforeAll(async () => {
    t = await startTestApiup();
    vendor = vendorProbe(t.sandboxes!, 'lexoffice');
    t.sandboxes!.hubspot.recorder.enabled = true;
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await connectVendor(t, 'lexoffice');
    await activateBusinessPlus(t);
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** Runs one sweep of the test portal now and waits for it. */
  async function sweep(): Promise<void> {
    await t.db
      .update(reconcileState)
      .set({ sweptAt: Date.now() - 2 * 60 * 60_000 })
      .where(eq(reconcileState.portalId, t.portalId));
    expect(await enqueueDueSweeps({ db: t.db, queue: t.queue }, t.services.reconcileJob, Date.now(), 60 * 60_000)).toBeGreaterThanOrEqual(1);
    t.worker.poke();
    const job = await t.queue.waitFor(`reconcile:${t.portalId}`, ['succeeded', 'dead'], 20_000);
    expect(job.lastError).toBeNull();
  }

  it('invoices a deal won while its webhook was lost, and syncs a contact edited meanwhile', async () => {
    const pipeline = await user.createPipeline();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: 'Website-Relaunch und Wartung Müller GmbH 2027',
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', address: 'Königsallee 12', zip: '40212', city: 'Düsseldorf', country: 'DE' },
      lineItems: [
        { name: 'Konzeption und Informationsarchitektur', quantity: '12', price: '95.00' },
        { name: 'Gestaltung der Startseite und Unterseiten', quantity: '20', price: '88.50' },
        { name: 'Wartungspauschale Januar bis März', quantity: '3', price: '149.00' },
      ],
    });
    await t.sandboxes!.hubspot.flushWebhooks();
    // The deal's creation (open stage) starts an invoice job that finds nothing to invoice. It must have run before
    // the stage changes below: a job still waiting then would read the won stage and invoice without the sweep.
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, 'succeeded');
    await sweep();
    expect((await t.db.select().from(reconcileState).where(eq(reconcileState.portalId, t.portalId)))[0]).toMatchObject({ missedDeals: 0 });

    // Our endpoint is gone for longer than HubSpot retries: the stage change and the edit are never delivered.
    t.sandboxes!.hubspot.setWebhookTarget(undefined);
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    const contactId = user.create('contacts', { firstname: 'Jörg', lastname: 'Weißenbäcker', email: 'joerg.weissenbaecker@hoelzl-soehne.example' });
    await t.sandboxes!.hubspot.flushWebhooks();
    t.sandboxes!.hubspot.setWebhookTarget(`${t.url}/webhooks/hubspot`);
    // Only the deal's creation (in the open stage) was delivered: it ran and found nothing to invoice.
    expect((await t.queue.latestByKey(`invoice:${t.portalId}:${deal.dealId}`))?.state).toBe('succeeded');
    expect(await t.services.invoicing.records.get(t.portalId, deal.dealId)).toBeUndefined();
    expect(vendor.documentCount()).toBe(0);
    expect(await t.queue.latestByKey(`sync:${t.portalId}:contact:${contactId}`)).toBeUndefined();

    await sweep();
    const invoiceJob = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    expect(invoiceJob.lastError).toBeNull();
    expect(vendor.documentCount()).toBe(1);
    expect(await t.services.invoicing.records.get(t.portalId, deal.dealId)).toMatchObject({
      status: expect.stringMatching(/created|sent/),
      totalNet: '3357.00',
    });
    expect(await t.queue.latestByKey(`sync:${t.portalId}:contact:${contactId}`)).toBeDefined();
    expect((await t.db.select().from(reconcileState).where(eq(reconcileState.portalId, t.portalId)))[0]).toMatchObject({ missedDeals: 1 });
    const settings = await (await t.signedFetch('/api/v1/settings')).json();
    expect(settings.webhooks).toMatchObject({ warning: 'webhooks_missing', missedBySweep: { deals: 1 } });
    expect(settings.webhooks.missedBySweep.records).toBeGreaterThanOrEqual(1);

    // The next sweep finds the deal invoiced and enqueues nothing for it again.
    await sweep();
    expect((await t.db.select().from(reconcileState).where(eq(reconcileState.portalId, t.portalId)))[0]).toMatchObject({ missedDeals: 0 });
    expect(vendor.documentCount()).toBe(1);
  });

  it('counts a won deal whose stage change is stored and waits for its routing job as heard, not missed', async () => {
    const pipeline = await user.createPipeline('Wartungsverträge');
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      name: 'Jahreswartung Schäfer & Töchter Feinmechanik KG',
      company: { name: 'Schäfer & Töchter Feinmechanik KG', address: 'Maximilianstraße 7', zip: '80539', city: 'München', country: 'DE' },
      lineItems: [{ name: 'Wartungsvertrag Premium, zwölf Monate', quantity: '1', price: '2400.00' }],
    });
    await t.sandboxes!.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, 'succeeded');
    // No worker: the stage change is stored, its routing job waits, no invoice job exists yet.
    await t.worker.stop();
    try {
      user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
      await t.sandboxes!.hubspot.flushWebhooks();
      expect((await t.queue.list({ portalId: t.portalId, states: ['queued'] })).map((j) => j.name)).toContain(t.services.webhookRouting.name);
      await t.services.reconcileJob.run({ portalId: t.portalId }, { log: silentLogger() } as JobContext);
      expect((await t.db.select().from(reconcileState).where(eq(reconcileState.portalId, t.portalId)))[0]).toMatchObject({ missedDeals: 0 });
      expect((await t.queue.latestByKey(`invoice:${t.portalId}:${deal.dealId}`))?.state).toBe('succeeded');
    } finally {
      t.worker.start();
    }
    await webhooksRouted(t);
    const invoiceJob = await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 20_000);
    expect(invoiceJob.lastError).toBeNull();
    expect(invoiceJob.payload).toMatchObject({ trigger: 'stage_change', occurredAt: expect.any(Number) });
    expect(await t.services.invoicing.records.get(t.portalId, deal.dealId)).toMatchObject({ totalNet: '2400.00' });
  });

  it('tells the settings page when no webhook arrived for days', async () => {
    // A last sweep that found nothing missing: only the silence is left to report. (The sweeps above may
    // still count a record whose own write-back they saw, depending on timing; that is not this test.)
    await t.db.update(reconcileState).set({ missedDeals: 0, missedRecords: 0 }).where(eq(reconcileState.portalId, t.portalId));
    const now = Date.now();
    expect((await webhookHealth(t.db, t.portalId, now)).warning).not.toBe('webhooks_silent');
    expect(await webhookHealth(t.db, t.portalId, now + 4 * 24 * 60 * 60_000)).toMatchObject({ warning: 'webhooks_silent' });
  });

  it("sends search requests that HubSpot's OpenAPI documents accept", () => {
    const searches = t.sandboxes!.hubspot.recorder.exchanges.filter((e) => e.path.endsWith('/search'));
    expect(searches.length).toBeGreaterThan(0);
    const { problems } = checkHubspotExchanges(searches);
    expect(JSON.stringify(problems, null, 1)).toBe('[]');
  });
});
