/**
 * Backend of the deal sidebar card (`hubspot.fetch`, signed): invoice state with number, dates,
 * totals, PDF link and reason; "create invoice now" and "retry". The portal comes only from the
 * verified request; another portal's deal is simply not found.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { providerLabel } from '../../accounting/registry';
import type { Subscriptions } from '../../billing/subscriptions';
import { AppError } from '../../errors';
import { invoiceDealKey, type invoiceJobs } from '../../jobs/definitions/invoice';
import type { JobQueue } from '../../jobs/queue';
import { formatMessage } from '../../invoicing/messages';
import type { InvoiceRecord, InvoiceRecords } from '../../invoicing/records';
import { invoiceWarnings } from '../../invoicing/warnings';
import { reasonParams } from '../../invoicing/write-back';
import { PortalDisconnected, PortalNeedsReauth, PortalNotConnected, type HubspotTokens } from '../../hubspot/tokens';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';
import type { FileLinks } from './files';
import { DealNotFound } from '../../invoicing/gather';
import type { InvoicePreview } from '../../invoicing/preview';
import { cancelBlocker } from '../../invoicing/cancel';

export interface DealCardDeps {
  signature: SignatureOptions;
  records: InvoiceRecords;
  queue: JobQueue;
  jobs: ReturnType<typeof invoiceJobs>;
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  tokens: HubspotTokens;
  files: FileLinks;
  preview: (portalId: string, dealId: string, locale: 'de' | 'en') => Promise<InvoicePreview>;
  onEnqueued?: () => void;
}

const DealParams = z.object({ dealId: z.string().regex(/^\d+$/, 'a HubSpot deal id') });
const Locale = z.object({ locale: z.string().optional() });

export function dealCardRoutes(deps: DealCardDeps): Router {
  const router = Router();
  router.use('/api/v1/deals', requireHubspotSignature(deps.signature));

  router.get('/api/v1/deals/:dealId/invoice', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const { dealId } = DealParams.parse(req.params);
    const locale = localeOf(Locale.parse(req.query).locale);
    const record = await deps.records.get(portalId, dealId);
    const job = await deps.queue.latestByKey(invoiceDealKey({ portalId, dealId }));
    // Nothing known for this deal in this portal (another portal's deal looks exactly the same).
    if (!record && !job) throw new AppError('not_found', 'No invoice run for this deal yet.');
    res.json({
      dealId,
      portal: { status: await deps.tokens.status(portalId) },
      connection: (await deps.connections.view(portalId)) ?? null,
      features: await deps.subscriptions.features(portalId),
      invoice: record ? { ...toView(record, locale, deps.files), canCancel: cancelBlocker(record, await canCancel(deps, portalId, record)) === null } : null,
      job: job ? { state: job.state, attempts: job.attempts, lastError: job.lastError } : null,
    });
  });

  router.get('/api/v1/deals/:dealId/invoice/preview', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const { dealId } = DealParams.parse(req.params);
    const locale = localeOf(Locale.parse(req.query).locale);
    try {
      res.json(await deps.preview(portalId, dealId, locale));
    } catch (error) {
      if (error instanceof DealNotFound) throw new AppError('not_found', 'This deal does not exist in your HubSpot account.');
      throw hubspotConnectionError(error);
      throw error;
    }
  });

  const enqueue = (retryOnly: boolean) => async (req: import('express').Request, res: import('express').Response) => {
    const portalId = verifiedPortalId(res);
    const { dealId } = DealParams.parse(req.params);
    const record = await deps.records.get(portalId, dealId);
    if (retryOnly && !record) throw new AppError('not_found', 'There is no invoice run for this deal to retry.');
    const result = await deps.queue.enqueue(deps.jobs.process, { portalId, dealId, trigger: 'manual' as const });
    // The user asks for it now: a job sleeping on a backoff or a re-authorisation wait runs now.
    if (result.deduplicated) await deps.queue.expedite(invoiceDealKey({ portalId, dealId }));
    deps.onEnqueued?.();
    res.status(202).json({ jobId: result.id, alreadyQueued: result.deduplicated });
  };
  router.post('/api/v1/deals/:dealId/invoice', enqueue(false));
  router.post('/api/v1/deals/:dealId/invoice/retry', enqueue(true));

  /** Cancel the invoice (credit note, cancellation invoice or status, as the vendor can); 409 when it cannot be. */
  router.post('/api/v1/deals/:dealId/invoice/cancel', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const { dealId } = DealParams.parse(req.params);
    const record = await deps.records.get(portalId, dealId);
    if (!record) throw new AppError('not_found', 'There is no invoice for this deal.');
    const blocker = cancelBlocker(record, await canCancel(deps, portalId, record));
    if (blocker) throw new AppError('conflict', cancelRefusals[blocker]);
    const result = await deps.queue.enqueue(deps.jobs.cancel, { portalId, dealId });
    deps.onEnqueued?.();
    res.status(202).json({ jobId: result.id, alreadyQueued: result.deduplicated });
  });
  return router;
}

const cancelRefusals = {
  no_invoice: 'This deal has no invoice to cancel.',
  draft: 'The invoice is still a draft; delete it in the accounting system instead.',
  unsupported: 'The connected accounting system cannot cancel invoices through its API.',
  cancelled: 'The invoice is already cancelled.',
} as const;

/** The connected vendor is the invoice's vendor and can cancel through its API. */
async function canCancel(deps: Pick<DealCardDeps, 'connections'>, portalId: string, record: InvoiceRecord): Promise<boolean> {
  const connection = await deps.connections.providerFor(portalId);
  return connection?.id === record.provider && Boolean(connection.provider.cancelInvoice);
}

/** The portal's HubSpot tokens are missing or refused: a code the cards and the settings page turn into "connect" or "re-authorise". */
export function hubspotConnectionError(error: unknown): unknown {
  if (error instanceof PortalNotConnected || error instanceof PortalDisconnected)
    return new AppError('hubspot_not_connected', 'APIUP is not connected to this HubSpot account. An admin connects it with the install link.');
  if (error instanceof PortalNeedsReauth)
    return new AppError('hubspot_needs_reauth', 'HubSpot no longer accepts the APIUP connection. An admin needs to authorise the app again.');
  return error;
}

export function localeOf(value: string | undefined): 'de' | 'en' {
  return value?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

function toView(record: InvoiceRecord, locale: 'de' | 'en', files: FileLinks) {
  const params = reasonParams(record.reasonDetail);
  return {
    status: record.status,
    kind: record.kind,
    provider: record.provider,
    /** The vendor's name from its manifest, so the card names no vendor itself. */
    providerLabel: record.provider ? providerLabel(record.provider) : null,
    number: record.documentNumber,
    date: record.documentDate,
    currency: record.currency,
    totals: record.totalGross ? { net: record.totalNet, tax: record.totalTax, gross: record.totalGross } : null,
    paidDate: record.paidDate,
    quotation: record.quotationId ? { number: record.quotationNumber } : null,
    cancellation: record.cancelledAt ? { kind: record.cancellationKind, number: record.cancellationNumber, cancelledAt: record.cancelledAt } : null,
    documentUrl: record.documentUrl,
    pdfUrl: record.documentId ? files.pdfLink(record.portalId, record.dealId) : null,
    /** Only once the e-invoice is finalized: the vendors make the XML from the final document. */
    eInvoiceXmlUrl:
      record.documentId && record.kind === 'invoice' && record.eInvoiceXml && record.finalizedAt ? files.xmlLink(record.portalId, record.dealId) : null,
    reason: record.reasonCode
      ? { code: record.reasonCode, retryable: record.retryable ?? false, message: formatMessage(record.reasonCode, locale, params) }
      : null,
    history: record.history.map((h) => ({ at: h.at, status: h.status, code: h.code })),
    /** The vendor's totals differ from our prediction, lines on the default tax rate: shown although the document exists. */
    warnings: record.documentId ? invoiceWarnings(record, locale) : [],
    updatedAt: record.updatedAt,
  };
}
