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
import type { QontoStore, StoredInvoice } from './store';
import { signDelivery } from './signature';
import { webhookSubscriptionBody } from './validation';

/** Fields and order of the create-a-webhook-subscription response (https://docs.qonto.com/api-reference/business-api/webhooks/create-a-webhook-subscription). */
export interface WebhookSubscription {
  id: string;
  organization_id: string;
  membership_id: string;
  callback_url: string;
  types: string[];
  created_at: string;
  updated_at: string;
  description: string | null;
  secret: string;
}

export function registerWebhookRoutes(router: Router, store: QontoStore): void {
  const subscriptions = store.webhookSubscriptions;
  const write = (body: unknown, id: string, createdAt: string) => {
    const parsed = webhookSubscriptionBody.safeParse(body ?? {});
    if (!parsed.success) return parsed;
    // "If not provided, one will be generated" (32–128 characters).
    const secret = parsed.data.secret ?? randomBytes(24).toString('base64');
    const data: WebhookSubscription = {
      id,
      organization_id: store.organization.id,
      membership_id: store.organization.id,
      callback_url: parsed.data.callback_url,
      types: parsed.data.types,
      created_at: createdAt,
      updated_at: store.isoNow(),
      description: parsed.data.description ?? null,
      secret,
    };
    return { success: true as const, data };
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
    changed(stored) {
      for (const sub of store.webhookSubscriptions.values()) {
        if (!sub.types.includes('v1/client-invoices')) continue;
        const body = JSON.stringify({
          id: store.newId(),
          subscription_id: sub.id,
          organization_id: store.organization.id,
          membership_id: sub.membership_id,
          type: 'v1/client-invoices',
          created_at: store.isoNow(),
          data: webhookInvoice(stored),
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

/**
 * The invoice as the `v1/client-invoices` sample shows it (https://docs.qonto.com/api-reference/business-api/webhooks/
 * supported-webhooks/v1-client-invoices): no `*_cents`, no `organization_id`, `attachment_id` or `invoice_url`, a
 * discount of `type` and `amount`, and no `event` key in `data` (unlike the v1/clients sample). The stored copies
 * end inside the first item; `subtotal` is assumed to follow `total_amount` as in the API's item.
 */
function webhookInvoice(stored: StoredInvoice) {
  const inv = stored.invoice;
  return {
    id: inv.id,
    number: inv.number,
    purchase_order: inv.purchase_order,
    status: inv.status,
    contact_email: inv.contact_email,
    terms_and_conditions: inv.terms_and_conditions,
    discount_conditions: inv.discount_conditions,
    late_payment_penalties: inv.late_payment_penalties,
    legal_fixed_compensation: inv.legal_fixed_compensation,
    header: inv.header,
    footer: inv.footer,
    currency: inv.currency,
    total_amount: inv.total_amount,
    vat_amount: inv.vat_amount,
    issue_date: inv.issue_date,
    due_date: inv.due_date,
    performance_date: inv.performance_date,
    performance_start_date: inv.performance_start_date,
    performance_end_date: inv.performance_end_date,
    created_at: inv.created_at,
    finalized_at: inv.finalized_at,
    paid_at: inv.paid_at,
    items: inv.items.map((i) => ({
      title: i.title,
      description: i.description,
      quantity: i.quantity,
      unit: i.unit,
      unit_price: i.unit_price,
      vat_rate: i.vat_rate,
      vat_exemption_reason: i.vat_exemption_reason,
      discount: i.discount ? { type: i.discount.type, amount: i.discount.amount } : null,
      total_vat: i.total_vat,
      total_amount: i.total_amount,
      subtotal: i.subtotal,
    })),
  };
}
