/**
 * HubSpot's request signatures on webhook POSTs, written from HubSpot's documentation
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation,
 * https://legacydocs.hubspot.com/docs/faq/v1-request-validation):
 * - v3 `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed with the app's client secret, of
 *   method + URI + raw body + `X-HubSpot-Request-Timestamp` (ms), the URI with these escapes decoded:
 *   %3A : %2F / %3F ? %40 @ %21 ! %24 $ %27 ' %28 ( %29 ) %2A * %2C , %3B ; (others stay encoded);
 * - v1 `X-HubSpot-Signature`: hex SHA-256 of client secret + raw body;
 * - v2 `X-HubSpot-Signature` (with `X-HubSpot-Signature-Version: v2`): hex SHA-256 of client secret +
 *   method + URI + raw body (https://developers.hubspot.com/docs/faq/v2-request-validation), on
 *   requests that are not webhook batches, such as workflow action calls.
 */
import { createHash, createHmac } from 'node:crypto';

const decodedInUri: Record<string, string> = {
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

export function signatureV3(clientSecret: string, method: string, uri: string, body: string, timestampMs: number): string {
  const decoded = uri.replace(/%[0-9A-F]{2}/gi, (escape) => decodedInUri[escape.toUpperCase()] ?? escape);
  return createHmac('sha256', clientSecret).update(`${method.toUpperCase()}${decoded}${body}${timestampMs}`, 'utf8').digest('base64');
}

export function signatureV1(clientSecret: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + body, 'utf8')
    .digest('hex');
}

export function signatureV2(clientSecret: string, method: string, uri: string, body: string): string {
  return createHash('sha256')
    .update(clientSecret + method.toUpperCase() + uri + body, 'utf8')
    .digest('hex');
}
