/**
 * HubSpot API access per portal: `@hubspot/api-client` pointed at the configured base URL, behind a
 * per-portal rate limiter shared by every job in the process (110 requests / 10 s; search 5 / s —
 * hubspot.md §6.5), with 429/5xx retries and a token refresh on 401.
 *
 * The library's own limiter and retry decorators are process-global singletons (ApiDecoratorService),
 * so they are left off and done here per portal instead.
 */
import { Client } from '@hubspot/api-client';
import type { Logger } from 'pino';
import { backoffMs } from '../lib/backoff';
import { kindOfStatus, UpstreamError } from '../lib/errors';
import { parseRetryAfter, RateLimiterRegistry, sleep, type RateLimit } from '../lib/rate-limit';
import type { HubspotTokens } from './tokens';

/** HubSpot's documented limits per portal (fact sheet hubspot.md §6.5): 110 per 10 s, search 5 per s. */
export const hubspotLimits = {
  standard: { requests: 110, perMs: 10_000 },
  search: { requests: 5, perMs: 1_000 },
} satisfies Record<string, RateLimit>;

/** A HubSpot API failure (status 0: no answer); retryable for 429, 5xx and no answer. */
export class HubspotError extends UpstreamError {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
    retryAfterMs?: number,
  ) {
    super(kindOfStatus(status), message, { status, retryAfterMs });
    this.name = 'HubspotError';
  }

  get code(): string {
    return `hubspot_${this.status}`;
  }
}

export interface HubspotClientOptions {
  apiBaseUrl: string;
  tokens: HubspotTokens;
  limiters: RateLimiterRegistry;
  log: Logger;
  limits?: typeof hubspotLimits;
  maxAttempts?: number;
}

export interface CallOptions {
  /** Search endpoints have their own limit. */
  search?: boolean;
  /** Safe to resend after a 5xx or a dropped connection (reads, updates by id, upserts). */
  idempotent?: boolean;
}

export class HubspotClients {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: HubspotClientOptions) {}

  /** Runs `operation` with this portal's client under its limiter, retrying what is safe to retry. */
  async call<T>(portalId: string, operation: (client: Client) => Promise<T>, callOptions: CallOptions = {}): Promise<T> {
    const limits = this.options.limits ?? hubspotLimits;
    const limiter = this.options.limiters.get(`hubspot:${portalId}`, limits.standard);
    const searchLimiter = callOptions.search ? this.options.limiters.get(`hubspot-search:${portalId}`, limits.search) : undefined;
    const maxAttempts = this.options.maxAttempts ?? 5;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.options.tokens.accessToken(portalId);
      const client = this.clientFor(portalId, token);
      try {
        const run = () => limiter.schedule(() => operation(client));
        return await (searchLimiter ? searchLimiter.schedule(run) : run());
      } catch (raw) {
        const error = toHubspotError(raw);
        if (error.status === 401 && !refreshed) {
          refreshed = true;
          await this.options.tokens.refreshOnce(portalId, token);
          continue;
        }
        const mayRetry = error.status === 429 || ((error.status >= 500 || error.status === 0) && callOptions.idempotent !== false);
        if (!mayRetry || attempt >= maxAttempts) throw error;
        const waitMs = error.detail.retryAfterMs ?? backoffMs(attempt, 500, 10_000);
        if (error.status === 429) limiter.blockFor(waitMs);
        this.options.log.warn({ portalId, status: error.status, attempt, waitMs }, 'hubspot request retried');
        await sleep(waitMs);
      }
    }
  }

  private clientFor(portalId: string, accessToken: string): Client {
    let client = this.clients.get(portalId);
    if (!client) {
      client = new Client({ basePath: this.options.apiBaseUrl.replace(/\/$/, ''), accessToken, numberOfApiCallRetries: 0 });
      this.clients.set(portalId, client);
    } else {
      client.setAccessToken(accessToken);
    }
    return client;
  }
}

/** The library throws ApiException-like objects ({ code, body, headers }); fetch failures have no code. */
function toHubspotError(raw: unknown): HubspotError {
  if (raw instanceof HubspotError) return raw;
  const e = raw as { code?: unknown; body?: unknown; headers?: Record<string, string>; message?: string };
  const status = typeof e?.code === 'number' ? e.code : 0;
  const headers = new Headers(e?.headers ?? {});
  const bodyMessage = (e?.body as { message?: string } | undefined)?.message;
  return new HubspotError(status, bodyMessage ?? e?.message ?? 'HubSpot request failed', e?.body, status === 429 ? parseRetryAfter(headers) : undefined);
}
