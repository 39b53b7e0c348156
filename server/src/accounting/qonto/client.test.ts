import { describe, expect, it } from 'vitest';
import { RateLimiterRegistry, type RateLimit } from '../../lib/rate-limit';
import { silentLogger } from '../../logger';
import { classifyQontoResponse, createQontoClient, qontoLimiterKey } from './client';

const respond = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const jsonApi = (code: string, detail: string, source?: object) => ({ errors: [{ code, detail, ...(source ? { source } : {}) }], trace_id: 't' });

describe('classifyQontoResponse', () => {
  it.each([
    [401, 'auth'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'validation'],
    [400, 'validation'],
    [428, 'forbidden'],
    [429, 'rate_limited'],
    [500, 'unavailable'],
    [503, 'unavailable'],
    [418, 'unexpected'],
  ])('maps status %i to %s', (status, kind) => {
    expect(classifyQontoResponse(respond(status, jsonApi('x', 'y'))).kind).toBe(kind);
  });

  it('keeps the vendor code and names the failing field from the JSON:API body', () => {
    const error = classifyQontoResponse(respond(422, jsonApi('invalid', 'vat_rate must be a ratio', { pointer: '/items/0/vat_rate' })));
    expect(error.detail).toMatchObject({ provider: 'qonto', status: 422, vendorCode: 'invalid' });
    expect(error.message).toContain('/items/0/vat_rate');
  });

  it('reads Retry-After on a 429 when Qonto sends one', () => {
    expect(classifyQontoResponse(respond(429, jsonApi('too_many_requests', 'slow down'), { 'retry-after': '2' })).detail.retryAfterMs).toBe(2000);
    expect(classifyQontoResponse(respond(429, '')).detail.retryAfterMs).toBeUndefined();
  });

  it('survives a body that is not JSON (a proxy error page)', () => {
    const error = classifyQontoResponse(respond(502, '<html>bad gateway</html>'));
    expect([error.kind, error.retryable, error.detail.vendorCode]).toEqual(['unavailable', true, undefined]);
  });
});

describe('the Qonto rate limit', () => {
  it('is one limiter for every credential: Qonto counts per calling IP, so all tenants share it', () => {
    const keys: string[] = [];
    const limiters = new RateLimiterRegistry();
    const recording = Object.assign(Object.create(limiters) as RateLimiterRegistry, {
      get: (key: string, limit: RateLimit) => {
        keys.push(key);
        return limiters.get(key, limit);
      },
    });
    const deps = { baseUrl: 'http://127.0.0.1:9', credentials: {}, log: silentLogger(), limiters: recording };
    createQontoClient(deps, { login: 'baeckerei-mueller-4711', secretKey: 'geheim-1' });
    createQontoClient(deps, { login: 'weissbier-gmbh-0815', secretKey: 'geheim-2' });
    expect(keys).toEqual([qontoLimiterKey, qontoLimiterKey]);
  });
});
