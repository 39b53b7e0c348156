/**
 * `POST /webhooks/stripe`: the signature (HMAC over the raw bytes, 5-minute window) is checked
 * first; a forged or stale event gets 400 and changes nothing. Then one transaction stores the
 * event (unique on Stripe's event id, so a redelivery is stored once) and enqueues the sync of its
 * subscription; only after the commit do we answer 2xx (https://docs.stripe.com/webhooks#acknowledge-events-immediately).
 */
import { eq } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { StripeBilling } from '../../billing/stripe-billing';
import type { Db } from '../../db/client';
import { billingEvents } from '../../db/schema';
import { AppError } from '../../errors';
import type { syncSubscriptionJob } from '../../jobs/definitions/billing';
import type { JobQueue } from '../../jobs/queue';
import type { RawBodyRequest } from '../middleware/raw-body';

export interface StripeWebhookDeps {
  db: Db;
  queue: JobQueue;
  billing: StripeBilling;
  webhookSecret: () => string;
  job: ReturnType<typeof syncSubscriptionJob>;
  log: Logger;
  onAccepted?: () => void;
  now?: () => number;
}

export function stripeWebhookRoutes(deps: StripeWebhookDeps): Router {
  const router = Router();
  router.post('/webhooks/stripe', async (req, res) => {
    const raw = (req as RawBodyRequest).rawBody;
    const signature = req.headers['stripe-signature'];
    let event: Stripe.Event;
    try {
      if (!raw || typeof signature !== 'string') throw new Error('no body or signature');
      event = deps.billing.verifyEvent(raw, signature, deps.webhookSecret());
    } catch {
      throw new AppError('invalid_request', 'The Stripe signature is not valid.');
    }
    const target = await subscriptionOf(event, deps.billing);
    const now = (deps.now ?? Date.now)();
    let duplicate = false;
    await deps.db.transaction(async (tx) => {
      const inserted = await tx
        .insert(billingEvents)
        .values({
          eventId: event.id,
          type: event.type,
          portalId: target?.portalId ?? null,
          stripeSubscriptionId: target?.subscriptionId ?? null,
          createdAt: event.created * 1000,
          receivedAt: now,
        })
        .onConflictDoNothing()
        .returning({ eventId: billingEvents.eventId });
      duplicate = inserted.length === 0;
      if (duplicate || !target) return;
      const job = await deps.queue.enqueue(deps.job, target, { tx });
      await tx.update(billingEvents).set({ jobId: job.id }).where(eq(billingEvents.eventId, event.id));
    });
    deps.log.info({ eventId: event.id, type: event.type, duplicate, subscriptionId: target?.subscriptionId }, 'stripe event accepted');
    if (!duplicate && target) deps.onAccepted?.();
    res.status(200).json({ received: true, duplicate });
  });
  return router;
}

/** The subscription an event is about, and the portal it belongs to (our metadata, else the customer). */
async function subscriptionOf(event: Stripe.Event, billing: StripeBilling): Promise<{ portalId: string; subscriptionId: string } | undefined> {
  // Stripe's union of event objects, read by its `object` tag below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fields differ per tag and are checked where read
  const object = event.data.object as unknown as Record<string, any>;
  let subscriptionId: string | undefined;
  let portalId: string | undefined;
  if (object.object === 'subscription') {
    subscriptionId = object.id;
    portalId = object.metadata?.portal_id;
  } else if (object.object === 'checkout.session') {
    subscriptionId = typeof object.subscription === 'string' ? object.subscription : object.subscription?.id;
    portalId = object.metadata?.portal_id ?? object.client_reference_id ?? undefined;
  } else if (object.object === 'invoice') {
    subscriptionId = object.parent?.subscription_details?.subscription ?? undefined;
    portalId = object.parent?.subscription_details?.metadata?.portal_id;
  }
  if (!subscriptionId) return undefined;
  const customer = typeof object.customer === 'string' ? object.customer : object.customer?.id;
  portalId ??= customer ? await billing.portalOfCustomer(customer) : undefined;
  return portalId && /^\d+$/.test(portalId) ? { portalId, subscriptionId } : undefined;
}
