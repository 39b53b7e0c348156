/**
 * Emulated `/v2/credit_notes` (https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/credit-notes/create-a-credit-note,
 * …/credit-notes/retrieve-a-credit-note, …/endpoints/credit-notes/list-credit-notes). A credit note is
 * linked to an existing invoice; "the cumulative total of all credit notes for an invoice cannot exceed
 * the invoice amount"; "if the credit note amount equals the invoice amount, the invoice will be
 * automatically canceled"; quantities are sent positive and "the system will negate them".
 */
import type { Request, Response, Router } from 'express';
import { paginate } from './clients';
import { notFound, sendQontoError, sendValidationErrors } from './errors';
import { amountsOf, eur, itemAnswer, negate } from './item-answer';
import { cents } from './money';
import type { QontoStore, StoredInvoice } from './store';
import { createCreditNoteBody, type CreditNoteBody } from './validation';

/** The docs' credit-note object: key order of the retrieve sample, amounts negative like the negated quantities. */
function buildCreditNote(
  store: QontoStore,
  id: string,
  number: string,
  body: CreditNoteBody,
  invoice: StoredInvoice,
): { record: Record<string, unknown>; total: string } {
  const totals = amountsOf(body.items);
  const now = store.isoNow();
  const client = store.clients.get(invoice.invoice.client_id);
  const record = {
    id,
    invoice_id: invoice.invoice.id,
    attachment_id: null,
    issue_date: body.issue_date,
    invoice_issue_date: invoice.invoice.issue_date,
    number,
    terms_and_conditions: body.terms_and_conditions ?? null,
    header: null,
    footer: null,
    vat_amount: eur(negate(totals.vat)),
    vat_amount_cents: -cents(totals.vat),
    total_amount: eur(negate(totals.total)),
    total_amount_cents: -cents(totals.total),
    currency: body.currency,
    created_at: now,
    finalized_at: now,
    contact_email: body.contact_email ?? invoice.invoice.contact_email,
    invoice_url: `https://pay.qonto.com/invoices/${id}`,
    einvoicing_status: 'pending',
    items: body.items.map((item, index) => itemAnswer(item, totals.lines[index], { negative: true })),
    client: client
      ? { id: client.id, name: client.name, first_name: client.first_name, last_name: client.last_name, type: client.type, email: client.email }
      : null,
  };
  return { record, total: totals.total };
}

export function registerCreditNoteRoutes(router: Router, store: QontoStore, onInvoiceChanged: (stored: StoredInvoice) => void): void {
  const { creditNotes } = store;
  let sequence = 0;

  router.post('/v2/credit_notes', (req: Request, res: Response) => {
    const parsed = createCreditNoteBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    const invoice = store.invoices.get(parsed.data.invoice_id);
    if (!invoice) return sendQontoError(res, 422, 'not_found', 'invoice not found', { pointer: '/invoice_id' });
    // Credit notes are "linked to an existing invoice": a draft has no number yet and cannot be credited (our reading).
    if (invoice.invoice.status === 'draft' || invoice.invoice.status === 'canceled')
      return sendQontoError(res, 422, 'invalid_status', `a ${invoice.invoice.status} invoice cannot be credited`, { pointer: '/invoice_id' });
    const id = store.newId();
    const number = parsed.data.number ?? `CN-${parsed.data.issue_date.slice(0, 4)}-${String(++sequence).padStart(3, '0')}`;
    const { record, total } = buildCreditNote(store, id, number, parsed.data, invoice);
    const credited = [...creditNotes.values()].filter((c) => c.invoiceId === invoice.invoice.id).reduce((acc, c) => acc + cents(c.totalAbs), 0) + cents(total);
    if (credited > invoice.invoice.total_amount_cents)
      return sendQontoError(res, 422, 'invalid', 'the credit notes of an invoice cannot exceed its amount', { pointer: '/items' });
    creditNotes.set(id, { id, invoiceId: invoice.invoice.id, record, totalAbs: total });
    if (credited === invoice.invoice.total_amount_cents) {
      invoice.invoice = { ...invoice.invoice, status: 'canceled', updated_at: store.isoNow() };
      onInvoiceChanged(invoice);
    }
    res.status(201).json({ credit_note: record });
  });

  router.get('/v2/credit_notes', (req, res) => {
    const all = [...creditNotes.values()].map((c) => c.record);
    const page = paginate(req, res, all.length);
    if (!page) return;
    res.json({ credit_notes: all.slice(page.start, page.end), meta: page.meta });
  });

  router.get('/v2/credit_notes/:id', (req, res) => {
    const found = creditNotes.get(String(req.params.id));
    return found ? res.json({ credit_note: found.record }) : notFound(res, 'Credit note');
  });
}
