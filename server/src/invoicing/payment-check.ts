/**
 * Watches an open invoice until the vendor reports it paid, on a schedule that backs off: the wait
 * grows with the invoice's age, from `initialMs` up to a day. Vendor payment webhooks (where they
 * exist) only make it run sooner.
 */
import type { Logger } from 'pino';
import { JobWaitError } from '../lib/errors';
import type { InvoicingDeps } from './process-deal';
import { writeDealNotes } from './deal-timeline';
import { writeBackDocument } from './write-back';

const dayMs = 24 * 60 * 60_000;

export async function checkPayment(deps: InvoicingDeps, portalId: string, dealId: string, initialMs: number, log: Logger): Promise<void> {
  const record = await deps.records.get(portalId, dealId);
  // Paid already (a retry after the deal note failed): only the note is left to write.
  if (record?.paidDate) return writeDealNotes(deps, record);
  // A cancelled invoice is settled by its cancellation, not paid: the watch ends.
  if (!record?.documentId || record.paidDate || record.kind !== 'invoice' || record.status === 'cancelled') return;
  const connection = await deps.connections.providerFor(portalId);
  if (!connection || connection.id !== record.provider) return;
  const payment = await connection.provider.getPayment(record.documentId);
  if (!payment.isPaid) {
    const ageMs = deps.now() - record.createdAt;
    throw new JobWaitError('awaiting_payment', 'invoice not paid yet', Math.min(dayMs, Math.max(initialMs, Math.round(ageMs / 2))));
  }
  const paidDate = payment.paidDate ?? new Date(deps.now()).toISOString().slice(0, 10);
  const paid = await deps.records.set(portalId, dealId, 'paid', { paidDate });
  log.info({ documentId: record.documentId, paidDate }, 'invoice paid');
  if ((await deps.subscriptions.features(portalId)).writeBack) await writeBackDocument(deps.hubspot, paid);
  await writeDealNotes(deps, paid);
}
