/**
 * Lexware Office push events for APIUP (accounting.md §1.8): one subscription per event type and
 * callback URL, deliveries signed by Lexware's RSA key (webhooks.ts). A delivery only names the
 * voucher; the payment check then reads it with GET /v1/payments/{id}.
 */
import type { KeyObject } from 'node:crypto';
import { ProviderError } from '../errors';
import type { ProviderDeps, ProviderEvents } from '../provider';
import { createLexofficeClient } from './client';
import {
  lexofficeContactEventTypes,
  lexofficePaymentEventTypes,
  lexofficeSignatureHeader,
  lexofficeWebhookEventSchema,
  verifyLexofficeWebhook,
} from './webhooks';

/**
 * Subscribes `callbackUrl` to each of `eventTypes` that has no subscription for that URL yet; safe to
 * repeat. A 409 means a concurrent call created the same pair first (§1.8: duplicates are refused),
 * which is the state we want. Subscriptions for other URLs are left alone.
 */
export async function ensureLexofficeEventSubscriptions(deps: ProviderDeps, callbackUrl: string, eventTypes: string[]): Promise<void> {
  const client = createLexofficeClient(deps);
  const { content } = await client.listEventSubscriptions();
  const present = new Set(content.filter((s) => s.callbackUrl === callbackUrl).map((s) => s.eventType));
  for (const eventType of new Set(eventTypes)) {
    if (present.has(eventType)) continue;
    try {
      await client.createEventSubscription({ eventType, callbackUrl });
    } catch (error) {
      if (!(error instanceof ProviderError && error.kind === 'conflict')) throw error;
    }
  }
}

/** Deletes every subscription pointing at `callbackUrl` (disconnect). Returns how many were removed. */
export async function removeLexofficeEventSubscriptions(deps: ProviderDeps, callbackUrl: string): Promise<number> {
  const client = createLexofficeClient(deps);
  const { content } = await client.listEventSubscriptions();
  let removed = 0;
  for (const subscription of content.filter((s) => s.callbackUrl === callbackUrl)) {
    try {
      await client.deleteEventSubscription(subscription.subscriptionId);
      removed++;
    } catch (error) {
      if (!(error instanceof ProviderError && error.kind === 'not_found')) throw error;
    }
  }
  return removed;
}

/** Event types whose `resourceId` is a sales voucher id we may hold (payment.changed also covers credit notes). */
const voucherEvents = new Set(['payment.changed', 'invoice.status.changed', 'invoice.changed']);
/** Event types whose `resourceId` is a contact id. */
const contactEvents = new Set(lexofficeContactEventTypes);

/**
 * ProviderEvents for Lexware. `publicKeyPem` is Lexware's key in production (`lexofficePublicKeyPem`)
 * or the sandbox's (`sandbox.publicKeyPem`). Lexware signs with its own key, so the per-portal secret
 * the contract passes is not used here; the portal is bound by the callback URL path instead.
 */
export function createLexofficeEvents(deps: ProviderDeps, publicKeyPem: string | KeyObject): ProviderEvents {
  return {
    customerEvents: true,
    subscribe: (callbackUrl) => ensureLexofficeEventSubscriptions(deps, callbackUrl, [...lexofficePaymentEventTypes, ...lexofficeContactEventTypes]),
    parse(rawBody, headers) {
      if (!verifyLexofficeWebhook(rawBody, headers[lexofficeSignatureHeader], publicKeyPem)) return null;
      const event = lexofficeWebhookEventSchema.safeParse(JSON.parse(rawBody));
      if (!event.success) return { documentIds: [] };
      if (contactEvents.has(event.data.eventType)) return { documentIds: [], customerIds: [event.data.resourceId] };
      if (!voucherEvents.has(event.data.eventType)) return { documentIds: [] };
      return { documentIds: [event.data.resourceId] };
    },
  };
}
