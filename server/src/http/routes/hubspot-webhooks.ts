/**
 * `POST /webhooks/hubspot`: signature first, then zod, then one transaction that stores every event
 * (deduplicated) and enqueues its job. Only after the commit do we answer 2xx, so an accepted event
 * is never lost; a duplicate delivery is stored once and starts no second job.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../../db/client';
import { portals, webhookEvents } from '../../db/schema';
import { AppError, toValidationIssues } from '../../errors';
import { eventDedupeKey, HubspotEventBatchSchema, isOwnChange, type HubspotEvent } from '../../hubspot/webhook-events';
import type { WebhookRoute } from '../../hubspot/webhook-routes';
import type { JobQueue } from '../../jobs/queue';
import { requireHubspotSignature, type SignatureOptions } from '../middleware/hubspot-signature';

export interface WebhookIntakeDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
  signature: SignatureOptions;
  appId: () => string | undefined;
  routes: () => WebhookRoute[];
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
}

export function hubspotWebhookRoutes(deps: WebhookIntakeDeps): Router {
  const router = Router();
  router.post('/webhooks/hubspot', requireHubspotSignature(deps.signature), (req, res) => {
    const parsed = HubspotEventBatchSchema.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_request', 'The webhook body is not a HubSpot event batch.', toValidationIssues(parsed.error.issues));
    const result = storeEvents(deps, parsed.data);
    deps.log.info({ ...result }, 'hubspot webhook accepted');
    deps.onResult?.(result);
    if (result.accepted > 0) deps.onAccepted?.();
    res.status(200).json(result);
  });
  return router;
}

/** Stores and routes a batch in one transaction (events in order of occurrence). */
export function storeEvents(deps: WebhookIntakeDeps, events: HubspotEvent[]): IntakeResult {
  const now = (deps.now ?? Date.now)();
  const appId = deps.appId();
  const routes = deps.routes();
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  const result: IntakeResult = { accepted: 0, duplicates: 0, ignored: 0 };
  deps.db.transaction((tx) => {
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
