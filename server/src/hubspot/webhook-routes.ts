import type { DbOrTx } from '../db/client';
import type { EnqueueResult, JobQueue } from '../jobs/queue';
import type { HubspotEvent } from './webhook-events';

/**
 * Where an accepted event goes: each domain (invoicing, sync) contributes routes. The first route
 * that matches enqueues its job in the intake's transaction; an event no route matches is stored
 * and ignored.
 */
export interface WebhookRoute {
  /** For logs and the activity view, e.g. `invoice.deal-stage`. */
  name: string;
  matches(event: HubspotEvent): boolean;
  enqueue(event: HubspotEvent, queue: JobQueue, tx: DbOrTx): EnqueueResult;
}
