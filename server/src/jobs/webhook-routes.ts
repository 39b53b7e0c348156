import type { DbOrTx } from '../db/client';
import type { HubspotEvent } from '../hubspot/webhook-events';
import type { JobDefinition } from './define';
import type { EnqueueOptions, EnqueueRequest, EnqueueResult, JobQueue } from './queue';

/**
 * Where an accepted HubSpot event goes (it lives in jobs/ because a route's whole work is to enqueue): each domain
 * (invoicing, sync) contributes routes. The intake stores an event no route matches as ignored; for the others the
 * delivery's routing job (definitions/webhook-routing.ts) has the first matching route enqueue its job.
 */
export interface WebhookRoute {
  /** For logs and the activity view, e.g. `invoice.deal-stage`. */
  name: string;
  matches(event: HubspotEvent): boolean;
  enqueue(event: HubspotEvent, queue: Enqueuer, tx: DbOrTx): Promise<EnqueueResult>;
}

/** What a route enqueues through: the queue itself, or the routing job's `EnqueueBatch`. */
export type Enqueuer = Pick<JobQueue, 'enqueue'>;

/**
 * Collects the jobs a batch of routes enqueues and makes them in one `enqueueMany` (the webhook routing:
 * a delivery carries up to a hundred events). A route's promise resolves once the batch is flushed; an
 * enqueue after the flush goes to the queue directly.
 */
export class EnqueueBatch implements Enqueuer {
  private readonly requests: Array<EnqueueRequest & { settle: (result: Promise<EnqueueResult>) => void }> = [];
  private flushed = false;

  constructor(private readonly queue: JobQueue) {}

  enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (this.flushed) return this.queue.enqueue(definition, payload, options);
    return new Promise<EnqueueResult>((resolve, reject) => {
      this.requests.push({
        definition: definition as JobDefinition<unknown>,
        payload,
        runAt: options.runAt,
        settle: (result) => void result.then(resolve, reject),
      });
    });
  }

  /** Makes every collected job in `tx`; each route's promise settles with its job. */
  async flush(tx: DbOrTx): Promise<void> {
    this.flushed = true;
    if (this.requests.length === 0) return;
    const made = this.queue.enqueueMany(this.requests, tx);
    this.requests.forEach((request, index) => request.settle(made.then((results) => results[index])));
    await made;
  }
}

/**
 * Looks at every newly stored event (never a duplicate delivery, nor one of a disconnected portal), our own
 * changes included, in the intake's transaction; it starts no work. The sync counts other apps' writes with one.
 */
export interface WebhookObserver {
  name: string;
  /** `appId` is our app's id where configured (hubspot/webhook-events.ts `isOwnChange`). */
  observe(event: HubspotEvent, tx: DbOrTx, appId: string | undefined): Promise<void>;
}
