import type { DbOrTx } from '../db/client';
import type { HubspotEvent } from '../hubspot/webhook-events';
import type { EnqueueResult, JobQueue } from './queue';

/**
 * Where an accepted HubSpot event goes (it lives in jobs/ because a route's whole work is to enqueue): each domain (invoicing, sync) contributes routes. The first route
 * that matches enqueues its job in the intake's transaction; an event no route matches is stored
 * and ignored.
 */
export interface WebhookRoute {
  /** For logs and the activity view, e.g. `invoice.deal-stage`. */
  name: string;
  matches(event: HubspotEvent): boolean;
  enqueue(event: HubspotEvent, queue: JobQueue, tx: DbOrTx): EnqueueResult;
}

/**
 * Looks at every newly stored event (never a duplicate delivery, nor one of a disconnected portal), our own
 * changes included, in the intake's transaction; it starts no work. The sync counts other apps' writes with one.
 */
export interface WebhookObserver {
  name: string;
  /** `appId` is our app's id where configured (hubspot/webhook-events.ts `isOwnChange`). */
  observe(event: HubspotEvent, tx: DbOrTx, appId: string | undefined): void;
}
