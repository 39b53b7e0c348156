/**
 * Signs a webhook delivery as Qonto does (https://docs.qonto.com/get-started/business-api/webhooks/overview):
 * `X-Qonto-Signature: t={unix seconds},v1={hex HMAC-SHA256(secret, "{t}.{raw body}")}`.
 */
import { createHmac } from 'node:crypto';

export function signDelivery(rawBody: string, secret: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}
