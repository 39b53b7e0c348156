/**
 * Records every request an emulator receives and the response it gives, so contract tests can
 * validate both directions (what our client sent, what the sandbox answered) against the vendor spec.
 */
import type { NextFunction, Request, Response } from 'express';

export interface Exchange {
  method: string;
  /** Path without query, e.g. `/v1/contacts/abc`. */
  path: string;
  query: Record<string, unknown>;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: unknown;
  status: number;
  responseContentType?: string;
  responseBody: unknown;
}

/** `METHOD /path` with ids in the path (numbers, UUIDs, long hex) as `:id`: which endpoint a call went to. */
export function endpointOf(exchange: Pick<Exchange, 'method' | 'path'>): string {
  return `${exchange.method} ${exchange.path.replace(/\/(\d+|[0-9a-f]{8}-[0-9a-f-]{27,}|[0-9a-f]{16,})(?=\/|$)/gi, '/:id')}`;
}

export class ExchangeRecorder {
  readonly exchanges: Exchange[] = [];
  enabled = false;
  /** Request counts only (benchmarks: no bodies kept), by `total` / `writes` / `rateLimited`. */
  readonly counts = { total: 0, writes: 0, rateLimited: 0 };
  counting = false;

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      if ((req.baseUrl + req.path).startsWith('/_sandbox')) return next();
      if (this.counting) {
        this.counts.total++;
        if (req.method !== 'GET' && req.method !== 'HEAD') this.counts.writes++;
        res.on('finish', () => {
          if (res.statusCode === 429) this.counts.rateLimited++;
        });
      }
      if (!this.enabled) return next();
      const send = res.send.bind(res);
      res.send = ((body?: unknown) => {
        let parsed: unknown = body;
        if (typeof body === 'string') {
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = body;
          }
        } else if (Buffer.isBuffer(body)) {
          parsed = '<binary>';
        }
        this.exchanges.push({
          method: req.method,
          path: req.baseUrl + req.path,
          query: { ...req.query },
          requestHeaders: { ...req.headers },
          requestBody: req.body,
          status: res.statusCode,
          responseContentType: String(res.getHeader('content-type') ?? ''),
          responseBody: parsed,
        });
        return send(body);
      }) as Response['send'];
      next();
    };
  }
}
