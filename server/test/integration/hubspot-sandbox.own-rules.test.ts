/**
 * The HubSpot sandbox computes and signs with its own code (no product imports). These tests hold it to
 * HubSpot's documented rules, and use the product's verifier only as a second, independent reading.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyRequestV3 } from '../../src/hubspot/signature';
import { lineItemAmount } from '../../src/sandboxes/hubspot/line-item-amount';
import { signatureV1, signatureV3 } from '../../src/sandboxes/hubspot/webhook-signature';

describe("the sandbox's line item amount (money.md §2)", () => {
  it('takes a unit discount per unit: q × p − q × discount', () => {
    expect(lineItemAmount({ price: '49.90', quantity: '12', discount: '4.90' })).toBe('540.00');
  });

  it('takes a percentage of the line total: 10 × 234.56 at 20 % → 1876.48 (HubSpot partner example)', () => {
    expect(lineItemAmount({ price: '234.56', quantity: '10', discountPercentage: '20' })).toBe('1876.48');
  });

  it('rounds to cents half away from zero, exactly (7 × 12.35 at 10 % = 77.805 → 77.81), and defaults the quantity to 1', () => {
    expect(lineItemAmount({ price: '12.35', quantity: '7', discountPercentage: '10' })).toBe('77.81');
    expect(lineItemAmount({ price: '0.125' })).toBe('0.13');
    expect(lineItemAmount({ price: '-0.125', quantity: '1' })).toBe('-0.13');
  });
});

describe("the sandbox's webhook signatures (request-validation docs)", () => {
  const secret = 'sandbox-client-secret';
  const body = '[{"eventId":1,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"closedwon"}]';

  it('signs v3 as HMAC-SHA256 base64 of method + URI + body + timestamp, which the product verifier accepts', () => {
    const url = 'https://apiup.example/webhooks/hubspot?portal=24681357';
    const timestamp = Date.UTC(2026, 11, 2, 9, 0, 0);
    const signature = signatureV3(secret, 'POST', url, body, timestamp);
    expect(signature).toBe(createHmac('sha256', secret).update(`POST${url}${body}${timestamp}`).digest('base64'));
    expect(verifyRequestV3({ clientSecret: secret, method: 'POST', url, rawBody: body, timestamp, signature, nowMs: timestamp + 1_000 })).toEqual({ ok: true });
  });

  it('decodes only the documented escapes in the URI before hashing (%3A decoded, %20 kept)', () => {
    const timestamp = Date.UTC(2026, 11, 2, 9, 0, 0);
    const signature = signatureV3(secret, 'post', 'https://apiup.example/hooks?next=a%3Ab%20c', body, timestamp);
    expect(signature).toBe(createHmac('sha256', secret).update(`POSThttps://apiup.example/hooks?next=a:b%20c${body}${timestamp}`).digest('base64'));
    expect(
      verifyRequestV3({
        clientSecret: secret,
        method: 'POST',
        url: 'https://apiup.example/hooks?next=a%3Ab%20c',
        rawBody: body,
        timestamp,
        signature,
        nowMs: timestamp,
      }),
    ).toEqual({ ok: true });
  });

  it('signs v1 as hex SHA-256 of client secret + body', () => {
    expect(signatureV1(secret, body)).toBe(createHash('sha256').update(`${secret}${body}`).digest('hex'));
  });
});
