/**
 * sevDesk HTTP client: base URL, the bare-token auth header, `objects` unwrapping, paging and the one
 * classification of failures. Fact sheet: docs/reference/accounting.md §2 (sevDesk);
 * spec: server/specs/sevdesk/openapi.yaml.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { ProviderError } from '../errors';
import {
  bodyText,
  createVendorHttp,
  fingerprint,
  parseRetryAfter,
  type VendorHttp,
  type VendorObserver,
  type VendorRequest,
  type VendorResponse,
} from '../http';
import type { RateLimit, RateLimiterRegistry } from '../../lib/rate-limit';
import { errorBodySchema } from './schemas';

/** §2.1 (SVS servers). */
export const sevdeskBaseUrl = 'https://my.sevdesk.de/api/v1';

/**
 * sevDesk publishes no request limit, only an abuse "safety net" and blocking of tokens that produce
 * many errors (§2.2, §7: "be gentle"). 10 requests per second per token is our own, conservative choice.
 */
export const sevdeskDefaultRateLimit: RateLimit = { requests: 10, perMs: 1_000 };

/** Page size for list calls (`limit`/`offset`, §2.2). */
export const sevdeskPageSize = 100;

export interface SevdeskClientOptions {
  baseUrl: string;
  apiToken: string;
  log: Logger;
  limiters: RateLimiterRegistry;
  rateLimit?: RateLimit;
  timeoutMs?: number;
  maxAttempts?: number;
  observer?: VendorObserver;
}

export interface SevdeskClient {
  /** Parsed and checked body; `objects` is unwrapped when the schema does not expect it (§2.2). */
  request<T extends z.ZodType>(request: VendorRequest, schema: T): Promise<z.infer<T>>;
  /** For calls whose answer we do not read (DELETE, PUT of sub-resources). */
  send(request: VendorRequest): Promise<void>;
}

export function createSevdeskClient(options: SevdeskClientOptions): SevdeskClient {
  const limiter = options.limiters.get(`sevdesk:${fingerprint(options.apiToken)}`, options.rateLimit ?? sevdeskDefaultRateLimit);
  const http: VendorHttp = createVendorHttp({
    provider: 'sevdesk',
    baseUrl: options.baseUrl,
    // §2.1: the raw token, no "Bearer"; a meaningful User-Agent is asked for.
    authHeaders: () => ({ authorization: options.apiToken, 'user-agent': 'APIUP sevDesk connector' }),
    classify: classifySevdesk,
    limiter,
    log: options.log,
    observer: options.observer,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
  });

  return {
    async request(request, schema) {
      const body = await http.json<unknown>(request);
      return parseSevdeskBody(schema, body, request);
    },
    async send(request) {
      await http.json<unknown>(request);
    },
  };
}

/** Parses a sevDesk answer with `schema`, bare or wrapped in `objects`; exported for the recorded-answer tests. */
export function parseSevdeskBody<T extends z.ZodType>(schema: T, body: unknown, request: Pick<VendorRequest, 'method' | 'path'>): z.infer<T> {
  const direct = schema.safeParse(body);
  if (direct.success) return direct.data;
  // Runtime wraps single objects in `objects` where SVS shows them bare (SVQ: getPdf; factory and create answers).
  if (body && typeof body === 'object' && 'objects' in body) {
    const inner = schema.safeParse((body as { objects: unknown }).objects);
    if (inner.success) return inner.data;
  }
  throw new ProviderError(
    'unexpected',
    `sevDesk answered ${request.method} ${request.path} with an unexpected body`,
    { provider: 'sevdesk' },
    { cause: direct.error },
  );
}

/**
 * The one place sevDesk failures become ProviderError kinds (§2.2: 400/401/403/404/409/422/500,
 * body `{ error: { message, exceptionUUID } }`). SVS answers a missing contact or invoice with
 * 400 "… not found", so that message means `not_found`. 500 sometimes stands for a 400 (§2.2),
 * but it may also hide a committed write, so it stays `unavailable`.
 */
export function classifySevdesk(response: VendorResponse): ProviderError {
  const { status } = response;
  const vendor = readError(response);
  const detail = { provider: 'sevdesk' as const, status, vendorCode: vendor.code };
  const message = `sevDesk ${status}: ${vendor.message ?? 'no message'}`;
  if (status === 401) return new ProviderError('auth', message, detail);
  if (status === 403) return new ProviderError('forbidden', message, detail);
  if (status === 404 || (status === 400 && /not found|nicht gefunden/i.test(vendor.message ?? ''))) return new ProviderError('not_found', message, detail);
  if (status === 409) return new ProviderError('conflict', message, detail);
  if (status === 400 || status === 422) return new ProviderError('validation', message, detail);
  if (status === 429) return new ProviderError('rate_limited', message, { ...detail, retryAfterMs: parseRetryAfter(response.headers) });
  if (status >= 500) return new ProviderError('unavailable', message, detail);
  return new ProviderError('unexpected', message, detail);
}

function readError(response: VendorResponse): { message?: string; code?: string } {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(bodyText(response)));
    if (!parsed.success) return {};
    const { message, code } = parsed.data.error;
    return { message: message ?? undefined, code: code === null || code === undefined ? undefined : String(code) };
  } catch {
    return {};
  }
}
