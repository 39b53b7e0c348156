import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jobs, webhookEvents } from '../../db/schema';
import { storeEvents } from '../../http/routes/hubspot-webhooks';
import type { HubspotEvent } from '../../hubspot/webhook-events';
import { silentLogger } from '../../logger';
import { FakeClock, testDatabases } from '../../../test/helpers/db';
import { defineJob, type JobContext } from '../define';
import { DbJobQueue } from '../queue';
import type { WebhookRoute } from '../webhook-routes';
import { routeStoredEvents, webhookRoutingJob, type RoutingPayload } from './webhook-routing';

const portalId = '24681357';
const databases = testDatabases();

const dealJob = defineJob({
  name: 'test.deal-stage',
  payload: z.object({ portalId: z.string(), dealId: z.string() }),
  key: (p) => `test-deal-stage:${p.portalId}:${p.dealId}`,
  portalId: (p) => p.portalId,
  run: async () => {},
});
const dealRoute: WebhookRoute = {
  name: 'test.deal-stage',
  matches: (e) => e.subscriptionType === 'deal.propertyChange' && e.propertyName === 'dealstage',
  enqueue: (e, queue, tx) => queue.enqueue(dealJob, { portalId: e.portalId, dealId: e.objectId! }, { tx }),
};

/** Deal-stage changes as HubSpot sends them, the newest first (the intake stores them in order of occurrence). */
function stageChanges(count: number, firstId = 1): HubspotEvent[] {
  return Array.from({ length: count }, (_, i): HubspotEvent => {
    const n = firstId + count - 1 - i;
    return {
      eventId: String(5_200_000 + n),
      subscriptionId: '2403118',
      portalId,
      occurredAt: 1_795_000_000_000 + n,
      subscriptionType: 'deal.propertyChange',
      objectId: String(18_000_000_000 + n),
      propertyName: 'dealstage',
      propertyValue: n % 2 ? 'closedwon' : 'Angebot für Müller & Söhne Großhandel GmbH versendet',
    };
  });
}

async function setup() {
  const db = await databases.fresh();
  const clock = new FakeClock();
  const queue = new DbJobQueue(db, clock);
  let routes = [dealRoute];
  const routing = webhookRoutingJob({ db, queue, routes: () => routes });
  const intake = { db, queue, log: silentLogger(), signature: undefined as never, appId: () => '4711', routes: () => routes, routing, now: clock.now };
  const routingJobs = () => db.select().from(jobs).where(eq(jobs.name, routing.name)).orderBy(asc(jobs.id));
  const dealJobs = () => db.select().from(jobs).where(eq(jobs.name, dealJob.name)).orderBy(asc(jobs.id));
  const events = () => db.select().from(webhookEvents).orderBy(asc(webhookEvents.id));
  const run = async (payload: unknown) => routing.run(payload as RoutingPayload, { log: silentLogger() } as JobContext);
  return { db, queue, routing, intake, routingJobs, dealJobs, events, run, setRoutes: (r: WebhookRoute[]) => void (routes = r) };
}

describe('webhook routing after the answer', () => {
  it('stores one routing job per delivery; running it makes each event its job, in the order the events happened', async () => {
    const t = await setup();
    const result = await storeEvents(t.intake, stageChanges(100));
    expect(result).toEqual({ accepted: 100, duplicates: 0, ignored: 0, rejected: 0 });
    expect(await t.dealJobs()).toEqual([]);
    const [job, ...more] = await t.routingJobs();
    expect(more).toEqual([]);
    expect(job).toMatchObject({ portalId, state: 'queued', dedupeKey: null });

    await t.run(job.payload);
    const made = await t.dealJobs();
    expect(made).toHaveLength(100);
    // Oldest change first, as the intake stored them.
    expect(made.map((j) => (j.payload as { dealId: string }).dealId)).toEqual(
      stageChanges(100)
        .reverse()
        .map((e) => e.objectId),
    );
    const stored = await t.events();
    expect(stored.map((e) => e.jobId)).toEqual(made.map((j) => j.id));
    expect(stored.every((e) => e.status === 'queued')).toBe(true);
  });

  it('makes no second job when it runs again (after a crash after its commit)', async () => {
    const t = await setup();
    await storeEvents(t.intake, stageChanges(40));
    const [job] = await t.routingJobs();
    await t.run(job.payload);
    const before = await t.events();
    await t.run(job.payload);
    expect(await t.dealJobs()).toHaveLength(40);
    expect(await t.events()).toEqual(before);
    expect(
      await t.db.transaction((tx) => routeStoredEvents(tx, { queue: t.queue, routes: () => [dealRoute] }, (job.payload as RoutingPayload).eventIds)),
    ).toEqual({
      routed: 0,
      alreadyRouted: 40,
      unrouted: 0,
    });
  });

  it('routes each event once when two runs of the same routing overlap (two instances)', async () => {
    const t = await setup();
    await storeEvents(t.intake, stageChanges(100));
    const [job] = await t.routingJobs();
    const route = () =>
      t.db.transaction((tx) => routeStoredEvents(tx, { queue: t.queue, routes: () => [dealRoute] }, (job.payload as RoutingPayload).eventIds));
    const results = await Promise.all([route(), route()]);
    expect(results.map((r) => r.routed).sort()).toEqual([0, 100]);
    const made = await t.dealJobs();
    expect(made).toHaveLength(100);
    expect(new Set((await t.events()).map((e) => e.jobId))).toEqual(new Set(made.map((j) => j.id)));
  });

  it('a redelivery before the routing ran stores nothing and routes nothing twice', async () => {
    const t = await setup();
    const batch = stageChanges(30);
    await storeEvents(t.intake, batch);
    expect(await storeEvents(t.intake, batch)).toEqual({ accepted: 0, duplicates: 30, ignored: 0, rejected: 0 });
    const routingJobs = await t.routingJobs();
    expect(routingJobs).toHaveLength(1);
    await t.run(routingJobs[0].payload);
    expect(await t.dealJobs()).toHaveLength(30);
  });

  it('records an event as ignored when no route matches it any more at routing time', async () => {
    const t = await setup();
    await storeEvents(t.intake, stageChanges(3));
    const [job] = await t.routingJobs();
    t.setRoutes([]);
    await t.run(job.payload);
    expect(await t.dealJobs()).toEqual([]);
    expect((await t.events()).map((e) => [e.status, e.ignoredReason, e.jobId])).toEqual(Array(3).fill(['ignored', 'no_route', null]));
  });

  it('makes no routing job for a delivery nothing routes', async () => {
    const t = await setup();
    const edits = stageChanges(5).map((e) => ({ ...e, propertyName: 'hs_lastmodifieddate' }));
    expect(await storeEvents(t.intake, edits)).toMatchObject({ accepted: 0, ignored: 5 });
    expect(await t.routingJobs()).toEqual([]);
  });

  it('refuses a routing payload that is not one portal and up to 100 stored event ids', () => {
    const t = { payload: webhookRoutingJob({} as never).payload };
    expect(t.payload.safeParse({ portalId, eventIds: [] }).success).toBe(false);
    expect(t.payload.safeParse({ portalId, eventIds: Array.from({ length: 101 }, (_, i) => i + 1) }).success).toBe(false);
    expect(t.payload.safeParse({ portalId: 'Müller GmbH', eventIds: [1] }).success).toBe(false);
    expect(t.payload.safeParse({ portalId, eventIds: [1, 2, 3] }).success).toBe(true);
  });
});
