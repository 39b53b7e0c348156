/** Builds the client-invoice object the emulator stores and returns, with totals computed like Qonto (money.md §6.2). */
import { renderPdf } from '../pdf';
import { amountsOf, eur, itemAnswer } from './item-answer';
import { cents, minus, ratioToPercent } from './money';
import type { QontoStore, StoredClient, StoredInvoice } from './store';
import type { QontoInvoiceRecord } from './types';
import type { InvoiceBody } from './validation';

/** A fresh draft (or existing invoice re-computed) from a create/patch body. */
export function buildInvoice(store: QontoStore, id: string, request: InvoiceBody, previous?: QontoInvoiceRecord): QontoInvoiceRecord {
  const totals = amountsOf(request.items);
  const now = store.isoNow();
  const settings = (request.settings ?? {}) as Record<string, unknown>;
  const setting = (key: string) => (typeof settings[key] === 'string' ? (settings[key] as string) : null);
  // Key order of the QD retrieve-a-client-invoice sample; `invoice_number`, `client_id`, `amount_paid` and
  // `updated_at` follow the point where the stored copies of that sample end (QCTL reads them from live answers).
  return {
    id,
    organization_id: store.organization.id,
    attachment_id: previous?.attachment_id ?? null,
    number: previous?.number ?? null,
    purchase_order: request.purchase_order ?? null,
    status: previous?.status ?? 'draft',
    invoice_url: `https://pay.qonto.com/invoices/${id}`,
    contact_email: previous?.contact_email ?? store.clients.get(request.client_id)?.email ?? null,
    terms_and_conditions: request.terms_and_conditions ?? null,
    discount_conditions: setting('discount_conditions'),
    late_payment_penalties: setting('late_payment_penalties'),
    legal_fixed_compensation: setting('legal_fixed_compensation'),
    header: request.header ?? null,
    footer: request.footer ?? null,
    currency: request.currency,
    total_amount: eur(totals.total),
    total_amount_cents: cents(totals.total),
    vat_amount: eur(totals.vat),
    vat_amount_cents: cents(totals.vat),
    issue_date: request.issue_date,
    due_date: request.due_date,
    performance_date: request.performance_date ?? null,
    performance_start_date: request.performance_start_date ?? null,
    performance_end_date: request.performance_end_date ?? null,
    created_at: previous?.created_at ?? now,
    finalized_at: previous?.finalized_at ?? null,
    paid_at: previous?.paid_at ?? null,
    invoice_number: previous?.invoice_number ?? null,
    client_id: request.client_id,
    amount_paid: previous?.amount_paid ?? null,
    updated_at: now,
    items: request.items.map((item, index) => itemAnswer(item, totals.lines[index])),
  };
}

/** What a GET shows: the attachment id appears only once the (asynchronous) PDF is "rendered". */
export function visibleInvoice(stored: StoredInvoice): QontoInvoiceRecord {
  return stored.isAttachmentVisible ? stored.invoice : { ...stored.invoice, attachment_id: null };
}

export function clientDisplayName(client: StoredClient | undefined): string {
  return client?.name ?? 'Unknown client';
}

export async function renderInvoicePdf(store: QontoStore, stored: StoredInvoice): Promise<Buffer> {
  const inv = stored.invoice;
  const net = minus(inv.total_amount.value, inv.vat_amount.value);
  return renderPdf({
    vendor: 'Qonto',
    title: 'Invoice',
    number: inv.number ?? undefined,
    date: inv.issue_date ?? undefined,
    customer: clientDisplayName(store.clients.get(inv.client_id ?? '')),
    currency: inv.currency,
    lines: inv.items.map((i) => ({
      name: i.title,
      quantity: i.quantity,
      unitPrice: i.unit_price.value,
      taxRatePercent: ratioToPercent(i.vat_rate),
      total: i.subtotal.value,
    })),
    totals: { net, tax: inv.vat_amount.value, gross: inv.total_amount.value },
  });
}
