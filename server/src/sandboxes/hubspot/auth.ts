/**
 * Bearer-token check and per-portal rate limits for every CRM route (hubspot.md §4, §6.5):
 * unknown token → 401 INVALID_AUTHENTICATION, expired → 401 EXPIRED_AUTHENTICATION;
 * 110 requests / 10 s per portal with X-HubSpot-RateLimit-* headers, search 5/s and no headers.
 */
import type { NextFunction, Request, Response } from 'express';
import { authOf, type SandboxContext } from './context';
import { HubspotApiError, rateLimitError, sendError } from './errors';
import { expiredError } from './oauth';

/**
 * Rolling window that also reports what is left, for the X-HubSpot-RateLimit-Remaining header
 * (the shared SlidingWindowLimit only answers "wait ms").
 */
export class RollingWindow {
  private readonly hits = new Map<number, number[]>();

  constructor(private readonly limit: { requests: number; perMs: number }) {}

  take(key: number, now: number): { allowed: boolean; remaining: number; retryAfterMs: number } {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.limit.perMs);
    this.hits.set(key, list);
    if (list.length >= this.limit.requests) return { allowed: false, remaining: 0, retryAfterMs: list[0] + this.limit.perMs - now };
    list.push(now);
    return { allowed: true, remaining: this.limit.requests - list.length, retryAfterMs: 0 };
  }
}

/** Our app's changes are marked the way HubSpot marks them (webhooks.ts has the research note). */
export function bearerAuth(ctx: SandboxContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.header('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    const access = match ? ctx.tokens.access(match[1].trim()) : undefined;
    if (!access)
      return sendError(
        res,
        new HubspotApiError(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication.'),
      );
    const now = ctx.options.now();
    if (access.expiresAt <= now) return sendError(res, expiredError(access.expiresAt, now));
    const portal = ctx.store.ensurePortal(access.portalId);
    res.locals.hubspotAuth = { portal, source: { changeSource: 'INTEGRATION', sourceId: String(access.appId ?? ctx.options.appId) }, scopes: access.scopes };
    next();
  };
}

export function rateLimits(ctx: SandboxContext) {
  const general = new RollingWindow(ctx.options.rateLimit);
  const search = new RollingWindow(ctx.options.searchRateLimit);
  return (req: Request, res: Response, next: NextFunction) => {
    const portalId = authOf(res).portal.portalId;
    const now = ctx.options.now();
    // Search has its own limit and sends no rate-limit headers (§6.1); it does not use up the general window.
    if (req.method === 'POST' && req.path.endsWith('/search')) {
      const taken = search.take(portalId, now);
      if (!taken.allowed) return reject(res, 'SECONDLY', taken.retryAfterMs);
      return next();
    }
    const taken = general.take(portalId, now);
    res.setHeader('X-HubSpot-RateLimit-Max', String(ctx.options.rateLimit.requests));
    res.setHeader('X-HubSpot-RateLimit-Remaining', String(taken.remaining));
    res.setHeader('X-HubSpot-RateLimit-Interval-Milliseconds', String(ctx.options.rateLimit.perMs));
    if (!taken.allowed) return reject(res, 'TEN_SECONDLY_ROLLING', taken.retryAfterMs);
    next();
  };
}

function reject(res: Response, policyName: string, retryAfterMs: number): void {
  // Whether HubSpot sends Retry-After on CRM 429s is UNCONFIRMED (§6.5); sending it helps clients that honour it.
  res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
  sendError(res, rateLimitError(policyName, retryAfterMs));
}
