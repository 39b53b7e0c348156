import { and, desc, eq } from 'drizzle-orm';
import type { DocumentRef } from '../accounting/provider';
import type { DbOrTx } from '../db/client';
import { dealInvoices, type InvoiceHistoryEntry, type InvoiceRecordStatus } from '../db/schema';

export type InvoiceRecord = typeof dealInvoices.$inferSelect;
type Patch = Partial<Omit<InvoiceRecord, 'portalId' | 'dealId' | 'history' | 'createdAt'>>;

const historyLimit = 20;

/** Our reference for a deal's document; the vendor stores it (exactly-once lookup). */
export function invoiceReference(portalId: string, dealId: string): string {
  return `APIUP-${portalId}-${dealId}`;
}

/** The fields of one document; cleared when the deal moves on to its next document. */
const clearedDocument = {
  documentId: null,
  documentNumber: null,
  documentDate: null,
  documentUrl: null,
  totalNet: null,
  totalTax: null,
  totalGross: null,
  finalizedAt: null,
  eInvoiceXml: null,
  emailSentAt: null,
  emailAttemptedAt: null,
  paidDate: null,
  writtenBackAt: null,
  cancelRequestedAt: null,
  cancellationKind: null,
  cancellationId: null,
  cancellationNumber: null,
  cancelledAt: null,
} as const;

/** Per-deal invoice records; every function takes `portalId` first. */
export class InvoiceRecords {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
  ) {}

  get(portalId: string, dealId: string): InvoiceRecord | undefined {
    return this.db
      .select()
      .from(dealInvoices)
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)))
      .get();
  }

  /** The deals whose document is `documentId` (one, unless a user re-used an invoice by hand). */
  byDocument(portalId: string, provider: string, documentId: string): InvoiceRecord[] {
    return this.db
      .select()
      .from(dealInvoices)
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.provider, provider), eq(dealInvoices.documentId, documentId)))
      .all();
  }

  list(portalId: string, limit = 50): InvoiceRecord[] {
    return this.db.select().from(dealInvoices).where(eq(dealInvoices.portalId, portalId)).orderBy(desc(dealInvoices.updatedAt)).limit(limit).all();
  }

  /** Sets the status (and fields), appending to the short history when the status or reason changes. */
  set(portalId: string, dealId: string, status: InvoiceRecordStatus, patch: Patch = {}): InvoiceRecord {
    const now = this.now();
    const current = this.get(portalId, dealId);
    const entry: InvoiceHistoryEntry = { at: now, status, code: patch.reasonCode ?? undefined, detail: patch.reasonDetail ?? undefined };
    const changed = !current || current.status !== status || current.reasonCode !== (patch.reasonCode ?? null);
    const history = changed ? [...(current?.history ?? []), entry].slice(-historyLimit) : current.history;
    const clearReason = status === 'created' || status === 'sent' || status === 'paid' || status === 'creating' || status === 'pending';
    const values = {
      ...(clearReason ? { reasonCode: null, reasonDetail: null, retryable: null } : {}),
      ...patch,
      status,
      history,
      updatedAt: now,
    };
    if (!current) {
      this.db
        .insert(dealInvoices)
        .values({ portalId, dealId, reference: invoiceReference(portalId, dealId), createdAt: now, ...values })
        .run();
    } else {
      this.db
        .update(dealInvoices)
        .set(values)
        .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)))
        .run();
    }
    return this.get(portalId, dealId)!;
  }

  /** Stores the vendor's document (its totals are the truth). */
  documentCreated(portalId: string, dealId: string, doc: DocumentRef, extra: Patch = {}): InvoiceRecord {
    return this.set(portalId, dealId, 'created', {
      documentId: doc.id,
      kind: doc.kind,
      documentNumber: doc.number ?? null,
      documentDate: doc.date ?? null,
      documentUrl: doc.webUrl ?? null,
      currency: doc.currency,
      totalNet: doc.totals.net,
      totalTax: doc.totals.tax,
      totalGross: doc.totals.gross,
      finalizedAt: doc.status === 'draft' ? null : this.now(),
      ...extra,
    });
  }

  /**
   * The deal's quotation is followed by its invoice: the quotation's id and number are kept, the document
   * fields are cleared and the record is claimed (`creating`) for the invoice, before any vendor call.
   */
  startInvoiceFromQuotation(portalId: string, dealId: string): InvoiceRecord {
    const current = this.get(portalId, dealId)!;
    return this.set(portalId, dealId, 'creating', {
      ...clearedDocument,
      kind: 'invoice',
      quotationId: current.documentId,
      quotationNumber: current.documentNumber,
    });
  }

  /**
   * A deal whose invoice was cancelled is won again: the next invoice gets a reference of its own
   * (`APIUP-<portal>-<deal>-2`, …), so the lookup after an interrupted attempt never finds the cancelled one.
   */
  startAfterCancellation(portalId: string, dealId: string): InvoiceRecord {
    const current = this.get(portalId, dealId)!;
    const reference = `${invoiceReference(portalId, dealId)}-${current.cancelledCount + 1}`;
    this.patch(portalId, dealId, { ...clearedDocument, reference, cancelledCount: current.cancelledCount + 1, quotationId: null, quotationNumber: null });
    return this.get(portalId, dealId)!;
  }

  patch(portalId: string, dealId: string, patch: Patch): void {
    this.db
      .update(dealInvoices)
      .set({ ...patch, updatedAt: this.now() })
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)))
      .run();
  }
}
