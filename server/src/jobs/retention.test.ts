import { count, eq, sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { RetentionPolicy } from '../config';
import { sqliteConnection, type Db } from '../db/client';
import { dealInvoices, jobs, webhookEvents } from '../db/schema';
import { storeEvents } from '../http/routes/hubspot-webhooks';
import type { HubspotEvent } from '../hubspot/webhook-events';
import type { WebhookRoute } from './webhook-routes';
import { InvoiceRecords } from '../invoicing/records';
import { silentLogger } from '../logger';
import { FakeClock, makeTestDb } from '../../test/helpers/db';
import { defineJob, type JobContext } from './define';
import { pruneJob, schedulePrune } from './definitions/maintenance';
import { webhookRoutingJob, type RoutingPayload } from './definitions/webhook-routing';
import { DbJobQueue } from './queue';

const hourMs = 60 * 60_000;
const dayMs = 24 * hourMs;
const policy: RetentionPolicy = { succeededJobsMs: dayMs, deadJobsMs: 2 * dayMs, webhookEventsMs: 2 * dayMs, invoiceHistoryMs: 6 * hourMs };
const portalId = '24681357';

const dealJob = defineJob({
  name: 'test.deal',
  payload: z.object({ portalId: z.string(), dealId: z.string() }),
  key: (p) => `test-deal:${p.portalId}:${p.dealId}`,
  portalId: (p) => p.portalId,
  run: async () => {},
});
const dealRoute: WebhookRoute = {
  name: 'test.deal',
  matches: (e) => e.subscriptionType === 'deal.propertyChange',
  enqueue: (e, queue, tx) => queue.enqueue(dealJob, { portalId: e.portalId, dealId: e.objectId! }, { tx }),
};

async function tableSizes(db: Db) {
  const rows = async (table: typeof jobs | typeof webhookEvents | typeof dealInvoices) => Number((await db.select({ n: count() }).from(table))[0].n);
  const arrayLength = db.dialect === 'postgres' ? sql`jsonb_array_length(${dealInvoices.history})` : sql`json_array_length(${dealInvoices.history})`;
  const [history] = await db.select({ n: sql<number>`coalesce(sum(${arrayLength}), 0)` }).from(dealInvoices);
  // The file's size in pages: SQLite only (PostgreSQL reuses space after its autovacuum, on its own schedule).
  const pages = sqliteConnection(db)?.pragma('page_count', { simple: true }) as number | undefined;
  return { jobs: await rows(jobs), webhookEvents: await rows(webhookEvents), invoices: await rows(dealInvoices), historyEntries: Number(history.n), pages };
}

describe('retention', () => {
  it('keeps the database bounded under a week of steady traffic, pruned by the scheduled job', async () => {
    const db = await makeTestDb();
    const clock = new FakeClock();
    const queue = new DbJobQueue(db, clock);
    const records = new InvoiceRecords(db, clock.now);
    const prune = pruneJob({ db, policy, now: clock.now });
    const routing = webhookRoutingJob({ db, queue, routes: () => [dealRoute] });
    const intake = { db, queue, log: silentLogger(), signature: undefined as never, appId: () => '4242', routes: () => [dealRoute], routing };
    const context = { log: silentLogger() } as JobContext;
    let dealJobsRun = 0;
    const statuses = ['created', 'sent', 'paid', 'needs_attention'] as const;
    let eventId = 0;
    const endOfDay: Array<Awaited<ReturnType<typeof tableSizes>>> = [];

    for (let hour = 1; hour <= 7 * 24; hour++) {
      // 30 events an hour: deal stage changes (each starts a job) and contact edits nobody routes.
      const events = Array.from({ length: 30 }, (_, i): HubspotEvent => ({
        eventId: String(++eventId),
        subscriptionId: '4711',
        portalId,
        occurredAt: clock.now() - i,
        subscriptionType: i % 3 === 0 ? 'contact.propertyChange' : 'deal.propertyChange',
        objectId: String(700_000 + eventId),
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
      }));
      await storeEvents({ ...intake, now: clock.now }, events);
      // The worker runs them: the routing job makes the deal jobs, one in ten of which dies.
      for (let job = await queue.claim('w1', 60_000, new Map()); job; job = await queue.claim('w1', 60_000, new Map())) {
        if (job.name === routing.name) await routing.run(job.payload as RoutingPayload, context);
        if (job.name === dealJob.name && ++dealJobsRun % 10 === 0)
          await queue.fail(job, 'w1', {
            code: 'provider_validation',
            message: 'Die Rechnungsadresse der Bäckerei Hölzl & Söhne Großhandel GmbH fehlt.',
            retryable: false,
            at: clock.now(),
          });
        else await queue.complete(job, 'w1');
      }
      // Ten deals whose invoices change status every hour (payment checks, reminders).
      for (let deal = 0; deal < 10; deal++)
        await records.set(portalId, `9100${deal}`, statuses[(hour + deal) % statuses.length], { reasonCode: hour % 2 ? 'payment_pending' : null });
      await prune.run({}, context);
      if (hour % 24 === 0) endOfDay.push(await tableSizes(db));
      clock.advance(hourMs);
    }

    const [, , day3, day4, , , day7] = endOfDay;
    // Two days in, everything older than the longest retention leaves as fast as new work arrives.
    expect(day7.jobs).toBe(day3.jobs);
    expect(day7.webhookEvents).toBe(day3.webhookEvents);
    expect(day7.historyEntries).toBe(day3.historyEntries);
    expect(day7.webhookEvents).toBeLessThanOrEqual(30 * 49);
    expect(day7.jobs).toBeLessThanOrEqual((20 + 1) * 25 + 2 * 49);
    expect(day7.historyEntries).toBeLessThanOrEqual(10 * 7);
    // Freed pages are reused: the file stops growing too (SQLite; undefined on PostgreSQL).
    if (db.dialect === 'sqlite') expect(day7.pages).toBeLessThanOrEqual(day4.pages!);
    // Nothing live and no invoice record was deleted.
    expect((await tableSizes(db)).invoices).toBe(10);
    expect(await queue.list({ portalId, states: ['queued', 'running', 'retrying'] })).toEqual([]);
    await db.close();
    // A week of hourly traffic is some ten thousand statements: on PostgreSQL each is a round trip.
  }, 180_000);

  it('never deletes a live job, however old', async () => {
    const db = await makeTestDb();
    const clock = new FakeClock();
    const queue = new DbJobQueue(db, clock);
    const waiting = await queue.enqueue(dealJob, { portalId, dealId: '1' }, { runAt: clock.now() + 30 * dayMs });
    clock.advance(365 * dayMs);
    const prune = pruneJob({ db, policy, now: clock.now });
    await prune.run({}, { log: silentLogger() } as JobContext);
    expect((await queue.get(waiting.id))?.state).toBe('queued');
    await db.close();
  });

  it('never deletes an event still waiting for its routing job, however old', async () => {
    const db = await makeTestDb();
    const clock = new FakeClock();
    const queue = new DbJobQueue(db, clock);
    const routing = webhookRoutingJob({ db, queue, routes: () => [dealRoute] });
    const intake = { db, queue, log: silentLogger(), signature: undefined as never, appId: () => '4242', routes: () => [dealRoute], routing, now: clock.now };
    const event = (n: number, subscriptionType: string): HubspotEvent => ({
      eventId: String(n),
      subscriptionId: '4711',
      portalId,
      occurredAt: clock.now(),
      subscriptionType,
      objectId: String(800_000 + n),
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
    });
    // A deal-stage change waits for its routing (the worker is stopped); a contact edit nobody routes is ignored.
    await storeEvents(intake, [event(1, 'deal.propertyChange'), event(2, 'contact.propertyChange')]);
    clock.advance(30 * dayMs);
    await pruneJob({ db, policy, now: clock.now }).run({}, { log: silentLogger() } as JobContext);
    expect((await db.select().from(webhookEvents)).map((e) => [e.eventId, e.status])).toEqual([['1', 'queued']]);
    // Once routed it ages out like every event.
    const [pending] = await db.select().from(jobs).where(eq(jobs.name, routing.name));
    await routing.run(pending.payload as RoutingPayload, { log: silentLogger() } as JobContext);
    clock.advance(3 * dayMs);
    await pruneJob({ db, policy, now: clock.now }).run({}, { log: silentLogger() } as JobContext);
    expect(await db.select().from(webhookEvents)).toEqual([]);
    await db.close();
  });

  it('schedules one prune job however often the timer fires', async () => {
    const db = await makeTestDb();
    const queue = new DbJobQueue(db, new FakeClock());
    const prune = pruneJob({ db, policy, now: Date.now });
    let pokes = 0;
    const first = schedulePrune(queue, prune, silentLogger(), () => pokes++);
    const second = schedulePrune(queue, prune, silentLogger(), () => pokes++);
    first.stop();
    second.stop();
    // The timer's enqueue may finish after it returned.
    await vi.waitFor(() => expect(pokes).toBe(2));
    await vi.waitFor(async () => expect((await db.select().from(jobs)).map((j) => [j.name, j.state])).toEqual([['maintenance.prune', 'queued']]));
    await db.close();
  });
});
