/**
 * Qonto Business API transport. Fact sheet: docs/reference/accounting.md §4 (money: money.md §6).
 * Knows the host, the `{login}:{secret-key}` header, paging meta, the JSON:API error body, the
 * staging-token quirk and the per-credential rate limit; everything else lives in provider.ts.
 */
import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../errors';
import { bodyText, createVendorHttp, parseRetryAfter, type VendorHttp, type VendorRequest, type VendorResponse } from '../http';
import type { ProviderDeps } from '../provider';
import type { RateLimit } from '../../lib/rate-limit';
import { qontoErrorBodySchema, type QontoCredentials } from './schemas';

export const qontoProductionUrl = 'https://thirdparty.qonto.com';
export const qontoStagingUrl = 'https://thirdparty-sandbox.staging.qonto.co';

/**
 * §4.2: 1 000 requests / 10 s and 10 000 / 10 min per IP. Our limiter spaces requests evenly, so the
 * sustained limit (≈16 rps, accounting.md §7) is the binding one.
 */
export const qontoRateLimit: RateLimit = { requests: 10_000, perMs: 600_000 };
/** One key for every Qonto credential: the limit is the calling IP's. */
export const qontoLimiterKey = 'qonto:ip';

export interface QontoClient {
  get<T>(path: string, schema: z.ZodType<T>, query?: VendorRequest['query']): Promise<T>;
  send<T>(request: VendorRequest, schema: z.ZodType<T>): Promise<T>;
  /** For calls whose answer we do not read (DELETE, send). */
  call(request: VendorRequest): Promise<void>;
  /** Downloads a pre-signed attachment URL (no Qonto credentials: the URL is the credential). */
  download(url: string): Promise<Buffer>;
}

export function createQontoClient(deps: ProviderDeps, credentials: QontoCredentials): QontoClient {
  const secret = `${credentials.login}:${credentials.secretKey}`;
  // Qonto counts requests per calling IP, not per credential (accounting.md §4.2, QD rate-limitations):
  // every tenant of this deployment shares one limit, so they share one limiter (and, on PostgreSQL, one
  // slot line for all instances — a deployment whose instances leave through one NAT address).
  const limiter = deps.limiters.get(qontoLimiterKey, deps.rateLimit ?? qontoRateLimit);
  const http: VendorHttp = createVendorHttp({
    provider: 'qonto',
    baseUrl: deps.baseUrl,
    authHeaders: () => ({
      authorization: secret,
      ...(credentials.stagingToken ? { 'x-qonto-staging-token': credentials.stagingToken } : {}),
    }),
    classify: classifyQontoResponse,
    limiter,
    log: deps.log,
    observer: deps.observer,
    timeoutMs: deps.timeoutMs,
    maxAttempts: deps.maxAttempts,
    onResponse: rejectLoginPage,
  });

  async function send<T>(request: VendorRequest, schema: z.ZodType<T>): Promise<T> {
    const body = await http.json<unknown>(request);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError(
        'unexpected',
        `qonto answered ${request.method} ${request.path} with an unexpected shape`,
        { provider: 'qonto' },
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  return {
    get: (path, schema, query) => send({ method: 'GET', path, query }, schema),
    send,
    call: async (request) => {
      await http.bytes(request);
    },
    async download(url) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(deps.timeoutMs ?? 30_000) });
        const body = Buffer.from(await response.arrayBuffer());
        if (!response.ok) throw classifyQontoResponse({ status: response.status, headers: response.headers, body });
        return body;
      } catch (error) {
        if (error instanceof ProviderError) throw error;
        throw new ProviderError('unavailable', 'qonto attachment download failed', { provider: 'qonto' }, { cause: error });
      }
    },
  };
}

/**
 * Qonto's staging host answers a request without `X-Qonto-Staging-Token` with a redirect to an HTML
 * login page (200 after fetch follows it) instead of an error (§4.1; QD API troubleshooting FAQ).
 */
function rejectLoginPage(response: VendorResponse): void {
  if (response.status < 300 && (response.headers.get('content-type') ?? '').includes('text/html')) {
    throw new ProviderError('auth', 'qonto answered with a login page: the staging token is missing or wrong', { provider: 'qonto', status: response.status });
  }
}

const kindByStatus: Record<number, ProviderErrorKind> = {
  400: 'validation',
  401: 'auth',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'validation',
  // 428: Strong Customer Authentication needed (§4.1): a person must approve, retrying cannot help.
  428: 'forbidden',
  429: 'rate_limited',
};

/** The one place a failed Qonto response becomes a ProviderError (JSON:API body, §4.2). */
export function classifyQontoResponse(response: VendorResponse): ProviderError {
  const { status } = response;
  const kind: ProviderErrorKind = kindByStatus[status] ?? (status >= 500 || status === 408 ? 'unavailable' : 'unexpected');
  const first = parseErrorBody(response);
  const where = first?.source?.pointer ?? first?.source?.parameter;
  const message = first ? `qonto ${status} ${first.code}: ${first.detail}${where ? ` (${where})` : ''}` : `qonto answered ${status}`;
  // Retry-After is not documented for Qonto; honour it when present (QCTL does the same).
  const retryAfterMs = status === 429 ? parseRetryAfter(response.headers) : undefined;
  return new ProviderError(kind, message, { provider: 'qonto', status, vendorCode: first?.code, retryAfterMs });
}

function parseErrorBody(response: VendorResponse) {
  try {
    const parsed = qontoErrorBodySchema.partial({ trace_id: true }).safeParse(JSON.parse(bodyText(response)));
    return parsed.success ? parsed.data.errors[0] : undefined;
  } catch {
    return undefined;
  }
}
