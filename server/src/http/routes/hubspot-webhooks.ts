/**
 * `POST /webhooks/hubspot`: signature first, then zod, then one transaction that stores every event
 * (deduplicated) and enqueues its job. Only after the commit do we answer 2xx, so an accepted event
 * is never lost; a duplicate delivery is stored once and starts no second job. An event we cannot
 * use (bad id, too deep, too large) is recorded as rejected with a bounded excerpt, and the rest of
 * its batch is still accepted: answering 4xx would make HubSpot retry and finally drop them all.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../../db/client';
import { portals, webhookEvents } from '../../db/schema';
import { AppError, toValidationIssues } from '../../errors';
import { eventDedupeKey, HubspotEventListSchema, isOwnChange, rejectedDedupeKey, screenEvents, type HubspotEvent, type RejectedEvent } from '../../hubspot/webhook-events';
import type { WebhookObserver, WebhookRoute } from '../../jobs/webhook-routes';
import type { JobQueue } from '../../jobs/queue';
import { requireHubspotSignature, type SignatureOptions } from '../middleware/hubspot-signature';

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
    const { events, rejected } = screenEvents(parsed.data);
    const result = storeEvents(deps, events, rejected);
    deps.log.info({ ...result }, 'hubspot webhook accepted');
    if (rejected.length > 0) deps.log.warn({ rejected: rejected.map((r) => ({ reason: r.reason, detail: r.detail, portalId: r.portalId, eventId: r.eventId })) }, 'hubspot webhook events rejected');
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
    for (const event of ordered) {
      const ownChange = isOwnChange(event, appId);
      const isDisconnected = disconnected.has(event.portalId);
      const route = ownChange || isDisconnected ? undefined : routes.find((r) => r.matches(event));
      const inserted = tx
        .insert(webhookEvents)
        .values({
          portalId: event.portalId,
          dedupeKey: eventDedupeKey(event),
          eventId: event.eventId,
          subscriptionType: event.subscriptionType,
          objectId: event.objectId ?? null,
          occurredAt: event.occurredAt,
          payload: event,
          status: route ? 'queued' : 'ignored',
          ignoredReason: ownChange ? 'own_change' : isDisconnected ? 'portal_disconnected' : route ? null : 'no_route',
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: webhookEvents.id })
        .all();
      if (inserted.length === 0) {
        result.duplicates++;
        continue;
      }
      if (!isDisconnected) for (const observer of observers) observer.observe(event, tx, appId);
      if (!route) {
        result.ignored++;
        continue;
      }
      const job = route.enqueue(event, deps.queue, tx);
      tx.update(webhookEvents).set({ jobId: job.id }).where(eq(webhookEvents.id, inserted[0].id)).run();
      result.accepted++;
    }
  });
  return result;
}

/**
 * Portals of the batch the user disconnected: HubSpot keeps sending their events until the app is
 * uninstalled there, and they are stored (answered 200, so HubSpot does not retry) but start no work.
 */
function disconnectedPortals(tx: DbOrTx, events: HubspotEvent[]): Set<string> {
  const ids = [...new Set(events.map((e) => e.portalId))];
  if (ids.length === 0) return new Set();
  const rows = tx.select({ portalId: portals.portalId }).from(portals).where(and(inArray(portals.portalId, ids), eq(portals.status, 'disconnected'))).all();
  return new Set(rows.map((r) => r.portalId));
}
