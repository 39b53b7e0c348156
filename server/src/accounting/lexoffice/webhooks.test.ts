import { createPublicKey, createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lexofficePublicKeyPem, lexofficeWebhookEventSchema, signLexofficeWebhook, verifyLexofficeWebhook } from './webhooks';

// No signed sample is published as text (spec examples/receiveWebhookEvent.json), so a local key pair signs.
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const signer = rsa();
const publicKeyPem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const body =
  '{"organizationId":"aa93e8a8-2aa3-470b-b914-caad8a255dd8","eventType":"payment.changed","resourceId":"4d43ad14-671d-4e0c-fd4b-2fd8cc117eff","eventDate":"2023-04-11T12:30:00.000+02:00"}';
const signature = signLexofficeWebhook(body, signer.privateKey);

describe('verifyLexofficeWebhook', () => {
  it('accepts a base64 RSA-SHA512 signature over the raw body, as string or bytes', () => {
    expect(verifyLexofficeWebhook(body, signature, publicKeyPem)).toBe(true);
    expect(verifyLexofficeWebhook(Buffer.from(body), signature, publicKeyPem)).toBe(true);
  });

  it('rejects a body changed by one character or re-serialised with whitespace', () => {
    expect(verifyLexofficeWebhook(body.replace('payment.changed', 'payment.chinged'), signature, publicKeyPem)).toBe(false);
    expect(verifyLexofficeWebhook(JSON.stringify(JSON.parse(body), null, 1), signature, publicKeyPem)).toBe(false);
  });

  it("rejects a signature made with another key, and checks against Lexware's key fail for sandbox signatures", () => {
    const other = rsa();
    expect(verifyLexofficeWebhook(body, signLexofficeWebhook(body, other.privateKey), publicKeyPem)).toBe(false);
    expect(verifyLexofficeWebhook(body, signature, lexofficePublicKeyPem)).toBe(false);
  });

  it('rejects a missing, empty or non-base64 header and a SHA-256 signature', () => {
    expect(verifyLexofficeWebhook(body, undefined, publicKeyPem)).toBe(false);
    expect(verifyLexofficeWebhook(body, '', publicKeyPem)).toBe(false);
    expect(verifyLexofficeWebhook(body, 'not base64!', publicKeyPem)).toBe(false);
    expect(verifyLexofficeWebhook(body, createSign('RSA-SHA256').update(body).sign(signer.privateKey, 'base64'), publicKeyPem)).toBe(false);
  });
});

describe('lexofficePublicKeyPem', () => {
  it('is a 4096-bit RSA public key', () => {
    const key = createPublicKey(lexofficePublicKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });
});

describe('lexofficeWebhookEventSchema', () => {
  it('reads the documented callback body and refuses one without resourceId', () => {
    expect(lexofficeWebhookEventSchema.parse(JSON.parse(body)).resourceId).toBe('4d43ad14-671d-4e0c-fd4b-2fd8cc117eff');
    const { resourceId: _r, ...rest } = JSON.parse(body);
    expect(lexofficeWebhookEventSchema.safeParse(rest).success).toBe(false);
  });
});
