/**
 * Fault switches shared by every vendor emulator, for tests, benchmarks and the chaos run:
 * 429 bursts, 5xx, latency, and "commit then drop the connection" (the handler runs and commits,
 * then the socket is destroyed instead of answering, as a proxy timeout after a write would).
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

export const FaultSettingsSchema = z.object({
  /** The next N requests answer 429. */
  rateLimitBurst: z.number().int().min(0).default(0),
  /** The next N requests answer 503 without doing anything. */
  serverErrors: z.number().int().min(0).default(0),
  /** Share (0..1) of requests that answer 503 without doing anything. */
  serverErrorRate: z.number().min(0).max(1).default(0),
  /** Added latency per request, ms. */
  latencyMs: z.number().int().min(0).default(0),
  /** The next N writes (POST/PUT/PATCH/DELETE) commit and then drop the connection. */
  dropAfterCommit: z.number().int().min(0).default(0),
  /** Share (0..1) of writes that commit and then drop the connection. */
  dropAfterCommitRate: z.number().min(0).max(1).default(0),
  /** The next N writes commit and then never answer (the caller hangs, e.g. until its process is killed). */
  hangAfterCommit: z.number().int().min(0).default(0),
  /** Only requests whose path starts with this are faulted (and counted); empty: every request. */
  pathPrefix: z.string().default(''),
});
export type FaultSettings = z.infer<typeof FaultSettingsSchema>;

export class Faults {
  settings: FaultSettings = FaultSettingsSchema.parse({});

  set(patch: Partial<FaultSettings>): FaultSettings {
    this.settings = FaultSettingsSchema.parse({ ...this.settings, ...patch });
    return this.settings;
  }

  reset(): void {
    this.settings = FaultSettingsSchema.parse({});
  }

  /**
   * Express middleware. `rejectRateLimited` writes the vendor's own 429 body; `rejectUnavailable`
   * the vendor's own 5xx body. Control routes under `/_sandbox` are never faulted.
   */
  middleware(vendor: { rejectRateLimited: (res: Response) => void; rejectUnavailable: (res: Response) => void }) {
    return async (req: Request, res: Response, next: NextFunction) => {
      if (req.path.startsWith('/_sandbox')) return next();
      const s = this.settings;
      if (!req.path.startsWith(s.pathPrefix)) return next();
      if (s.latencyMs > 0) await new Promise((r) => setTimeout(r, s.latencyMs));
      if (s.rateLimitBurst > 0) {
        s.rateLimitBurst--;
        return vendor.rejectRateLimited(res);
      }
      if (s.serverErrors > 0 || (s.serverErrorRate > 0 && Math.random() < s.serverErrorRate)) {
        if (s.serverErrors > 0) s.serverErrors--;
        return vendor.rejectUnavailable(res);
      }
      const isWrite = req.method !== 'GET' && req.method !== 'HEAD';
      if (isWrite && (s.dropAfterCommit > 0 || (s.dropAfterCommitRate > 0 && Math.random() < s.dropAfterCommitRate))) {
        if (s.dropAfterCommit > 0) s.dropAfterCommit--;
        dropInsteadOfAnswering(res);
      } else if (isWrite && s.hangAfterCommit > 0) {
        s.hangAfterCommit--;
        neverAnswer(res);
      }
      next();
    };
  }
}

/** The handler still runs (and commits); its answer is swallowed and the connection stays open. */
function neverAnswer(res: Response): void {
  const swallow = () => res;
  res.json = swallow as Response['json'];
  res.send = swallow as Response['send'];
  res.end = swallow as Response['end'];
}

/** The handler still runs (and commits); whatever it answers is replaced by a destroyed socket. */
function dropInsteadOfAnswering(res: Response): void {
  const drop = () => {
    res.socket?.destroy();
    return res;
  };
  res.json = drop as Response['json'];
  res.send = drop as Response['send'];
  res.end = drop as Response['end'];
}
