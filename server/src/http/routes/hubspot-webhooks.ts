/**
 * `POST /webhooks/hubspot`: signature first, then zod, then one transaction that stores every event
 * (deduplicated) and, for the events a route matches, one routing job per portal that makes their jobs
 * after the answer (jobs/definitions/webhook-routing.ts). Only after the commit do we answer 2xx, so an
 * accepted event is never lost; a duplicate delivery is stored once and starts no second job. An event we cannot
 * use (bad id, too deep, too large) is recorded as rejected with a bounded excerpt, and the rest of
 * its batch is still accepted: answering 4xx would make HubSpot retry and finally drop them all.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import { insertIgnoringConflicts, preparedOn } from '../../db/bulk-insert';
import { isDeadlock, sqliteConnection, type Db, type DbOrTx } from '../../db/client';
import { portals, webhookEvents } from '../../db/schema';
import { AppError, toValidationIssues } from '../../errors';
import {
  eventDedupeKey,
  HubspotEventListSchema,
  isOwnChange,
  rejectedDedupeKey,
  screenEvents,
  type HubspotEvent,
  type RejectedEvent,
} from '../../hubspot/webhook-events';
import { maxEventsPerRouting, type RoutingJob } from '../../jobs/definitions/webhook-routing';
import type { WebhookObserver, WebhookRoute } from '../../jobs/webhook-routes';
import type { JobDefinition } from '../../jobs/define';
import type { EnqueueRequest, JobQueue } from '../../jobs/queue';
import { requireHubspotSignature, type SignatureOptions } from '../middleware/hubspot-signature';
import type { RawBodyRequest } from '../middleware/raw-body';

export interface WebhookIntakeDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
  signature: SignatureOptions;
  appId: () => string | undefined;
  /** Which events start work: an event no route matches is stored as ignored. */
  routes: () => WebhookRoute[];
  /** Makes the matched events' jobs after the answer. */
  routing: RoutingJob;
  /** See every newly stored event (the sync counts other apps' writes); none when omitted. */
  observers?: () => WebhookObserver[];
  /** Wakes the local worker after a commit. */
  onAccepted?: () => void;
  /** Counts events by outcome (metrics). */
  onResult?: (result: IntakeResult) => void;
  now?: () => number;
}

export interface IntakeResult {
  accepted: number;
  duplicates: number;
  ignored: number;
  /** Events recorded as rejected (not routed). */
  rejected: number;
}

export function hubspotWebhookRoutes(deps: WebhookIntakeDeps): Router {
  const router = Router();
  router.post('/webhooks/hubspot', requireHubspotSignature(deps.signature), async (req, res) => {
    const parsed = HubspotEventListSchema.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_request', 'The webhook body is not a HubSpot event batch.', toValidationIssues(parsed.error.issues));
    const { events, rejected } = screenEvents(parsed.data, (req as RawBodyRequest).rawBody?.length);
    const result = await storeEvents(deps, events, rejected);
    deps.log.info({ ...result }, 'hubspot webhook accepted');
    if (rejected.length > 0)
      deps.log.warn(
        { rejected: rejected.map((r) => ({ reason: r.reason, detail: r.detail, portalId: r.portalId, eventId: r.eventId })) },
        'hubspot webhook events rejected',
      );
    deps.onResult?.(result);
    if (result.accepted > 0) deps.onAccepted?.();
    res.status(200).json(result);
  });
  return router;
}

/** Stores a batch and its routing jobs in one transaction (events in order of occurrence), rejected ones recorded. */
export async function storeEvents(deps: WebhookIntakeDeps, events: HubspotEvent[], rejected: RejectedEvent[] = []): Promise<IntakeResult> {
  const now = (deps.now ?? Date.now)();
  const appId = deps.appId();
  const routes = deps.routes();
  const observers = deps.observers?.() ?? [];
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  // PostgreSQL: two deliveries sharing events in another order (a redelivery while the first still runs) can
  // deadlock on the unique keys; the server aborts one, which then runs again and finds the others' rows.
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.db.transaction((tx) => storeBatch(tx, deps, ordered, rejected, { now, appId, routes, observers }));
    } catch (error) {
      if (attempt >= 3 || !isDeadlock(error)) throw error;
    }
  }
}

async function storeBatch(
  tx: DbOrTx,
  deps: WebhookIntakeDeps,
  ordered: HubspotEvent[],
  rejected: RejectedEvent[],
  { now, appId, routes, observers }: { now: number; appId: string | undefined; routes: WebhookRoute[]; observers: WebhookObserver[] },
): Promise<IntakeResult> {
  const result: IntakeResult = { accepted: 0, duplicates: 0, ignored: 0, rejected: 0 };
  if (rejected.length > 0) {
    const stored = await insertEvents(
      tx,
      rejected.map((r) => ({
        portalId: r.portalId ?? 'unknown',
        dedupeKey: rejectedDedupeKey(r),
        eventId: r.eventId ?? '',
        subscriptionType: r.subscriptionType ?? '',
        objectId: null,
        occurredAt: r.occurredAt ?? now,
        payload: r.excerpt,
        status: 'rejected' as const,
        ignoredReason: `${r.reason}: ${r.detail}`,
        receivedAt: now,
      })),
    );
    for (const id of stored) {
      if (id === undefined) result.duplicates++;
      else result.rejected++;
    }
  }
  if (ordered.length === 0) return result;
  const disconnected = await disconnectedPortals(tx, ordered);
  const planned = ordered.map((event) => {
    const ownChange = isOwnChange(event, appId);
    const isDisconnected = disconnected.has(event.portalId);
    const route = ownChange || isDisconnected ? undefined : routes.find((r) => r.matches(event));
    const ignoredReason = ownChange ? 'own_change' : isDisconnected ? 'portal_disconnected' : route ? null : 'no_route';
    return { event, isDisconnected, route, ignoredReason };
  });
  const stored = await insertEvents(
    tx,
    planned.map(({ event, route, ignoredReason }) => ({
      portalId: event.portalId,
      dedupeKey: eventDedupeKey(event),
      eventId: event.eventId,
      subscriptionType: event.subscriptionType,
      objectId: event.objectId ?? null,
      occurredAt: event.occurredAt,
      payload: event,
      status: route ? ('queued' as const) : ('ignored' as const),
      ignoredReason,
      receivedAt: now,
    })),
  );
  // The routes' jobs are made after the answer, by one routing job per portal (jobs/definitions/webhook-routing.ts).
  const toRoute = new Map<string, number[]>();
  for (const [index, { event, isDisconnected, route }] of planned.entries()) {
    const eventId = stored[index];
    if (eventId === undefined) {
      result.duplicates++;
      continue;
    }
    if (!isDisconnected) for (const observer of observers) await observer.observe(event, tx, appId);
    if (!route) {
      result.ignored++;
      continue;
    }
    const ids = toRoute.get(event.portalId);
    if (ids) ids.push(eventId);
    else toRoute.set(event.portalId, [eventId]);
    result.accepted++;
  }
  const routing: EnqueueRequest[] = [];
  for (const [portalId, ids] of toRoute)
    for (let start = 0; start < ids.length; start += maxEventsPerRouting)
      routing.push({ definition: deps.routing as JobDefinition<unknown>, payload: { portalId, eventIds: ids.slice(start, start + maxEventsPerRouting) } });
  if (routing.length > 0) await deps.queue.enqueueMany(routing, tx);
  return result;
}

type NewWebhookEvent = typeof webhookEvents.$inferInsert;
/** Rows per insert: 10 parameters each stays far below either engine's limit on parameters. */
const insertChunk = 500;

/**
 * Inserts the rows in order, a duplicate (same dedupe key, stored before or earlier in this batch)
 * skipped; answers each row's new id, undefined for a duplicate. One statement per few hundred rows
 * instead of one per event: a delivery carries up to a hundred.
 */
async function insertEvents(tx: DbOrTx, rows: NewWebhookEvent[]): Promise<(number | undefined)[]> {
  const ids = new Map<string, number>();
  for (let start = 0; start < rows.length; start += insertChunk) {
    const inserted = await insertIgnoringConflicts(tx, webhookEvents, rows.slice(start, start + insertChunk), {
      id: webhookEvents.id,
      dedupeKey: webhookEvents.dedupeKey,
    });
    for (const row of inserted) ids.set(row.dedupeKey, row.id);
  }
  // The first row with a key is the one stored (rows are inserted in order); later ones are duplicates.
  return rows.map((row) => {
    const id = ids.get(row.dedupeKey);
    ids.delete(row.dedupeKey);
    return id;
  });
}

/**
 * Portals of the batch the user disconnected: HubSpot keeps sending their events until the app is
 * uninstalled there, and they are stored (answered 200, so HubSpot does not retry) but start no work.
 */
async function disconnectedPortals(tx: DbOrTx, events: HubspotEvent[]): Promise<Set<string>> {
  const ids = [...new Set(events.map((e) => e.portalId))];
  if (ids.length === 0) return new Set();
  // SQLite: one statement prepared for any number of portals; drizzle builds and prepares it anew per delivery.
  const connection = sqliteConnection(tx);
  if (connection) {
    const select = preparedOn(connection, "select portal_id from portals where status = 'disconnected' and portal_id in (select value from json_each(?))");
    return new Set((select.all(JSON.stringify(ids)) as { portal_id: string }[]).map((r) => r.portal_id));
  }
  const rows = await tx
    .select({ portalId: portals.portalId })
    .from(portals)
    .where(and(inArray(portals.portalId, ids), eq(portals.status, 'disconnected')));
  return new Set(rows.map((r) => r.portalId));
}
