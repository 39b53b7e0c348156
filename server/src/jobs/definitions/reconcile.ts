/**
 * The reconciliation sweep (issue 13): HubSpot retries a webhook delivery for 24 hours only
 * (hubspot.md §5), so after a longer outage a won deal would never be invoiced and a contact edit
 * never synced. Per portal, on a schedule, the sweep asks HubSpot's search API what changed since
 * the last sweep and enqueues what no webhook brought: won deals without an invoice record or a
 * live invoice job, and changed contacts and companies (when the portal syncs from HubSpot) that
 * no stored event names. Enqueueing is idempotent (dedupe keys; the invoice run is exactly-once),
 * so a sweep that overlaps with webhooks does no harm.
 */
import { and, eq, gte, inArray, isNull, like, max, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { hubspotTokens, jobs, portals, reconcileState, webhookEvents } from '../../db/schema';
import type { HubspotClients } from '../../hubspot/client';
import type { PipelineCache } from '../../hubspot/pipelines';
import { changedSince, maxInValues, modifiedProperty } from '../../hubspot/recent-changes';
import type { InvoiceRecords } from '../../invoicing/records';
import { defineJob, type JobDefinition } from '../define';
import { liveStates, type JobQueue } from '../queue';

/** Search results lag writes by a few moments (hubspot.md §6.1): each window starts this much before the last one ended. */
export const sweepOverlapMs = 10 * 60_000;
/** A portal's first sweep looks back this far: older changes had their 24 hours of webhook retries. */
export const firstSweepLookbackMs = 24 * 60 * 60_000;

export interface ReconcileDeps {
  db: Db;
  hubspot: HubspotClients;
  pipelines: PipelineCache;
  records: InvoiceRecords;
  queue: JobQueue;
  invoiceJob: JobDefinition<{ portalId: string; dealId: string; trigger: 'stage_change' | 'quote_added' | 'manual' | 'workflow'; occurredAt?: number }>;
  syncJob: JobDefinition<{ portalId: string; objectType: 'contact' | 'company'; hubspotId: string }>;
  /** Whether HubSpot changes of this portal's contacts and companies go to the accounting system. */
  syncsFromHubspot: (portalId: string) => Promise<boolean>;
  now: () => number;
  onEnqueued?: () => void;
}

export function reconcileJob(deps: ReconcileDeps) {
  return defineJob({
    name: 'reconcile.sweep',
    payload: z.object({ portalId: z.string().regex(/^\d+$/) }),
    key: (p) => `reconcile:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 5,
    async run(p, ctx) {
      const startedAt = deps.now();
      const sinceMs = await windowStart(deps.db, p.portalId, startedAt);
      const missedDeals = await sweepDeals(deps, p.portalId, sinceMs);
      const missedRecords = (await deps.syncsFromHubspot(p.portalId)) ? await sweepSyncedRecords(deps, p.portalId, sinceMs) : 0;
      const row = { sweptAt: startedAt, missedDeals, missedRecords, updatedAt: deps.now() };
      await deps.db
        .insert(reconcileState)
        .values({ portalId: p.portalId, ...row })
        .onConflictDoUpdate({ target: reconcileState.portalId, set: row });
      if (missedDeals + missedRecords > 0) {
        deps.onEnqueued?.();
        ctx.log.warn({ missedDeals, missedRecords, sinceMs }, 'reconciliation sweep found changes no webhook brought');
      } else {
        ctx.log.info({ sinceMs }, 'reconciliation sweep found nothing missed');
      }
    },
  });
}

async function windowStart(db: Db, portalId: string, now: number): Promise<number> {
  const [state] = await db.select({ sweptAt: reconcileState.sweptAt }).from(reconcileState).where(eq(reconcileState.portalId, portalId)).limit(1);
  if (state) return state.sweptAt - sweepOverlapMs;
  const installedAt = (await installedAtOf(db, portalId)) ?? now;
  return Math.max(installedAt - sweepOverlapMs, now - firstSweepLookbackMs);
}

/**
 * Won deals changed in the window with no invoice record, no live invoice job and no stored event still waiting for
 * its routing job (jobs/definitions/webhook-routing.ts: that event's job is about to be made; it was not missed).
 */
async function sweepDeals(deps: ReconcileDeps, portalId: string, sinceMs: number): Promise<number> {
  const won = await deps.pipelines.wonStageIds(portalId);
  let missed = 0;
  for (let i = 0; i < won.length; i += maxInValues) {
    const stages = won.slice(i, i + maxInValues);
    for await (const deal of changedSince(deps.hubspot, portalId, {
      objectType: 'deals',
      sinceMs,
      filters: [{ propertyName: 'dealstage', operator: 'IN', values: stages }],
    })) {
      if (
        (await deps.records.get(portalId, deal.id)) ||
        (await invoiceUnderway(deps.db, deps.invoiceJob.key!({ portalId, dealId: deal.id, trigger: 'stage_change' }), portalId, deal.id, sinceMs))
      )
        continue;
      await deps.queue.enqueue(deps.invoiceJob, { portalId, dealId: deal.id, trigger: 'stage_change' });
      missed++;
    }
  }
  return missed;
}

/** Contacts and companies changed in the window that no stored webhook event names. */
async function sweepSyncedRecords(deps: ReconcileDeps, portalId: string, sinceMs: number): Promise<number> {
  const heard = await objectsHeardSince(deps.db, portalId, sinceMs);
  const done = new Set<string>();
  let missed = 0;
  for (const [objectType, plural] of [
    ['contact', 'contacts'],
    ['company', 'companies'],
  ] as const) {
    for await (const record of changedSince(deps.hubspot, portalId, { objectType: plural, sinceMs })) {
      const key = `${objectType}:${record.id}`;
      if (heard.has(key) || done.has(key)) continue;
      done.add(key);
      // An earlier sweep (the windows overlap) already queued it after this change.
      const modifiedMs = Date.parse(String(record.properties[modifiedProperty[plural]] ?? ''));
      const earlier = await deps.queue.latestByKey(deps.syncJob.key!({ portalId, objectType, hubspotId: record.id }));
      if (earlier && earlier.createdAt >= modifiedMs) continue;
      await deps.queue.enqueue(deps.syncJob, { portalId, objectType, hubspotId: record.id });
      missed++;
    }
  }
  return missed;
}

async function objectsHeardSince(db: Db, portalId: string, sinceMs: number): Promise<Set<string>> {
  const rows = await db
    .select({ type: webhookEvents.subscriptionType, objectId: webhookEvents.objectId, payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.portalId, portalId), gte(webhookEvents.receivedAt, sinceMs)));
  const heard = new Set<string>();
  for (const row of rows) {
    const typeId = (row.payload as { objectTypeId?: string }).objectTypeId;
    const prefix = row.type.split('.')[0];
    const objectType = prefix === 'contact' || typeId === '0-1' ? 'contact' : prefix === 'company' || typeId === '0-2' ? 'company' : undefined;
    if (objectType && row.objectId) heard.add(`${objectType}:${row.objectId}`);
  }
  return heard;
}

/**
 * A live invoice job for the deal, or a stored event of the deal still waiting for its routing job, which is about to
 * make that job. One statement: the routing job makes the job and links the event in one transaction, so whichever
 * side of that commit the statement reads, it sees one of the two. (`object.*` events are taken as the deal's too:
 * at worst a same-numbered record's pending event defers the deal to the next sweep, whose window overlaps.)
 */
async function invoiceUnderway(db: Db, key: string, portalId: string, dealId: string, sinceMs: number): Promise<boolean> {
  const liveJob = and(eq(jobs.dedupeKey, key), inArray(jobs.state, liveStates));
  const pendingEvent = and(
    eq(webhookEvents.portalId, portalId),
    gte(webhookEvents.receivedAt, sinceMs),
    eq(webhookEvents.objectId, dealId),
    eq(webhookEvents.status, 'queued'),
    isNull(webhookEvents.jobId),
    or(like(webhookEvents.subscriptionType, 'deal.%'), like(webhookEvents.subscriptionType, 'object.%')),
  );
  const rows = await db.execute(
    sql`select 1 as underway where exists (select 1 from ${jobs} where ${liveJob}) or exists (select 1 from ${webhookEvents} where ${pendingEvent})`,
  );
  return rows.length > 0;
}

async function installedAtOf(db: Db, portalId: string): Promise<number | undefined> {
  const [portal] = await db.select({ installedAt: portals.installedAt }).from(portals).where(eq(portals.portalId, portalId)).limit(1);
  return portal?.installedAt;
}

/** Portals whose next sweep is due: installed, with tokens, last swept at least `intervalMs` ago. */
export async function dueSweepPortals(db: Db, now: number, intervalMs: number): Promise<string[]> {
  const active = await db
    .select({ portalId: portals.portalId, sweptAt: reconcileState.sweptAt })
    .from(portals)
    .innerJoin(hubspotTokens, eq(hubspotTokens.portalId, portals.portalId))
    .leftJoin(reconcileState, eq(reconcileState.portalId, portals.portalId))
    .where(eq(portals.status, 'active'))
    .orderBy(portals.portalId);
  return active.filter((p) => p.sweptAt === null || p.sweptAt + intervalMs <= now).map((p) => p.portalId);
}

/** Enqueues the sweep of every portal that is due; returns how many. */
export async function enqueueDueSweeps(
  deps: { db: Db; queue: JobQueue },
  job: ReturnType<typeof reconcileJob>,
  now: number,
  intervalMs: number,
): Promise<number> {
  const due = await dueSweepPortals(deps.db, now, intervalMs);
  for (const portalId of due) await deps.queue.enqueue(job, { portalId });
  return due.length;
}

/** No event for this long from an installed portal is unusual enough to tell the user. */
export const silentAfterMs = 3 * 24 * 60 * 60_000;

export interface WebhookHealth {
  lastEventAt: number | null;
  lastSweepAt: number | null;
  /** What the last sweep found that no webhook had brought. */
  missedBySweep: { deals: number; records: number };
  /** `webhooks_missing`: the last sweep found changes no webhook brought; `webhooks_silent`: no event for days. */
  warning: 'webhooks_missing' | 'webhooks_silent' | null;
}

/** For the settings page: whether HubSpot's webhooks reach us, as the events and the last sweep tell. */
export async function webhookHealth(db: Db, portalId: string, now: number): Promise<WebhookHealth> {
  const [last] = await db
    .select({ at: max(webhookEvents.receivedAt) })
    .from(webhookEvents)
    .where(eq(webhookEvents.portalId, portalId));
  const lastEventAt = last?.at === null || last?.at === undefined ? null : Number(last.at);
  const [state] = await db.select().from(reconcileState).where(eq(reconcileState.portalId, portalId)).limit(1);
  const installedAt = (await installedAtOf(db, portalId)) ?? now;
  const missedBySweep = { deals: state?.missedDeals ?? 0, records: state?.missedRecords ?? 0 };
  const isSilent = now - (lastEventAt ?? installedAt) >= silentAfterMs;
  const warning = missedBySweep.deals + missedBySweep.records > 0 ? 'webhooks_missing' : isSilent ? 'webhooks_silent' : null;
  return { lastEventAt, lastSweepAt: state?.sweptAt ?? null, missedBySweep, warning };
}
