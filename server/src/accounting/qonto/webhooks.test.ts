import { describe, expect, it } from 'vitest';
import { signQontoWebhook, verifyQontoWebhook } from './webhooks';

// Test vector published on docs.qonto.com webhooks/setup.
const body = '{"test":"data"}';
const header = 't=1704110400,v1=56aff06dc227db80d6568a5070f912c601c31f20451745d257cbc0b5dfa93805';
const atSigning = 1704110400 * 1000;

describe('verifyQontoWebhook', () => {
  it("accepts Qonto's own test vector and reproduces its signature", () => {
    expect(verifyQontoWebhook(Buffer.from(body), header, 'test-secret', { nowMs: atSigning + 1_000 })).toEqual({ ok: true });
    expect(signQontoWebhook(body, 'test-secret', 1704110400)).toBe(header);
  });

  it('rejects a changed body, a wrong secret, an old timestamp and a malformed header', () => {
    expect(verifyQontoWebhook('{"test":"date"}', header, 'test-secret', { nowMs: atSigning })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyQontoWebhook(body, header, 'other', { nowMs: atSigning })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyQontoWebhook(body, header, 'test-secret', { nowMs: atSigning + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'expired' });
    expect(verifyQontoWebhook(body, 'v1=abc', 'test-secret', { nowMs: atSigning })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyQontoWebhook(body, undefined, 'test-secret', { nowMs: atSigning })).toEqual({ ok: false, reason: 'malformed' });
  });
});
