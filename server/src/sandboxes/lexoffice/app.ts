/**
 * In-memory emulator of the Lexware Office (lexoffice) public API: Bearer key auth, the 2 req/s
 * token bucket, the vendor's three error families and 406 validation, numbering, vendor totals,
 * real PDFs, payments (marked paid through a sandbox-only route), fault switches and a recorder.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { Faults, FaultSettingsSchema } from '../faults';
import { ExchangeRecorder } from '../recorder';
import type { Sandbox, SandboxOptions } from '../types';
import { berlinDay, lexTimestamp } from './clock';
import { contactRoutes } from './contacts';
import { eventSubscriptionRoutes } from './event-subscriptions';
import { LexofficeEventHub, type LexofficeEventOptions } from './events';
import { isLegacyPath, sendFamilyError, sendGateway } from './responses';
import { LexofficeStore } from './store';
import { TokenBucketLimit } from './token-bucket';
import { voucherRoutes } from './vouchers';

/** Fixed sandbox credentials (shown by `GET /sandbox`); any other key gets the vendor's 401. */
export const lexofficeSandboxCredentials = { apiKey: 'lexoffice-sandbox-api-key' } as const;

export interface LexofficeSandboxOptions extends SandboxOptions {
  /** Bucket capacity; default the per-window budget (2). */
  rateLimitBurst?: number;
  /** Webhook delivery timing (retry delays, timeout) and key size. */
  events?: LexofficeEventOptions;
}

export interface lexofficeSandbox extends Sandbox {
  readonly store: LexofficeStore;
  /** Count of 429 answers given (limit or fault), for tests that prove the client stays under the limit. */
  readonly stats: { rateLimited: number };
  /** Sandbox-only: records a full payment, as assigning a bank transaction in the web app would (§1.7). */
  markPaid(documentId: string, paidDate?: string): void;
  /** Subscriptions and delivery attempts, for tests. */
  readonly events: LexofficeEventHub;
  /** The key that verifies this sandbox's `X-Lxo-Signature` (stands in for Lexware's published key). */
  readonly publicKeyPem: string;
  /** Resolves when every webhook delivery queued so far has finished, retries included. */
  flushEvents(): Promise<void>;
}
export type LexofficeSandbox = lexofficeSandbox;

const payBody = z.object({ paidDate: z.iso.date().optional() });

export function createlexofficeSandbox(options: LexofficeSandboxOptions = {}): lexofficeSandbox {
  const now = options.now ?? Date.now;
  const store = new LexofficeStore(now);
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const limit = options.rateLimit ?? { requests: 2, perMs: 1000 };
  const bucket = new TokenBucketLimit(limit.requests, limit.perMs, options.rateLimitBurst ?? limit.requests);
  const stats = { rateLimited: 0 };
  const events = new LexofficeEventHub(() => store.organizationId, now, options.events);
  store.onEvent = (eventType, resourceId) => events.emit(eventType, resourceId);
  const markPaid = (id: string, paidDate?: string) => store.markPaid(id, paidDate ?? berlinDay(now()));

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '2mb' }));
  app.use(recorder.middleware());

  app.post('/_sandbox/faults', (req, res) => res.json(faults.set(FaultSettingsSchema.partial().parse(req.body ?? {}))));
  app.delete('/_sandbox/faults', (_req, res) => {
    faults.reset();
    res.status(204).end();
  });
  // Stands in for https://developers.lexware.io/webhookSignature/public/public_key.pub (§1.8).
  app.get('/_sandbox/public-key', (_req, res) => void res.type('application/x-pem-file').send(events.publicKeyPem));
  app.post('/_sandbox/documents/:id/pay', (req, res) => {
    const parsed = payBody.safeParse(req.body ?? {});
    if (!parsed.success) return void res.status(400).json({ message: 'paidDate must be YYYY-MM-DD' });
    try {
      markPaid(req.params.id, parsed.data.paidDate);
      res.status(204).end();
    } catch (error) {
      res.status(404).json({ message: (error as Error).message });
    }
  });

  app.use((_req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 429) stats.rateLimited++;
    });
    next();
  });
  // The gateway's bodies (LX26 LIVE_FINDINGS §0 for 429; accounting.md §1.3 for 5xx).
  app.use(
    faults.middleware({
      rejectRateLimited: (res) => sendGateway(res, 429, 'Rate limit exceeded'),
      rejectUnavailable: (res) => sendGateway(res, 503, 'Service Unavailable'),
    }),
  );
  app.use((req, res, next) => {
    const header = req.get('authorization');
    if (!header) return sendGateway(res, 401, 'Unauthorized');
    const match = /^Bearer (\S+)$/.exec(header);
    // accounting.md §1.3 / spec Forbidden sample: a malformed header is a 403 from the gateway.
    if (!match) return sendGateway(res, 403, `'${header}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    if (match[1] !== lexofficeSandboxCredentials.apiKey) return sendGateway(res, 401, 'Unauthorized');
    if (!bucket.take(match[1], now())) return sendGateway(res, 429, 'Rate limit exceeded');
    if ((req.method === 'POST' || req.method === 'PUT') && !req.is('application/json'))
      return sendFamilyError(res, 415, req.path, 'Content-Type must be application/json', now());
    next();
  });

  app.get('/v1/profile', (_req, res) => {
    res.json({
      organizationId: store.organizationId,
      companyName: store.companyName,
      created: { userId: store.organizationId, userName: 'Sandbox', userEmail: 'sandbox@example.com', date: lexTimestamp(0) },
      connectionId: store.organizationId,
      taxType: 'net',
      distanceSalesPrinciple: 'ORIGIN',
      businessFeatures: ['INVOICING', 'BOOKKEEPING'],
      smallBusiness: false,
    });
  });
  app.use(contactRoutes(store, now));
  app.use(voucherRoutes(store, now));
  app.use(eventSubscriptionRoutes(events, store.organizationId, now));

  // Unknown resource or method: the gateway's 403 (accounting.md §1.2: "possibly wrong URL or method").
  app.use((_req, res) => sendGateway(res, 403, 'Missing Authentication Token'));
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed') return sendFamilyError(res, 400, req.path, 'Malformed JSON', now());
    if (isLegacyPath(req.path)) return sendFamilyError(res, 500, req.path, 'technical error', now());
    sendGateway(res, 500, null);
  });

  return {
    name: 'lexoffice',
    app,
    faults,
    recorder,
    credentials: { ...lexofficeSandboxCredentials },
    store,
    stats,
    markPaid,
    events,
    get publicKeyPem() {
      return events.publicKeyPem;
    },
    flushEvents: () => events.flush(),
  };
}

/** Same factory under the repository's naming (STYLE.md "Naming"); `sandbox-mode.ts` imports this one. */
export const createLexofficeSandbox = createlexofficeSandbox;
