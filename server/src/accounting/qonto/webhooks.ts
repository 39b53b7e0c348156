/**
 * Qonto webhook signatures (accounting.md §4.5; QD webhooks/setup): header
 * `X-Qonto-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}`; reject
 * timestamps older than 5 minutes. Verified against the docs' own test vector (webhooks.test.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const qontoSignatureHeader = 'x-qonto-signature';
const defaultToleranceMs = 5 * 60_000;

export type QontoWebhookVerification = { ok: true } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' };

export function signQontoWebhook(rawBody: Buffer | string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** Checks the header over the raw body bytes (never re-serialised JSON), constant-time, within the time window. */
export function verifyQontoWebhook(
  rawBody: Buffer | string,
  header: string | undefined,
  secret: string,
  options: { nowMs?: number; toleranceMs?: number } = {},
): QontoWebhookVerification {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!parts.t || !Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/i.test(parts.v1 ?? '')) return { ok: false, reason: 'malformed' };
  const ageMs = (options.nowMs ?? Date.now()) - timestamp * 1000;
  if (Math.abs(ageMs) > (options.toleranceMs ?? defaultToleranceMs)) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(signQontoWebhook(rawBody, secret, timestamp).split('v1=')[1], 'hex');
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Envelope of a `v1/client-invoices` delivery (QD webhooks/supported-webhooks/v1-client-invoices); only what we read. */
export const qontoInvoiceWebhookSchema = z.object({
  id: z.string(),
  subscription_id: z.string(),
  organization_id: z.string(),
  type: z.literal('v1/client-invoices'),
  created_at: z.string(),
  data: z
    .object({
      event: z.enum(['created', 'updated']).optional(),
      id: z.string(),
      status: z.string(),
      paid_at: z.string().nullable().optional(),
    })
    .loose(),
});
export type QontoInvoiceWebhook = z.infer<typeof qontoInvoiceWebhookSchema>;

/** POST /v2/webhook_subscriptions body (accounting.md §4.5; PUT is a full replacement with the same shape). */
export const qontoWebhookSubscriptionWriteSchema = z
  .object({
    callback_url: z.url(),
    types: z.array(z.string().regex(/^v\d+\/[a-z-]+$/)).min(1),
    secret: z.string().min(1).optional(),
    description: z.string().max(500).optional(),
  })
  .strict();
