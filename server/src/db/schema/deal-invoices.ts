import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const invoiceRecordStatuses = ['pending', 'creating', 'created', 'sent', 'paid', 'skipped', 'failed', 'needs_attention', 'cancelled'] as const;
export type InvoiceRecordStatus = (typeof invoiceRecordStatuses)[number];

export interface InvoiceHistoryEntry {
  at: number;
  status: InvoiceRecordStatus;
  /** Message key (de/en in invoicing/messages.ts). */
  code?: string;
  detail?: string;
}

export interface DefaultTaxRateLine {
  line: number;
  name: string;
  ratePercent: string;
}

/**
 * The per-deal invoice record: claimed (`creating`, with our reference) before the vendor call, so
 * a retry or a restarted process looks the document up instead of creating a second one.
 */
export const dealInvoices = sqliteTable(
  'deal_invoices',
  {
    portalId: text('portal_id').notNull(),
    dealId: text('deal_id').notNull(),
    status: text('status', { enum: invoiceRecordStatuses }).notNull(),
    /** Message key of the reason (skipped, failed, needs_attention). */
    reasonCode: text('reason_code'),
    reasonDetail: text('reason_detail'),
    retryable: integer('retryable', { mode: 'boolean' }),
    provider: text('provider'),
    kind: text('kind', { enum: ['invoice', 'quotation'] }),
    /** Our reference, stored with the vendor document. */
    reference: text('reference').notNull(),
    customerId: text('customer_id'),
    documentId: text('document_id'),
    documentNumber: text('document_number'),
    documentDate: text('document_date'),
    documentUrl: text('document_url'),
    currency: text('currency'),
    totalNet: text('total_net'),
    totalTax: text('total_tax'),
    totalGross: text('total_gross'),
    /** Our prediction of the vendor's totals for the draft that was sent (the card warns when the vendor's differ). */
    predictedNet: text('predicted_net'),
    predictedTax: text('predicted_tax'),
    predictedGross: text('predicted_gross'),
    /** The lines (1-based position, name) that carry the portal's default tax rate because HubSpot gave none. */
    defaultTaxRateLines: text('default_tax_rate_lines', { mode: 'json' }).$type<DefaultTaxRateLine[]>(),
    finalizedAt: integer('finalized_at'),
    emailSentAt: integer('email_sent_at'),
    /** Set before the e-mail call: e-mail is at most once, never twice. */
    emailAttemptedAt: integer('email_attempted_at'),
    paidDate: text('paid_date'),
    writtenBackAt: integer('written_back_at'),
    /**
     * The invoice was made as an e-invoice whose XML the vendor serves as a file of its own (lexoffice XRechnung,
     * sevDesk getXml); a ZUGFeRD/Factur-X XML travels inside the PDF and is not set here.
     */
    eInvoiceXml: integer('e_invoice_xml', { mode: 'boolean' }),
    /** The quotation this deal's invoice was made from (the vendor links them), once the invoice exists. */
    quotationId: text('quotation_id'),
    quotationNumber: text('quotation_number'),
    /** Set before the vendor call that cancels the invoice, so a retry looks the cancellation up first. */
    cancelRequestedAt: integer('cancel_requested_at'),
    /** What cancelled the invoice at the vendor: credit note, cancellation invoice or a status change. */
    cancellationKind: text('cancellation_kind', { enum: ['credit_note', 'cancellation_invoice', 'status'] }),
    cancellationId: text('cancellation_id'),
    cancellationNumber: text('cancellation_number'),
    cancelledAt: integer('cancelled_at'),
    /** Invoices this deal had that were cancelled; a new one gets its own reference (`…-2`, `…-3`). */
    cancelledCount: integer('cancelled_count').notNull().default(0),
    history: text('history', { mode: 'json' }).$type<InvoiceHistoryEntry[]>().notNull().default([]),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.dealId] })],
);
