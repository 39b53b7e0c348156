/**
 * In-memory stand-in for the bexio API (api.bexio.com, accounting.md §3): Bearer auth, bexio's
 * `{ error_code, message }` errors and statuses, a per-minute limit with RateLimit-* headers,
 * document numbering, bexio's totals rule, real PDFs, fault switches and an exchange recorder.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { Faults, FaultSettingsSchema } from '../faults';
import { ExchangeRecorder } from '../recorder';
import type { Sandbox, SandboxOptions } from '../types';
import { contactRoutes } from './contacts';
import { documentRoutes } from './documents';
import { sendError } from './http';
import { referenceRoutes } from './reference';
import { relationRoutes } from './relations';
import { documentTotals } from './render';
import { BexioStore, draftStatus } from './store';
import { FixedWindowLimit } from './window-limit';

export interface bexioSandbox extends Sandbox {
  readonly store: BexioStore;
  /** Records a payment of the open amount on an issued invoice (bexio status 9), dated `paidDate` or today. */
  markPaid(documentId: string, paidDate?: string): void;
}

/** The one token the sandbox accepts (a stand-in for a Personal Access Token, §3.1). */
export const bexioSandboxCredentials = { accessToken: 'bexio-sandbox-pat-0001' } as const;

/**
 * bexio limits requests per company per minute and announces the window in `RateLimit-Limit`,
 * `-Remaining` and `-Reset` (docs.bexio.com "Rate Limiting") without publishing the number. Live answers
 * carry `ratelimit-limit: 1000` (and `x-ratelimit-limit-minute: 1000`): 2024-06-02 in github
 * gigerIT/bexio-api-client tests/Fixtures/Saloon/contacts/contacts/get.json@d56c2e31, 2026-06-18 in
 * github codebar-ag/laravel-bexio tests/Fixtures/Saloon/*.json@b68256a4.
 */
const recordedMinuteLimit = { requests: 1000, perMs: 60_000 } as const;

export function createbexioSandbox(options: SandboxOptions = {}): bexioSandbox {
  const now = options.now ?? Date.now;
  const store = new BexioStore(now);
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const limit = options.rateLimit ?? recordedMinuteLimit;
  const window = new FixedWindowLimit(limit.requests, limit.perMs, now);

  function markPaid(documentId: string, paidDate?: string): void {
    const doc = store.documents.kb_invoice.get(Number(documentId));
    if (!doc) throw new SandboxError(404, `no invoice ${documentId}`);
    if (doc.statusId === draftStatus.kb_invoice) throw new SandboxError(409, `invoice ${documentId} is still a draft`);
    const total = documentTotals(store, doc).total;
    const received = doc.payments.reduce((s, p) => s.plus(p.value), total.minus(total));
    if (received.gte(total)) return;
    store.addPayment(
      doc,
      { date: paidDate ?? store.today(), value: total.minus(received).toFixed(2), bank_account_id: 1, payment_service_id: null },
      total.toFixed(2),
    );
  }

  const app = express();
  app.disable('x-powered-by');
  app.use('/_sandbox', express.json(), controlRoutes(faults, markPaid));
  app.use(recorder.middleware());
  app.use(express.json());
  app.use(authenticate);
  app.use((req, res, next) => {
    const taken = window.take(String(req.headers.authorization));
    setRateHeaders(res, limit.requests, taken.remaining, taken.resetSeconds);
    if (!taken.allowed) return sendError(res, 429, 'Too Many Requests');
    next();
  });
  app.use(
    faults.middleware({
      rejectRateLimited: (res) => {
        setRateHeaders(res, limit.requests, 0, 1);
        sendError(res, 429, 'Too Many Requests');
      },
      rejectUnavailable: (res) => sendError(res, 503, 'Service Unavailable'),
    }),
  );
  app.use(requireWellFormedPayload);
  app.use(referenceRoutes(store), contactRoutes(store), relationRoutes(store), documentRoutes(store, 'kb_invoice'), documentRoutes(store, 'kb_offer'));
  app.use((_req: Request, res: Response) => sendError(res, 404, 'Not Found'));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const isBadJson = (error as { type?: string }).type === 'entity.parse.failed';
    sendError(res, isBadJson ? 400 : 500, isBadJson ? 'Bad Request: malformed JSON' : 'Internal Server Error');
  });

  return { name: 'bexio', app, faults, recorder, credentials: { ...bexioSandboxCredentials }, store, markPaid };
}

function authenticate(req: Request, res: Response, next: NextFunction): void {
  if (req.headers.authorization === `Bearer ${bexioSandboxCredentials.accessToken}`) return next();
  sendError(res, 401, 'Unauthorized');
}

/** `Content-Length` on requests with a payload (else 411) and JSON bodies only (else 415), §3.1 and §5. */
function requireWellFormedPayload(req: Request, res: Response, next: NextFunction): void {
  const hasPayload = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasPayload) return next();
  if (req.headers['content-length'] === undefined) return sendError(res, 411, 'Length Required');
  if (!req.is('application/json')) return sendError(res, 415, 'Unsupported Media Type');
  next();
}

function setRateHeaders(res: Response, limit: number, remaining: number, resetSeconds: number): void {
  res.setHeader('RateLimit-Limit', String(limit));
  res.setHeader('RateLimit-Remaining', String(remaining));
  res.setHeader('RateLimit-Reset', String(resetSeconds));
}

class SandboxError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Control routes: never rate-limited, faulted or recorded. */
function controlRoutes(faults: Faults, markPaid: (id: string, paidDate?: string) => void) {
  const router = express.Router();
  router.post('/faults', (req, res) => {
    const patch = FaultSettingsSchema.partial().safeParse(req.body ?? {});
    if (!patch.success) return void res.status(400).json({ error: z.prettifyError(patch.error) });
    res.json(faults.set(patch.data));
  });
  router.delete('/faults', (_req, res) => {
    faults.reset();
    res.status(204).end();
  });
  router.post('/documents/:id/pay', (req, res) => {
    const body = z.object({ paidDate: z.iso.date().optional() }).safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json({ error: z.prettifyError(body.error) });
    try {
      markPaid(req.params.id, body.data.paidDate);
      res.status(204).end();
    } catch (error) {
      if (!(error instanceof SandboxError)) throw error;
      res.status(error.status).json({ error: error.message });
    }
  });
  return router;
}

/** Alias in the repo's usual casing (sandbox-mode.ts imports this name). */
export const createBexioSandbox = createbexioSandbox;
