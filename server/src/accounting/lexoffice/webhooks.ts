/**
 * Lexware Office webhook deliveries (accounting.md §1.8; spec callback `receiveWebhookEvent` under
 * operationId createEventSubscription): header `X-Lxo-Signature` = base64 of an RSA-SHA512
 * (PKCS#1 v1.5) signature over the JSON body as sent, checked with Lexware's public key. No timestamp
 * or key id is signed, so there is no replay window to check (retries repeat the same body for ~40 h).
 */
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

export const lexofficeSignatureHeader = 'x-lxo-signature';

/**
 * Lexware's webhook signing key (4096-bit RSA), published at
 * https://developers.lexware.io/webhookSignature/public/public_key.pub (docs "Verify Authenticity").
 * Not fetched from Lexware here: this text is the copy kept in `hupebln/autolex@b9c11a76:public_key.pub`,
 * and a second, independent community callback example (PHP, `openssl_verify(…, 'RSA-SHA512')`) pins the
 * same key byte for byte. No rotation policy or key id is documented (UNCONFIRMED): a rotation needs a
 * new constant, and verification fails loudly until then.
 */
export const lexofficePublicKeyPem = `-----BEGIN PUBLIC KEY-----
MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAtCkZXZqT2zFRmA83KsBC
tQSv9t+AaWiZpRWvzE4wiQEh0aHzNYkT/DlP419pngqoLxnqW9SsgWfKOG3utoEV
z+Lru9odZntW/n/yaRK3f0AcMtuWs/Z1PZ4BbN/RlFYyqlPg0VfuAvZMAa+J9WAl
Fuy0T4Y0EdO0d+EL8BpzSLqj3XLI+YuK4hUhlTOxHmdDtNUkugnT9b9khb+oPDmB
3yxRP6Rmo2qo6waSc+pihCdOiZKzwA4fA1HT8DM54OaNQ4qd9NRf5uECijFlpQu6
vZdW7Z+LZ8HTgGQVSsJdCzUtM1wiWOERrHvd8IpBMvUAvGM/qaJnAmwsEr4J/El4
yCmur8wwYBtSUH0Xue42YysdmSS0pOMMUAAvr70HQMDHagYkErMtu6FAyAmPz8p/
tAqJJpwAhxITbnc5WsmZOu0Ke255nXQ/2Go1TKv+45mSb7RLsvpmhVZ4nFByFt24
vG6IwNReuLhJJL468jrdTpxyZRn0QqkxiQV7jDd9Dp1NVd/W3+n86Aos9LnJa+ut
kN+jOOWmJdJjnQetJlbDVg3ex+XHVmCjiRYggCGPlpXVJwdEUNGzxhPGKjxmeiQT
ahwFA9iHtwBw7yK5VfM/hA+JeF2FXYhTdehfClAQt1YCYXkgUEFxm9idRdBoCY6U
bmFUXQLdi7tZyDor8Rxoq2MCAwEAAQ==
-----END PUBLIC KEY-----
`;

/** Event types of the spec's `EventType` enum (docs2025; article.* and delivery-note.* are new there). */
export const lexofficeEventTypes = [
  'article.created',
  'article.changed',
  'article.deleted',
  'contact.created',
  'contact.changed',
  'contact.deleted',
  'credit-note.created',
  'credit-note.changed',
  'credit-note.deleted',
  'credit-note.status.changed',
  'delivery-note.created',
  'delivery-note.changed',
  'delivery-note.deleted',
  'delivery-note.status.changed',
  'down-payment-invoice.created',
  'down-payment-invoice.changed',
  'down-payment-invoice.deleted',
  'down-payment-invoice.status.changed',
  'dunning.created',
  'dunning.changed',
  'dunning.deleted',
  'invoice.created',
  'invoice.changed',
  'invoice.deleted',
  'invoice.status.changed',
  'order-confirmation.created',
  'order-confirmation.changed',
  'order-confirmation.deleted',
  'order-confirmation.status.changed',
  'payment.changed',
  'quotation.created',
  'quotation.changed',
  'quotation.deleted',
  'quotation.status.changed',
  'recurring-template.created',
  'recurring-template.changed',
  'recurring-template.deleted',
  'token.revoked',
  'voucher.created',
  'voucher.changed',
  'voucher.deleted',
  'voucher.status.changed',
] as const;

/** What APIUP listens to: a payment was booked (§1.7) or the invoice moved open → paid/voided (§1.8). */
export const lexofficePaymentEventTypes = ['payment.changed', 'invoice.status.changed'];

/** Contact changes made in Lexware (docs "Event Types": contact.created/changed/deleted): the sync reads the contact then. */
export const lexofficeContactEventTypes = ['contact.created', 'contact.changed', 'contact.deleted'];

/** Callback body (spec `WebhookCallback`): a pointer only, the resource must be read with a GET. */
export const lexofficeWebhookEventSchema = z.object({
  organizationId: z.string(),
  eventType: z.string(),
  resourceId: z.string(),
  eventDate: z.string(),
});
export type LexofficeWebhookEvent = z.infer<typeof lexofficeWebhookEventSchema>;

/** `POST /v1/event-subscriptions` body (spec `EventSubscriptionCreate`). */
export const lexofficeEventSubscriptionCreateSchema = z.object({
  eventType: z.enum(lexofficeEventTypes),
  callbackUrl: z.url(),
});

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * True when `signatureHeader` is Lexware's signature of exactly these bytes. Pass the raw body as
 * received: the docs sign the compact JSON ("without whitespace and linebreaks"), and re-serialising
 * a parsed body is not guaranteed to give the same bytes. Throws only for an unusable public key.
 */
export function verifyLexofficeWebhook(rawBody: string | Buffer, signatureHeader: string | undefined, publicKeyPem: string | KeyObject): boolean {
  const header = signatureHeader?.trim() ?? '';
  if (header.length === 0 || header.length % 4 !== 0 || !base64.test(header)) return false;
  const verifier = createVerify('RSA-SHA512');
  verifier.update(rawBody);
  return verifier.verify(publicKeyPem, Buffer.from(header, 'base64'));
}

/** The header value Lexware would send for `rawBody` (the sandbox signs with its own key pair). */
export function signLexofficeWebhook(rawBody: string | Buffer, privateKey: string | KeyObject): string {
  return createSign('RSA-SHA512').update(rawBody).sign(privateKey, 'base64');
}
