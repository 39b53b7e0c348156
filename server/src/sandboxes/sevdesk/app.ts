/**
 * In-memory emulator of the sevDesk API (accounting.md §2; spec server/specs/sevdesk/openapi.yaml).
 * Bare-token auth, sevDesk's validation and error bodies, invoice numbering on send, totals as
 * sevDesk computes them, real PDFs, plus sandbox-only control routes under `/_sandbox`.
 * The API answers at the root and under `/api/v1` (the real base path).
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { Faults, FaultSettingsSchema } from '../faults';
import { SlidingWindowLimit } from '../rate-limit';
import { ExchangeRecorder } from '../recorder';
import type { Sandbox, SandboxOptions } from '../types';
import { contactRoutes } from './contacts';
import { invoiceRoutes } from './invoices';
import { orderRoutes } from './orders';
import { SevdeskStore } from './store';
import { SevdeskHttpError, writeError } from './validation';

/** The one API token this sandbox accepts (a 32-hex string, like sevDesk's, §2.1). */
export const sevdeskSandboxApiToken = '5e7d5a4b0c1f2e3d4c5b6a7980f1e2d3';

/**
 * sevDesk publishes no limit (§2.2); the sandbox enforces the same 10 requests/s per token that the
 * connector assumes (client.ts `sevdeskDefaultRateLimit`), so a client that ignores it is caught.
 */
const defaultRateLimit = { requests: 10, perMs: 1_000 };

export interface SevdeskSandbox extends Sandbox {
  readonly store: SevdeskStore;
  /** Books the full amount: status 1000, `payDate`, `paidAmount` (§2.6). Drafts cannot be booked. */
  markPaid(documentId: string, paidDate?: string): void;
}
export type sevdeskSandbox = SevdeskSandbox;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function createsevdeskSandbox(options: SandboxOptions = {}): SevdeskSandbox {
  const now = options.now ?? Date.now;
  const store = new SevdeskStore(now);
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const limit = options.rateLimit ?? defaultRateLimit;
  const window = new SlidingWindowLimit(limit.requests, limit.perMs);

  function markPaid(documentId: string, paidDate?: string): void {
    const invoice = store.invoices.get(documentId);
    if (!invoice) throw new SevdeskHttpError(404, `Invoice with id ${documentId} not found`);
    if (invoice.status === '100') throw new SevdeskHttpError(409, 'Draft invoices cannot be booked');
    invoice.status = '1000';
    invoice.payDate = paidDate ?? new Date(now()).toISOString().slice(0, 10);
    invoice.paidAmount = invoice.totals.sumGross.toFixed();
    invoice.updatedMs = now();
  }

  const control = express.Router();
  control.post('/faults', (req, res) => {
    res.json(faults.set(FaultSettingsSchema.partial().parse(req.body ?? {})));
  });
  control.delete('/faults', (_req, res) => {
    faults.reset();
    res.status(204).end();
  });
  control.post('/documents/:id/pay', (req, res) => {
    const body = z.object({ paidDate: isoDate.optional() }).parse(req.body ?? {});
    markPaid(req.params.id, body.paidDate);
    res.json({ id: req.params.id, status: '1000', paidDate: store.invoices.get(req.params.id)?.payDate });
  });

  const api = express.Router();
  api.get('/SevUser', (_req, res) => {
    res.json({
      objects: [{ id: store.user.id, objectName: 'SevUser', username: store.user.username, sevClient: { id: store.client.id, objectName: 'SevClient' } }],
    });
  });
  api.get('/SevClient', (_req, res) => {
    res.json({ objects: [{ ...store.client, objectName: 'SevClient', smallSettlement: '0' }] });
  });
  api.get('/Tools/bookkeepingSystemVersion', (_req, res) => {
    res.json({ objects: { version: '2.0' } });
  });
  api.use(contactRoutes(store));
  api.use(invoiceRoutes(store));
  api.use(orderRoutes(store));

  const app = express();
  app.use(recorder.middleware());
  app.use(express.json({ limit: '5mb' }));
  app.use('/_sandbox', control);
  app.use(
    faults.middleware({
      rejectRateLimited: (res) => writeError(res, 429, 'Too Many Requests'),
      rejectUnavailable: (res) => writeError(res, 500, 'Internal Server Error'),
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    const token = req.headers.authorization;
    if (window.take(token ?? 'anonymous', now()) > 0) return writeError(res, 429, 'Too Many Requests');
    // §2.1: the raw token only; "Bearer <token>" or a wrong token is 401.
    if (token !== sevdeskSandboxApiToken) return writeError(res, 401, 'Authentication required');
    next();
  });
  app.use('/api/v1', api);
  app.use(api);
  app.use((req: Request, res: Response) => writeError(res, 404, `Resource ${req.method} ${req.path} not found`));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof SevdeskHttpError) return writeError(res, error.status, error.message);
    if (error instanceof z.ZodError) return writeError(res, 400, error.issues[0]?.message ?? 'invalid body');
    if ((error as { type?: string }).type === 'entity.parse.failed') return writeError(res, 400, 'Invalid JSON in request body');
    writeError(res, 500, 'Internal Server Error');
  });

  return { name: 'sevdesk', app, faults, recorder, store, markPaid, credentials: { apiToken: sevdeskSandboxApiToken } };
}

/** Same factory, in the casing `sandbox-mode.ts` imports. */
export const createSevdeskSandbox = createsevdeskSandbox;
