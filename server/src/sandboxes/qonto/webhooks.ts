/**
 * Emulated `/v2/webhook_subscriptions` and `v1/client-invoices` deliveries (accounting.md §4.5):
 * subscription objects come back without an envelope; each delivery is a signed POST (X-Qonto-Signature)
 * that the receiver must acknowledge within 1 s. Failed deliveries are not retried here (Qonto's
 * retry schedule is UNCONFIRMED).
 */
import { randomBytes } from 'node:crypto';
import type { Router } from 'express';
import { notFound, sendValidationErrors } from './errors';
import type { InvoiceEvents } from './invoices';
import type { QontoStore } from './store';
import { visibleInvoice } from './invoice-model';
import { signDelivery } from './signature';
import { webhookSubscriptionBody } from './validation';

export interface WebhookSubscription {
  id: string;
  callback_url: string;
  types: string[];
  secret: string;
  description: string | null;
  created_at: string;
}

export function registerWebhookRoutes(router: Router, store: QontoStore): void {
  const subscriptions = store.webhookSubscriptions;
  const write = (body: unknown, id: string, createdAt: string) => {
    const parsed = webhookSubscriptionBody.safeParse(body ?? {});
    if (!parsed.success) return parsed;
    const secret = parsed.data.secret ?? randomBytes(24).toString('hex');
    return { success: true as const, data: { id, callback_url: parsed.data.callback_url, types: parsed.data.types, secret, description: parsed.data.description ?? null, created_at: createdAt } };
  };

  router.get('/v2/webhook_subscriptions', (_req, res) => {
    res.json({ webhook_subscriptions: [...subscriptions.values()] });
  });
  router.post('/v2/webhook_subscriptions', (req, res) => {
    const result = write(req.body, store.newId(), store.isoNow());
    if (!result.success) return sendValidationErrors(res, result.error);
    subscriptions.set(result.data.id, result.data);
    res.json(result.data);
  });
  router.get('/v2/webhook_subscriptions/:id', (req, res) => {
    const sub = subscriptions.get(req.params.id);
    return sub ? res.json(sub) : notFound(res, 'Webhook subscription');
  });
  // PUT is a full replacement: without callback_url it fails (QCTL: "CallbackURL is missing").
  router.put('/v2/webhook_subscriptions/:id', (req, res) => {
    const sub = subscriptions.get(req.params.id);
    if (!sub) return notFound(res, 'Webhook subscription');
    const result = write({ secret: sub.secret, ...req.body }, sub.id, sub.created_at);
    if (!result.success) return sendValidationErrors(res, result.error);
    subscriptions.set(sub.id, result.data);
    res.json(result.data);
  });
  router.delete('/v2/webhook_subscriptions/:id', (req, res) => {
    if (!subscriptions.delete(req.params.id)) return notFound(res, 'Webhook subscription');
    res.status(204).end();
  });
}

/** Sends a signed `v1/client-invoices` event to every matching subscription; never blocks the API answer. */
export function createInvoiceWebhookDispatcher(store: QontoStore): InvoiceEvents {
  return {
    changed(stored, action) {
      for (const sub of store.webhookSubscriptions.values()) {
        if (!sub.types.includes('v1/client-invoices')) continue;
        const body = JSON.stringify({
          id: store.newId(),
          subscription_id: sub.id,
          organization_id: store.organization.id,
          membership_id: store.organization.id,
          type: 'v1/client-invoices',
          created_at: store.isoNow(),
          data: { event: action, ...visibleInvoice(stored) },
        });
        const signature = signDelivery(body, sub.secret, Math.floor(store.now() / 1000));
        void fetch(sub.callback_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-qonto-signature': signature },
          body,
          signal: AbortSignal.timeout(1_000),
        }).catch(() => undefined);
      }
    },
  };
}
