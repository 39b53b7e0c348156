/**
 * Cancelling a deal's invoice after the deal was lost or reopened, asked for from the card. Exactly once:
 * it runs in the deal's invoice job (one live job per deal, so never beside an invoice run), the request
 * is recorded before the vendor call, and the providers' `cancelInvoice` returns an existing cancellation
 * instead of making a second one. The credit note's (or cancellation invoice's) number goes to the deal.
 */
import type { Logger } from 'pino';
import { isProviderError } from '../accounting/errors';
import { JobError } from '../lib/errors';
import { writeCancellation } from './write-back';
import { isoDate, type InvoicingDeps } from './process-deal';
import type { InvoiceRecord } from './records';

/** Why the card offers no cancel for this record, or null when it does. */
export function cancelBlocker(record: InvoiceRecord | undefined, canCancel: boolean): 'no_invoice' | 'draft' | 'unsupported' | 'cancelled' | null {
  if (!record?.documentId || record.kind !== 'invoice') return 'no_invoice';
  if (record.status === 'cancelled') return 'cancelled';
  if (!record.finalizedAt) return 'draft';
  return canCancel ? null : 'unsupported';
}

export async function cancelDealInvoice(deps: InvoicingDeps, portalId: string, dealId: string, log: Logger): Promise<InvoiceRecord> {
  const record = await deps.records.get(portalId, dealId);
  const connection = await deps.connections.providerFor(portalId);
  const provider = connection?.id === record?.provider ? connection?.provider : undefined;
  const blocker = cancelBlocker(record, Boolean(provider?.cancelInvoice));
  if (blocker === 'cancelled') return record!;
  if (blocker || !record || !provider?.cancelInvoice)
    throw new JobError(`cancel_${blocker ?? 'unsupported'}`, `the invoice cannot be cancelled (${blocker ?? 'unsupported'})`, { retryable: false });

  if (!record.cancelRequestedAt) await deps.records.patch(portalId, dealId, { cancelRequestedAt: deps.now() });
  const language = (await deps.settings.get(portalId)).invoice.language;
  const number = record.documentNumber ?? record.documentId!;
  const reason = language === 'de' ? `Storno zu Rechnung ${number}: Deal nicht gewonnen` : `Cancels invoice ${number}: deal not won`;
  const cancellation = await provider.cancelInvoice(record.documentId!, { date: isoDate(deps.now()), reason }).catch((error: unknown) => {
    if (isProviderError(error) && !error.retryable) throw new JobError('vendor_failed', error.message, { retryable: false, cause: error });
    throw error;
  });
  log.info({ documentId: record.documentId, cancellationId: cancellation.id }, 'invoice cancelled');
  const cancelled = await deps.records.set(portalId, dealId, 'cancelled', {
    cancellationKind: cancellation.kind,
    cancellationId: cancellation.id ?? null,
    cancellationNumber: cancellation.number ?? null,
    cancelledAt: deps.now(),
    reasonDetail: record.documentNumber,
  });
  await writeCancellation(deps.hubspot, cancelled);
  return cancelled;
}
