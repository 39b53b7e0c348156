import { describe, expect, it } from 'vitest';
import { signRequestV3, verifyRequestV3 } from './signature';

// HubSpot publishes no fixed v3 test vector (its SDK tests sign with the SDK itself). These values use the
// SDKs' example secret/URL/body and were computed independently with `openssl dgst -sha256 -hmac … | base64`.
const example = {
  clientSecret: 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy',
  method: 'POST',
  url: 'https://www.example.com/webhook_uri',
  body: '{"example_field":"example_value"}',
  timestamp: 1_700_000_000_000,
};
const exampleSignature = 'rQEKkaNUiu+1qGF//O/pw4BCzstSqO1PyUnGICmf+7o=';

describe('signRequestV3', () => {
  it('matches an independently computed HMAC-SHA256 base64 signature', () => {
    expect(signRequestV3(example)).toBe(exampleSignature);
  });

  it('decodes only the escapes HubSpot lists before hashing and keeps others such as %20', () => {
    const encoded = 'https://example.com/hook?name=a%3Ab%2Fc%40d%281%29%2A2%2C3%3Bx%27y%21z%24w&q=%20x';
    const signature = signRequestV3({ clientSecret: 'secret', method: 'GET', url: encoded, body: '', timestamp: 1_700_000_000_000 });
    expect(signature).toBe('aHkHtZYMWhJ29V/Mw7UsAzBf8Be8zzTyc+R9IK+CgYY=');
  });
});

describe('verifyRequestV3', () => {
  const base = { ...example, rawBody: example.body, signature: exampleSignature, nowMs: example.timestamp + 1_000 };

  it('accepts a correctly signed fresh request', () => {
    expect(verifyRequestV3(base)).toEqual({ ok: true });
  });

  it('accepts the raw body given as a Buffer', () => {
    expect(verifyRequestV3({ ...base, rawBody: Buffer.from(example.body) })).toEqual({ ok: true });
  });

  it('reports missing when the signature or timestamp header is absent', () => {
    expect(verifyRequestV3({ ...base, signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyRequestV3({ ...base, timestamp: undefined })).toEqual({ ok: false, reason: 'missing' });
  });

  it('reports stale when the timestamp is older than five minutes', () => {
    expect(verifyRequestV3({ ...base, nowMs: example.timestamp + 300_001 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyRequestV3({ ...base, nowMs: example.timestamp + 300_000 })).toEqual({ ok: true });
  });

  it('honours a custom maximum age', () => {
    expect(verifyRequestV3({ ...base, maxAgeMs: 500 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('reports mismatch when one byte of the body differs', () => {
    expect(verifyRequestV3({ ...base, rawBody: example.body.replace('value', 'valuE') })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reports mismatch for a signature made with another secret or for another URL', () => {
    const otherSecret = signRequestV3({ ...example, clientSecret: 'other' });
    expect(verifyRequestV3({ ...base, signature: otherSecret })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyRequestV3({ ...base, url: 'https://www.example.com/other' })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('reports mismatch when the timestamp header was altered', () => {
    expect(verifyRequestV3({ ...base, timestamp: example.timestamp + 1 })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('treats an encoded and a decoded URI as the same signed URI', () => {
    const signed = signRequestV3({ ...example, url: 'https://www.example.com/webhook_uri?x=a:b' });
    expect(verifyRequestV3({ ...base, signature: signed, url: 'https://www.example.com/webhook_uri?x=a%3ab' })).toEqual({ ok: true });
  });
});
