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

/** The columns a status change writes: the status, the patch, and the history entry when the status or reason changes. */
function statusValues(current: InvoiceRecord | undefined, status: InvoiceRecordStatus, patch: Patch, now: number) {
  const entry: InvoiceHistoryEntry = { at: now, status, code: patch.reasonCode ?? undefined, detail: patch.reasonDetail ?? undefined };
  const changed = !current || current.status !== status || current.reasonCode !== (patch.reasonCode ?? null);
  const history = changed ? [...(current?.history ?? []), entry].slice(-historyLimit) : current.history;
  const clearReason = status === 'created' || status === 'sent' || status === 'paid' || status === 'creating' || status === 'pending';
  return {
    ...(clearReason ? { reasonCode: null, reasonDetail: null, retryable: null } : {}),
    ...patch,
    status,
    history,
    updatedAt: now,
  };
}

/**
 * The deal's quotation is followed by its invoice: the quotation's id and number are kept and the
 * document fields cleared, in the claim (`InvoiceRecords.claim`) of the invoice, before any vendor call.
 */
export function invoiceAfterQuotation(quotation: InvoiceRecord): Patch {
  return { ...clearedDocument, kind: 'invoice', quotationId: quotation.documentId, quotationNumber: quotation.documentNumber };
}

/** Per-deal invoice records; every function takes `portalId` first. */
export class InvoiceRecords {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
  ) {}

  async get(portalId: string, dealId: string): Promise<InvoiceRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(dealInvoices)
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)))
      .limit(1);
    return row;
  }

  /** The deals whose document is `documentId` (one, unless a user re-used an invoice by hand). */
  async byDocument(portalId: string, provider: string, documentId: string): Promise<InvoiceRecord[]> {
    return this.db
      .select()
      .from(dealInvoices)
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.provider, provider), eq(dealInvoices.documentId, documentId)))
      .orderBy(dealInvoices.dealId);
  }

  async list(portalId: string, limit = 50): Promise<InvoiceRecord[]> {
    return this.db
      .select()
      .from(dealInvoices)
      .where(eq(dealInvoices.portalId, portalId))
      .orderBy(desc(dealInvoices.updatedAt), dealInvoices.dealId)
      .limit(limit);
  }

  /** Sets the status (and fields), appending to the short history when the status or reason changes. */
  async set(portalId: string, dealId: string, status: InvoiceRecordStatus, patch: Patch = {}): Promise<InvoiceRecord> {
    const now = this.now();
    const current = await this.get(portalId, dealId);
    const values = statusValues(current, status, patch, now);
    if (!current) {
      const [inserted] = await this.db
        .insert(dealInvoices)
        .values({ portalId, dealId, reference: invoiceReference(portalId, dealId), createdAt: now, ...values })
        .returning();
      return inserted;
    }
    const [updated] = await this.db
      .update(dealInvoices)
      .set(values)
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)))
      .returning();
    return updated;
  }

  /**
   * Claims the deal's document for one run (`creating`), committed before any vendor call. The
   * database decides between concurrent runs, on any number of processes: a deal without a record
   * is claimed by inserting it (the deal_invoices primary key lets one insert through), a record by
   * an update that only matches while it is still as the run read it (`expected`: same status and
   * `updatedAt`). Undefined: another run claimed it first.
   */
  async claim(portalId: string, dealId: string, expected: InvoiceRecord | undefined, patch: Patch): Promise<InvoiceRecord | undefined> {
    const now = this.now();
    const values = statusValues(expected, 'creating', patch, now);
    if (!expected) {
      const [inserted] = await this.db
        .insert(dealInvoices)
        .values({ portalId, dealId, reference: invoiceReference(portalId, dealId), createdAt: now, ...values })
        .onConflictDoNothing({ target: [dealInvoices.portalId, dealInvoices.dealId] })
        .returning();
      return inserted;
    }
    // `updatedAt` always moves on, so a second run holding the same read never matches (a resumed
    // `creating` keeps its status, and two claims may fall in one millisecond).
    const [updated] = await this.db
      .update(dealInvoices)
      .set({ ...values, updatedAt: Math.max(now, expected.updatedAt + 1) })
      .where(
        and(
          eq(dealInvoices.portalId, portalId),
          eq(dealInvoices.dealId, dealId),
          eq(dealInvoices.status, expected.status),
          eq(dealInvoices.updatedAt, expected.updatedAt),
        ),
      )
      .returning();
    return updated;
  }

  /** Stores the vendor's document (its totals are the truth). */
  documentCreated(portalId: string, dealId: string, doc: DocumentRef, extra: Patch = {}): Promise<InvoiceRecord> {
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
   * A deal whose invoice was cancelled is won again: the next invoice gets a reference of its own
   * (`APIUP-<portal>-<deal>-2`, …), so the lookup after an interrupted attempt never finds the cancelled one.
   */
  async startAfterCancellation(portalId: string, dealId: string): Promise<InvoiceRecord> {
    const current = (await this.get(portalId, dealId))!;
    const reference = `${invoiceReference(portalId, dealId)}-${current.cancelledCount + 1}`;
    await this.patch(portalId, dealId, { ...clearedDocument, reference, cancelledCount: current.cancelledCount + 1, quotationId: null, quotationNumber: null });
    return (await this.get(portalId, dealId))!;
  }

  async patch(portalId: string, dealId: string, patch: Patch): Promise<void> {
    await this.db
      .update(dealInvoices)
      .set({ ...patch, updatedAt: this.now() })
      .where(and(eq(dealInvoices.portalId, portalId), eq(dealInvoices.dealId, dealId)));
  }
}
