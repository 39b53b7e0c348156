/**
 * `webhooks.route`: makes the jobs of a delivery's stored events, after the intake answered. The intake stores
 * each event and, for a delivery's events a route matches, one routing job per portal (hubspot-webhooks.ts); this
 * job reads those events back, lets each route enqueue its job and links every event to its job, in one
 * transaction. The intake's answer thus waits for one job row per delivery instead of one per event (about a third
 * of its work in the intake bench) and routing still happens exactly once per event: a run again after a crash,
 * or a second run of another instance, finds the events linked (`job_id`) and skips them; on PostgreSQL the rows
 * are locked while they are routed.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { preparedOn } from '../../db/bulk-insert';
import { sqliteConnection, type Db, type DbOrTx } from '../../db/client';
import { webhookEvents } from '../../db/schema';
import type { HubspotEvent } from '../../hubspot/webhook-events';
import { defineJob, type JobDefinition } from '../define';
import type { EnqueueResult, JobQueue } from '../queue';
import { EnqueueBatch, type WebhookRoute } from '../webhook-routes';

/** HubSpot sends at most 100 events per delivery, and a routing job covers one portal's events of one delivery. */
export const maxEventsPerRouting = 100;

const RoutingPayload = z.object({
  portalId: z.string().regex(/^\d+$/),
  eventIds: z.array(z.number().int().positive()).min(1).max(maxEventsPerRouting),
});
export type RoutingPayload = z.infer<typeof RoutingPayload>;
export type RoutingJob = JobDefinition<RoutingPayload>;

export interface RoutingDeps {
  db: Db;
  queue: JobQueue;
  routes: () => WebhookRoute[];
  /** Wakes the local worker after the jobs were made. */
  onRouted?: () => void;
}

export const webhookRoutingJobName = 'webhooks.route';

export function webhookRoutingJob(deps: RoutingDeps): RoutingJob {
  return defineJob({
    name: webhookRoutingJobName,
    payload: RoutingPayload,
    portalId: (p) => p.portalId,
    async run(payload, ctx) {
      const result = await deps.db.transaction((tx) => routeStoredEvents(tx, deps, payload.eventIds));
      if (result.routed > 0) deps.onRouted?.();
      ctx.log.debug({ ...result }, 'webhook events routed');
    },
  });
}

export interface RoutingResult {
  routed: number;
  /** Already linked to a job (a run again after a crash, or another instance's run). */
  alreadyRouted: number;
  /** No route matches any more (the routes changed between intake and routing, e.g. a deploy). */
  unrouted: number;
}

/** Routes the events `ids` that are queued and not linked yet, in the order they were stored. */
export async function routeStoredEvents(tx: DbOrTx, deps: Pick<RoutingDeps, 'queue' | 'routes'>, ids: number[]): Promise<RoutingResult> {
  const rows = await pendingEvents(tx, ids);
  const routes = deps.routes();
  const batch = new EnqueueBatch(deps.queue);
  const routed: { eventId: number; job: Promise<EnqueueResult> }[] = [];
  const unrouted: number[] = [];
  for (const { id, event } of rows) {
    const route = routes.find((r) => r.matches(event));
    if (route) routed.push({ eventId: id, job: route.enqueue(event, batch, tx) });
    else unrouted.push(id);
  }
  await batch.flush(tx);
  const links = await Promise.all(routed.map(async ({ eventId, job }) => ({ eventId, jobId: (await job).id })));
  await setJobIds(tx, links);
  if (unrouted.length > 0) await tx.update(webhookEvents).set({ status: 'ignored', ignoredReason: 'no_route' }).where(inArray(webhookEvents.id, unrouted));
  return { routed: routed.length, alreadyRouted: ids.length - rows.length, unrouted: unrouted.length };
}

/** The events of `ids` still waiting for their job, in the order stored; on PostgreSQL locked until the transaction ends. */
async function pendingEvents(tx: DbOrTx, ids: number[]): Promise<{ id: number; event: HubspotEvent }[]> {
  // After waiting for another transaction's lock, PostgreSQL checks the row again and leaves it out once linked
  // ("the WHERE clause is re-evaluated to see if the updated version of the row still matches", Read Committed,
  // https://www.postgresql.org/docs/15/transaction-iso.html#XACT-READ-COMMITTED).
  const lock = tx.dialect === 'postgres' ? sql` for update` : sql``;
  const where = and(inArray(webhookEvents.id, ids), eq(webhookEvents.status, 'queued'), isNull(webhookEvents.jobId));
  const rows = await tx.execute<{ id: number; payload: string }>(
    sql`select ${webhookEvents.id} as id, ${webhookEvents.payload} as payload from ${webhookEvents} where ${where} order by ${webhookEvents.id}${lock}`,
  );
  return rows.map((row) => ({ id: Number(row.id), event: webhookEvents.payload.mapFromDriverValue(row.payload) as HubspotEvent }));
}

/**
 * Links each routed event to its job. SQLite: one prepared statement run per event (microseconds; building the
 * one-statement form costs more). PostgreSQL: one statement (a routing job names at most 100 events).
 */
async function setJobIds(tx: DbOrTx, links: { eventId: number; jobId: number }[]): Promise<void> {
  const connection = sqliteConnection(tx);
  if (connection) {
    const link = preparedOn(connection, 'update webhook_events set job_id = ? where id = ?');
    for (const { eventId, jobId } of links) link.run(jobId, eventId);
    return;
  }
  if (links.length === 0) return;
  const jobId = sql.join(
    links.map((l) => sql`when ${l.eventId} then cast(${l.jobId} as bigint)`),
    sql` `,
  );
  await tx
    .update(webhookEvents)
    .set({ jobId: sql`case ${webhookEvents.id} ${jobId} end` })
    .where(
      inArray(
        webhookEvents.id,
        links.map((l) => l.eventId),
      ),
    );
}
