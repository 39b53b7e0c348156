import { eq } from 'drizzle-orm';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { jobs, webhookEvents } from '../../src/db/schema';
import { hubspotWebhookRoutes } from '../../src/http/routes/hubspot-webhooks';
import { hubspotSignedHeaders } from '../../src/hubspot/signature';
import type { JobContext } from '../../src/jobs/define';
import { dealStageRoute, invoiceJobs } from '../../src/jobs/definitions/invoice';
import { webhookRoutingJob, type RoutingPayload } from '../../src/jobs/definitions/webhook-routing';
import type { InvoicingDeps } from '../../src/invoicing/process-deal';
import { WorkflowExecutions } from '../../src/invoicing/workflow-action';
import { DbJobQueue } from '../../src/jobs/queue';
import { silentLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

const clientSecret = 'client-secret-of-the-apiup-test-app';
const publicUrl = 'https://apiup.example.de';
const portalId = 24_681_357;

/** The real intake with the real deal-stage route (its job only runs in a worker, which this test has none of). */
const databases = testDatabases();

async function intake() {
  const db = await databases.fresh();
  const queue = new DbJobQueue(db);
  const { process } = invoiceJobs({} as InvoicingDeps, queue, { paymentPollInitialMs: 60_000, workflowExecutions: new WorkflowExecutions(db) });
  const routes = () => [dealStageRoute(process)];
  const routing = webhookRoutingJob({ db, queue, routes });
  const router = hubspotWebhookRoutes({
    db,
    queue,
    log: silentLogger(),
    signature: { clientSecret: () => clientSecret, publicUrl: () => publicUrl },
    appId: () => '4711',
    routes,
    routing,
  });
  const app = createApp({ db, log: silentLogger(), routers: [router] });
  const deliver = (events: unknown) => {
    const body = typeof events === 'string' ? events : JSON.stringify(events);
    return request(app)
      .post('/webhooks/hubspot')
      .set(hubspotSignedHeaders({ clientSecret, method: 'POST', url: `${publicUrl}/webhooks/hubspot`, body }))
      .send(body);
  };
  /** What the worker does with the routing jobs the intake made (the deal jobs themselves are not run here). */
  const route = async () => {
    const made = await db.select().from(jobs).where(eq(jobs.name, routing.name));
    for (const job of made) await routing.run(job.payload as RoutingPayload, { log: silentLogger() } as JobContext);
    return made;
  };
  return { db, deliver, route };
}

function stageChange(n: number, objectId: unknown = 18_000_000_000 + n) {
  return {
    eventId: 3_100_000 + n,
    subscriptionId: 2_403_118,
    portalId,
    appId: 4711,
    occurredAt: 1_795_000_000_000 + n,
    subscriptionType: 'deal.propertyChange',
    attemptNumber: 0,
    objectId,
    changeSource: 'CRM_UI',
    propertyName: 'dealstage',
    propertyValue: 'closedwon',
  };
}

describe('HubSpot webhook intake under hostile input', () => {
  it('stores the 99 valid events of a batch, records the one with a non-numeric objectId as rejected, answers 200', async () => {
    const { db, deliver, route } = await intake();
    const batch = Array.from({ length: 100 }, (_, i) => stageChange(i, i === 57 ? 'Website-Relaunch Müller GmbH' : undefined));
    const response = await deliver(batch);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ accepted: 99, duplicates: 0, ignored: 0, rejected: 1 });
    // Answered with the events and one routing job stored; the routing job makes the deal jobs.
    const [routingJob] = await route();
    expect(routingJob.payload).toMatchObject({ portalId: String(portalId) });
    expect((routingJob.payload as RoutingPayload).eventIds).toHaveLength(99);
    const made = await db.select().from(jobs).where(eq(jobs.name, 'invoice.process'));
    expect(made).toHaveLength(99);
    // Each accepted event names the job it started.
    const queued = await db.select().from(webhookEvents).where(eq(webhookEvents.status, 'queued'));
    expect(new Set(queued.map((e) => e.jobId))).toEqual(new Set(made.map((j) => j.id)));
    const rejected = await db.select().from(webhookEvents).where(eq(webhookEvents.status, 'rejected'));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ portalId: String(portalId), eventId: '3100057', subscriptionType: 'deal.propertyChange', jobId: null });
    expect(rejected[0].ignoredReason).toMatch(/^invalid_event: objectId/);
    expect(rejected[0].payload).toMatchObject({ objectId: 'Website-Relaunch Müller GmbH', propertyName: 'dealstage' });

    // HubSpot delivers the same batch again: nothing new, the rejected one included.
    const again = await deliver(batch);
    expect(again.body).toEqual({ accepted: 0, duplicates: 100, ignored: 0, rejected: 0 });
    expect(await db.select().from(webhookEvents)).toHaveLength(100);
    expect(await db.select().from(jobs)).toHaveLength(1 + 99);
  });

  it('records an event with a 20,000-deep field as rejected with a flat excerpt and accepts the rest', async () => {
    const { db, deliver, route } = await intake();
    // Written as text: JSON.stringify itself overflows the stack on 20,000 levels.
    const deep = '{"nested":'.repeat(20_000) + '"Bäckerei Hölzl & Söhne Großhandel GmbH"' + '}'.repeat(20_000);
    const response = await deliver(`[${JSON.stringify(stageChange(1))},${JSON.stringify(stageChange(2)).slice(0, -1)},"extra":${deep}}]`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    const rows = await db.select().from(webhookEvents);
    const rejected = rows.find((r) => r.status === 'rejected')!;
    expect(rejected.ignoredReason).toMatch(/^too_deep/);
    expect(rejected.payload).toMatchObject({ extra: '[object]', objectId: 18_000_000_002 });
    expect(JSON.stringify(rejected.payload).length).toBeLessThan(2_000);
    await route();
    expect(await db.select().from(jobs).where(eq(jobs.name, 'invoice.process'))).toHaveLength(1);
  });

  it('records an event larger than any HubSpot event as rejected without storing it', async () => {
    const { db, deliver } = await intake();
    const response = await deliver([{ ...stageChange(3), propertyValue: 'Wartungsvertrag Größe XL – '.repeat(12_000) }, stageChange(4)]);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ accepted: 1, rejected: 1 });
    const [rejected] = await db.select().from(webhookEvents).where(eq(webhookEvents.status, 'rejected')).limit(1);
    expect(rejected.ignoredReason).toMatch(/^too_large/);
    expect(JSON.stringify(rejected.payload).length).toBeLessThan(2_000);
  });

  it.each([
    ['an object instead of a list', { events: [stageChange(5)] }],
    ['an empty list', []],
    ['101 events', Array.from({ length: 101 }, (_, i) => stageChange(i))],
  ])('answers 400 and stores nothing for %s', async (_name, body) => {
    const { db, deliver } = await intake();
    expect((await deliver(body)).status).toBe(400);
    expect(await db.select().from(webhookEvents)).toEqual([]);
    expect(await db.select().from(jobs)).toEqual([]);
  });
});
