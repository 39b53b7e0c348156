/**
 * `POST /webhooks/accounting/:portalId/:provider`: payment and status events from vendors that push
 * them (lexoffice, Qonto). The signature is checked by the vendor's own rule before anything else;
 * a genuine event makes the deal's payment check run now instead of at its next poll, and a contact
 * event (lexoffice) syncs that customer now. A portal that
 * does not use the vendor gets the same 401 as a bad signature, so the route reveals no connections.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { providerIds } from '../../accounting/provider';
import { AppError } from '../../errors';
import type { InvoiceRecords } from '../../invoicing/records';
import { rawBodyOf } from '../middleware/raw-body';

export interface AccountingWebhookDeps {
  connections: AccountingConnections;
  records: InvoiceRecords;
  /** Our per-portal secret for vendors that sign with a shared secret. */
  secretFor: (portalId: string) => string | Promise<string>;
  /** Makes the deal's payment check due now (or queues one). */
  checkPaymentNow: (portalId: string, dealId: string) => Promise<void>;
  /** Syncs the vendor customer now (created, changed or deleted there); the poll stays the safety net. */
  syncCustomerNow: (portalId: string, vendorId: string) => Promise<void>;
  log: Logger;
}

const Params = z.object({ portalId: z.string().regex(/^\d+$/), provider: z.enum(providerIds) });

export function accountingWebhookRoutes(deps: AccountingWebhookDeps): Router {
  const router = Router();
  router.post('/webhooks/accounting/:portalId/:provider', async (req, res) => {
    const { portalId, provider } = Params.parse(req.params);
    const connection = await deps.connections.providerFor(portalId);
    const events = connection?.id === provider ? connection.provider.events : undefined;
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v[0] : v]));
    const secret = events ? await deps.secretFor(portalId) : undefined;
    const parsed = events ? safeParse(() => events.parse(rawBodyOf(req), headers, secret!)) : null;
    // One answer whether or not this portal uses this vendor: a caller must not learn which it is.
    if (!parsed) throw new AppError('unauthenticated', 'The event signature is not valid.');
    let deals = 0;
    for (const documentId of parsed.documentIds) {
      for (const record of await deps.records.byDocument(portalId, provider, documentId)) {
        await deps.checkPaymentNow(portalId, record.dealId);
        deals++;
      }
    }
    for (const vendorId of parsed.customerIds ?? []) await deps.syncCustomerNow(portalId, vendorId);
    deps.log.info({ portalId, provider, documents: parsed.documentIds.length, deals, customers: parsed.customerIds?.length ?? 0 }, 'accounting event accepted');
    res.status(200).json({ accepted: true });
  });
  return router;
}

function safeParse<T>(parse: () => T | null): T | null {
  try {
    return parse();
  } catch {
    return null;
  }
}
