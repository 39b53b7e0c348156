/**
 * Stands in for the Qonto Business API (thirdparty.qonto.com, accounting.md §4) in tests and sandbox
 * mode: `{login}:{secret-key}` auth, JSON:API error bodies, the per-IP rate limits, clients, client
 * invoices with Qonto's totals and numbering, PDFs behind attachment download links, fault switches.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../faults';
import { ExchangeRecorder } from '../recorder';
import { SlidingWindowLimit } from '../rate-limit';
import type { Sandbox, SandboxOptions } from '../types';
import { registerClientRoutes } from './clients';
import { sendQontoError } from './errors';
import { registerCreditNoteRoutes } from './credit-notes';
import { registerQuoteRoutes } from './quotes';
import { markPaid, registerInvoiceRoutes } from './invoices';
import { QontoStore } from './store';
import { createInvoiceWebhookDispatcher, registerWebhookRoutes } from './webhooks';

/** Fixed sandbox credentials: `Authorization: apiup-sandbox-gmbh-4242:qonto-sandbox-secret-key`. */
export const qontoSandboxCredentials = { login: 'apiup-sandbox-gmbh-4242', secretKey: 'qonto-sandbox-secret-key' } as const;

export interface qontoSandbox extends Sandbox {
  readonly store: QontoStore;
  /** Sandbox-only: marks a finalized invoice paid, as a bank transfer matched in Qonto would. */
  markPaid(documentId: string, paidDate?: string): void;
}
export type QontoSandbox = qontoSandbox;

/** §4.2: after 200 responses with status 401 within an hour, Qonto throttles the caller. */
const maxUnauthorizedPerHour = 200;

export function createqontoSandbox(options: SandboxOptions = {}): qontoSandbox {
  const now = options.now ?? Date.now;
  const store = new QontoStore(now);
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const app = express();
  app.disable('x-powered-by');
  app.use(recorder.middleware());
  app.use(express.json({ limit: '1mb' }));
  app.use(
    faults.middleware({
      rejectRateLimited: (res) => sendQontoError(res, 429, 'too_many_requests', 'Rate limit exceeded'),
      rejectUnavailable: (res) => sendQontoError(res, 503, 'service_unavailable', 'The service is temporarily unavailable'),
    }),
  );

  const invoiceEvents = createInvoiceWebhookDispatcher(store);
  const sandbox: qontoSandbox = {
    name: 'qonto',
    app,
    faults,
    recorder,
    store,
    credentials: { ...qontoSandboxCredentials },
    markPaid(documentId, paidDate) {
      const stored = store.invoices.get(documentId);
      if (!stored) throw new Error(`qonto sandbox: no client invoice ${documentId}`);
      const problem = markPaid(store, stored, paidDate);
      if (problem) throw new Error(`qonto sandbox: ${problem.detail}`);
      invoiceEvents.changed(stored);
    },
  };

  app.post('/_sandbox/faults', (req, res) => {
    res.json(faults.set(req.body ?? {}));
  });
  app.delete('/_sandbox/faults', (_req, res) => {
    faults.reset();
    res.json(faults.settings);
  });
  app.post('/_sandbox/documents/:id/pay', (req, res) => {
    const paidDate = typeof req.body?.paidDate === 'string' ? req.body.paidDate : undefined;
    try {
      sandbox.markPaid(req.params.id, paidDate);
      res.json({ id: req.params.id, status: 'paid', paidDate: store.invoices.get(req.params.id)?.invoice.paid_at?.slice(0, 10) });
    } catch (error) {
      res.status(409).json({ error: (error as Error).message });
    }
  });

  app.use(limitRequests(options, now));
  app.use(authenticate(now));

  const router = express.Router();
  router.get('/v2/organization', (_req, res) => {
    res.json({ organization: store.organization });
  });
  registerClientRoutes(router, store);
  registerInvoiceRoutes(router, store, invoiceEvents);
  registerCreditNoteRoutes(router, store, (stored) => invoiceEvents.changed(stored));
  registerQuoteRoutes(router, store);
  registerWebhookRoutes(router, store);
  app.use(router);

  app.use((_req: Request, res: Response) => sendQontoError(res, 404, 'not_found', 'Route not found'));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // express.json: malformed JSON (Qonto answers `invalid_body`, accounting.md §4.4).
    if ((error as { type?: string }).type === 'entity.parse.failed') return sendQontoError(res, 422, 'invalid_body', 'invalid JSON');
    sendQontoError(res, 500, 'internal_server_error', 'Internal server error');
  });
  return sandbox;
}

/** STYLE.md spelling of the same factory (sandbox-mode.ts imports this one). */
export const createQontoSandbox = createqontoSandbox;

/** §4.2: 1 000 requests / 10 s and 10 000 / 10 min per IP (or `options.rateLimit`), 429 when exceeded. */
function limitRequests(options: SandboxOptions, now: () => number) {
  const limits = options.rateLimit
    ? [new SlidingWindowLimit(options.rateLimit.requests, options.rateLimit.perMs)]
    : [new SlidingWindowLimit(1_000, 10_000), new SlidingWindowLimit(10_000, 600_000)];
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/_sandbox')) return next();
    const key = req.ip ?? 'unknown';
    if (limits.some((limit) => limit.take(key, now()) > 0)) return sendQontoError(res, 429, 'too_many_requests', 'Rate limit exceeded');
    next();
  };
}

/** API key only: the header is exactly `{login}:{secret-key}` (no scheme, no base64; §4.1). */
function authenticate(now: () => number) {
  const expected = `${qontoSandboxCredentials.login}:${qontoSandboxCredentials.secretKey}`;
  const failures = new Map<string, number[]>();
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/_sandbox')) return next();
    const key = req.ip ?? 'unknown';
    const recent = (failures.get(key) ?? []).filter((t) => t > now() - 3_600_000);
    if (recent.length >= maxUnauthorizedPerHour) return sendQontoError(res, 429, 'too_many_requests', 'Too many unauthorized requests');
    if (req.get('authorization') === expected) return next();
    failures.set(key, [...recent, now()]);
    sendQontoError(res, 401, 'unauthorized', 'Invalid or missing credentials');
  };
}
