/**
 * HubSpot request signatures, version 3 (reference/hubspot.md §3): HMAC-SHA256 keyed with the app's
 * client secret over `method + uri + body + timestamp` (UTF-8), base64. Used for webhook deliveries and
 * `hubspot.fetch` calls alike; the sandbox signs with `signRequestV3`, our routes check with `verifyRequestV3`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** HubSpot rejects (and tells us to reject) requests whose timestamp is older than 5 minutes (§3, PHP SDK MAX_ALLOWED_TIMESTAMP). */
export const MAX_SIGNATURE_AGE_MS = 300_000;

/**
 * The escapes HubSpot decodes in the URI before hashing (§3, request-validation page). Only these:
 * other escapes (e.g. `%20`, `%26`) stay encoded, so a generic `decodeURIComponent` would be wrong.
 */
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function normalizeSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (escape) => DECODED_ESCAPES[escape.toUpperCase()] ?? escape);
}

export interface SignRequestV3Input {
  clientSecret: string;
  /** Upper-case HTTP method, e.g. `POST`. */
  method: string;
  /** The full URL as HubSpot calls it: scheme, host, path and query. */
  url: string;
  /** The exact request body bytes as text; `''` for GET. */
  body: string;
  /** ms epoch, sent as `X-HubSpot-Request-Timestamp`. */
  timestamp: number | string;
}

/** The `X-HubSpot-Signature-v3` value for a request. */
export function signRequestV3(input: SignRequestV3Input): string {
  const source = `${input.method.toUpperCase()}${normalizeSignedUri(input.url)}${input.body}${String(input.timestamp)}`;
  return createHmac('sha256', input.clientSecret).update(source, 'utf8').digest('base64');
}

export interface VerifyRequestV3Input {
  clientSecret: string;
  method: string;
  /** The public URL HubSpot called (rebuild it behind TLS-terminating proxies, §3). */
  url: string;
  /** The raw body bytes, never re-serialised JSON. */
  rawBody: string | Buffer;
  /** `X-HubSpot-Request-Timestamp` header value. */
  timestamp: string | number | undefined;
  /** `X-HubSpot-Signature-v3` header value. */
  signature: string | undefined;
  nowMs: number;
  maxAgeMs?: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

export function verifyRequestV3(input: VerifyRequestV3Input): VerifyResult {
  const { signature, timestamp } = input;
  if (!signature || timestamp === undefined || timestamp === '') return { ok: false, reason: 'missing' };
  const timestampMs = Number(timestamp);
  if (!Number.isFinite(timestampMs)) return { ok: false, reason: 'mismatch' };
  // A timestamp far in the future is as suspicious as an old one; both fall outside the window.
  if (Math.abs(input.nowMs - timestampMs) > (input.maxAgeMs ?? MAX_SIGNATURE_AGE_MS)) return { ok: false, reason: 'stale' };
  const body = typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8');
  const expected = Buffer.from(signRequestV3({ clientSecret: input.clientSecret, method: input.method, url: input.url, body, timestamp }), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; comparing lengths first leaks only the length of a base64 SHA-256 (public).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}

/**
 * The headers HubSpot adds to a webhook or `hubspot.fetch` call (v3), for tools that act as HubSpot
 * against our own backend: the sandbox, tests, the demo and benchmarks.
 */
export function hubspotSignedHeaders(input: { clientSecret: string; method: string; url: string; body: string; timestamp?: number }): Record<string, string> {
  const timestamp = String(input.timestamp ?? Date.now());
  return {
    'content-type': 'application/json',
    'x-hubspot-request-timestamp': timestamp,
    'x-hubspot-signature-v3': signRequestV3({ clientSecret: input.clientSecret, method: input.method, url: input.url, body: input.body, timestamp }),
  };
}
