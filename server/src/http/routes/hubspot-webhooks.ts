/**
 * `POST /webhooks/hubspot`: signature first, then zod, then one transaction that stores every event
 * (deduplicated) and enqueues its job. Only after the commit do we answer 2xx, so an accepted event
 * is never lost; a duplicate delivery is stored once and starts no second job. An event we cannot
 * use (bad id, too deep, too large) is recorded as rejected with a bounded excerpt, and the rest of
 * its batch is still accepted: answering 4xx would make HubSpot retry and finally drop them all.
 */
import type Database from 'better-sqlite3';
import { and, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../../db/client';
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
import type { WebhookObserver, WebhookRoute } from '../../jobs/webhook-routes';
import type { JobQueue } from '../../jobs/queue';
import { requireHubspotSignature, type SignatureOptions } from '../middleware/hubspot-signature';
import type { RawBodyRequest } from '../middleware/raw-body';

export interface WebhookIntakeDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
  signature: SignatureOptions;
  appId: () => string | undefined;
  routes: () => WebhookRoute[];
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
  router.post('/webhooks/hubspot', requireHubspotSignature(deps.signature), (req, res) => {
    const parsed = HubspotEventListSchema.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_request', 'The webhook body is not a HubSpot event batch.', toValidationIssues(parsed.error.issues));
    const { events, rejected } = screenEvents(parsed.data, (req as RawBodyRequest).rawBody?.length);
    const result = storeEvents(deps, events, rejected);
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

/** Stores and routes a batch in one transaction (events in order of occurrence), rejected ones recorded. */
export function storeEvents(deps: WebhookIntakeDeps, events: HubspotEvent[], rejected: RejectedEvent[] = []): IntakeResult {
  const now = (deps.now ?? Date.now)();
  const appId = deps.appId();
  const routes = deps.routes();
  const observers = deps.observers?.() ?? [];
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  const result: IntakeResult = { accepted: 0, duplicates: 0, ignored: 0, rejected: 0 };
  deps.db.transaction((tx) => {
    for (const r of rejected) {
      const inserted = tx
        .insert(webhookEvents)
        .values({
          portalId: r.portalId ?? 'unknown',
          dedupeKey: rejectedDedupeKey(r),
          eventId: r.eventId ?? '',
          subscriptionType: r.subscriptionType ?? '',
          objectId: null,
          occurredAt: r.occurredAt ?? now,
          payload: r.excerpt,
          status: 'rejected',
          ignoredReason: `${r.reason}: ${r.detail}`,
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: webhookEvents.id })
        .all();
      if (inserted.length === 0) result.duplicates++;
      else result.rejected++;
    }
    const disconnected = disconnectedPortals(tx, ordered);
    const statements = intakeStatements(deps.db);
    for (const event of ordered) {
      const ownChange = isOwnChange(event, appId);
      const isDisconnected = disconnected.has(event.portalId);
      const route = ownChange || isDisconnected ? undefined : routes.find((r) => r.matches(event));
      const status = route ? 'queued' : 'ignored';
      const ignoredReason = ownChange ? 'own_change' : isDisconnected ? 'portal_disconnected' : route ? null : 'no_route';
      const inserted = statements.insertEvent.get(
        event.portalId,
        eventDedupeKey(event),
        event.eventId,
        event.subscriptionType,
        event.objectId ?? null,
        event.occurredAt,
        JSON.stringify(event),
        status,
        ignoredReason,
        now,
      ) as { id: number } | undefined;
      if (!inserted) {
        result.duplicates++;
        continue;
      }
      if (!isDisconnected) for (const observer of observers) observer.observe(event, tx, appId);
      if (!route) {
        result.ignored++;
        continue;
      }
      const job = route.enqueue(event, deps.queue, tx);
      statements.setJob.run(job.id, inserted.id);
      result.accepted++;
    }
  });
  return result;
}

/**
 * The two statements every stored event runs, prepared once per database: building the query for
 * each of a hundred events per delivery cost more than running it. They run on the transaction's
 * connection (better-sqlite3 has one), inside `storeEvents`' transaction. Same columns and conflict
 * rule as `webhookEvents` (db/schema/webhook-events.ts).
 */
const preparedIntake = new WeakMap<Db, { insertEvent: Database.Statement; setJob: Database.Statement }>();
function intakeStatements(db: Db): { insertEvent: Database.Statement; setJob: Database.Statement } {
  let statements = preparedIntake.get(db);
  if (!statements) {
    statements = {
      insertEvent: db.$client.prepare(
        `insert into webhook_events (portal_id, dedupe_key, event_id, subscription_type, object_id, occurred_at, payload, status, ignored_reason, received_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
      ),
      setJob: db.$client.prepare('update webhook_events set job_id = ? where id = ?'),
    };
    preparedIntake.set(db, statements);
  }
  return statements;
}

/**
 * Portals of the batch the user disconnected: HubSpot keeps sending their events until the app is
 * uninstalled there, and they are stored (answered 200, so HubSpot does not retry) but start no work.
 */
function disconnectedPortals(tx: DbOrTx, events: HubspotEvent[]): Set<string> {
  const ids = [...new Set(events.map((e) => e.portalId))];
  if (ids.length === 0) return new Set();
  const rows = tx
    .select({ portalId: portals.portalId })
    .from(portals)
    .where(and(inArray(portals.portalId, ids), eq(portals.status, 'disconnected')))
    .all();
  return new Set(rows.map((r) => r.portalId));
}
