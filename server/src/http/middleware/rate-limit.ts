import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors';

export interface RateLimitOptions {
  /** Requests each client may make per window. */
  perClient: number;
  windowMs: number;
  /** Clients counted per window; further new clients share one count (memory stays bounded). */
  maxClients?: number;
  message: string;
  now?: () => number;
  /** What counts as one client; default the caller's address. */
  key?: (req: Request) => string;
}

/**
 * A fixed-window limit per client address, in memory, for one process. Small on purpose: it guards
 * cheap anonymous routes (the install redirect) against floods, not a cluster against a botnet.
 */
export function rateLimit(options: RateLimitOptions) {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const counts = new Map<string, number>();
  let windowStart = -Infinity;
  return (req: Request, res: Response, next: NextFunction) => {
    const at = now();
    if (at - windowStart >= options.windowMs) {
      windowStart = at;
      counts.clear();
    }
    const client = options.key ? options.key(req) : (req.ip ?? 'unknown');
    const key = counts.has(client) || counts.size < maxClients ? client : '(overflow)';
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count > options.perClient) {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil((windowStart + options.windowMs - at) / 1000))));
      return next(new AppError('rate_limited', options.message));
    }
    next();
  };
}
