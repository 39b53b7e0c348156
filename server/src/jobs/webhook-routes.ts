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
