/**
 * Qonto push events for APIUP (accounting.md §4.5): one `v1/client-invoices` subscription per callback
 * URL, signed with our per-portal secret; a delivery names the invoice that changed.
 */
import { z } from 'zod';
import type { ProviderEvents } from '../provider';
import type { QontoClient } from './client';
import { qontoInvoiceWebhookSchema, qontoSignatureHeader, verifyQontoWebhook } from './webhooks';

const subscriptionList = z.object({
  webhook_subscriptions: z.array(z.object({ id: z.string(), callback_url: z.string(), types: z.array(z.string()) }).loose()),
});
const subscription = z.object({ id: z.string() }).loose();
const eventType = 'v1/client-invoices';

export function createQontoEvents(api: QontoClient): ProviderEvents {
  return {
    // Only client invoices are subscribed (`v1/client-invoices`); clients are polled.
    customerEvents: false,
    async subscribe(callbackUrl, secret) {
      const { webhook_subscriptions: existing } = await api.get('/v2/webhook_subscriptions', subscriptionList);
      if (existing.some((s) => s.callback_url === callbackUrl && s.types.includes(eventType))) return;
      await api.send(
        {
          method: 'POST',
          path: '/v2/webhook_subscriptions',
          json: { callback_url: callbackUrl, types: [eventType], secret, description: 'APIUP: invoice payments' },
        },
        subscription,
      );
    },
    parse(rawBody, headers, secret) {
      if (!verifyQontoWebhook(rawBody, headers[qontoSignatureHeader], secret).ok) return null;
      const event = qontoInvoiceWebhookSchema.safeParse(JSON.parse(rawBody));
      return event.success ? { documentIds: [event.data.data.id] } : { documentIds: [] };
    },
  };
}
