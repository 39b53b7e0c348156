import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ProviderError } from './errors';
import type { ProviderId } from './provider';
import { backoffMs } from '../lib/backoff';
import { parseRetryAfter, sleep, type RateLimiter } from '../lib/rate-limit';

export { backoffMs, parseRetryAfter };

export interface VendorResponse {
  status: number;
  headers: Headers;
  body: Buffer;
}

export interface VendorRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Safe to resend after a 5xx or a dropped connection. Default: true for GET/PUT/DELETE, false otherwise. */
  idempotent?: boolean;
}

export interface VendorHttpOptions {
  provider: ProviderId;
  baseUrl: string;
  /** Headers that authenticate every request. */
  authHeaders: () => Record<string, string>;
  /** Turns a non-2xx response into a ProviderError (one function per vendor). */
  classify: (response: VendorResponse) => ProviderError;
  limiter: RateLimiter;
  log: Logger;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Sees every response (e.g. to read rate-limit headers and call `limiter.blockFor`). */
  onResponse?: (response: VendorResponse) => void;
  /** Metrics: every attempt's outcome (status 0 = no answer). */
  observer?: VendorObserver;
}

export type VendorObserver = (exchange: { provider: ProviderId; method: string; status: number; durationMs: number }) => void;

export interface VendorHttp {
  /** Parsed JSON body (undefined for an empty body); throws ProviderError for any non-2xx. */
  json<T = unknown>(request: VendorRequest): Promise<T>;
  /** Raw bytes (PDF downloads). */
  bytes(request: VendorRequest): Promise<Buffer>;
}

/** Vendor HTTP with auth, the shared rate limiter, timeouts and retries (429 always; 5xx only when idempotent). */
export function createVendorHttp(options: VendorHttpOptions): VendorHttp {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 4;

  async function send(request: VendorRequest): Promise<VendorResponse> {
    const idempotent = request.idempotent ?? (request.method !== 'POST' && request.method !== 'PATCH');
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const response = await options.limiter.schedule(() => sendOnce(request));
        options.observer?.({ provider: options.provider, method: request.method, status: response.status, durationMs: performance.now() - started });
        options.onResponse?.(response);
        if (response.status < 400) return response;
        throw options.classify(response);
      } catch (error) {
        const failure = toProviderError(error, options.provider);
        if (failure.detail.status === undefined)
          options.observer?.({ provider: options.provider, method: request.method, status: 0, durationMs: performance.now() - started });
        const mayRetry = failure.kind === 'rate_limited' || (failure.kind === 'unavailable' && idempotent);
        // A 429 means the vendor did nothing: always safe to send again, so it gets more patience.
        const attemptsAllowed = failure.kind === 'rate_limited' ? Math.max(maxAttempts, 8) : maxAttempts;
        if (!mayRetry || attempt >= attemptsAllowed) throw failure;
        const waitMs = failure.detail.retryAfterMs ?? (failure.kind === 'rate_limited' ? options.limiter.retryWaitMs(attempt) : backoffMs(attempt));
        if (failure.kind === 'rate_limited') options.limiter.blockFor(waitMs);
        options.log.warn({ provider: options.provider, status: failure.detail.status, attempt, waitMs }, 'vendor request retried');
        await sleep(waitMs);
      }
    }
  }

  async function sendOnce(request: VendorRequest): Promise<VendorResponse> {
    const url = new URL(options.baseUrl.replace(/\/$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...options.authHeaders(), ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    const response = await fetch(url, { method: request.method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  return {
    async json<T>(request: VendorRequest): Promise<T> {
      const response = await send(request);
      if (response.body.length === 0) return undefined as T;
      try {
        return JSON.parse(response.body.toString('utf8')) as T;
      } catch (cause) {
        throw new ProviderError(
          'unexpected',
          'vendor answered with a body that is not JSON',
          { provider: options.provider, status: response.status },
          { cause },
        );
      }
    },
    async bytes(request: VendorRequest): Promise<Buffer> {
      return (await send(request)).body;
    },
  };
}

function toProviderError(error: unknown, provider: ProviderId): ProviderError {
  if (error instanceof ProviderError) return error;
  // fetch rejects on timeouts, refused and dropped connections: the vendor may have committed.
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('unavailable', `vendor unreachable: ${message}`, { provider }, { cause: error });
}

/** A short, non-reversible fingerprint of a credential, for limiter keys and logs. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

/** Body text of a failed response, for classification (never logged whole). */
export function bodyText(response: VendorResponse): string {
  return response.body.toString('utf8');
}
