/**
 * Emulated `/v2/quotes` (https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/quotes/create-a-quote,
 * …/quotes/patch-a-quote, …/endpoints/quotes/list-quotes). A quote starts `pending_approval` (statuses
 * pending_approval, approved, canceled), is numbered at once, and has its PDF as an attachment. The docs'
 * PATCH answer is the bare quote object; create and retrieve answer the same way here (UNCONFIRMED).
 * An invoice created with `quote_id` is linked to the quote; the web app then no longer lets the quote be
 * edited ("A quote remains editable until it is transformed into an invoice", help.qonto.com 7958897).
 */
import type { Request, Response, Router } from 'express';
import { renderPdf } from '../pdf';
import { paginate } from './clients';
import { notFound, sendQontoError, sendValidationErrors } from './errors';
import { amountsOf, eur, itemAnswer } from './item-answer';
import { cents, minus, ratioToPercent } from './money';
import type { QontoStore, StoredQuote } from './store';
import { createQuoteBody, type QuoteBody } from './validation';

function buildQuote(store: QontoStore, id: string, number: string, attachmentId: string, body: QuoteBody): StoredQuote['record'] {
  const totals = amountsOf(body.items);
  const client = store.clients.get(body.client_id);
  return {
    id,
    organization_id: store.organization.id,
    attachment_id: attachmentId,
    number,
    status: 'pending_approval',
    quote_url: `https://pay.qonto.com/quotes/${id}`,
    contact_email: client?.email ?? null,
    terms_and_conditions: body.terms_and_conditions ?? null,
    header: body.header ?? null,
    footer: body.footer ?? null,
    currency: body.currency,
    discount: null,
    total_amount: eur(totals.total),
    total_amount_cents: cents(totals.total),
    vat_amount: eur(totals.vat),
    vat_amount_cents: cents(totals.vat),
    issue_date: body.issue_date,
    expiry_date: body.expiry_date,
    created_at: store.isoNow(),
    approved_at: null,
    canceled_at: null,
    items: body.items.map((item, index) => itemAnswer(item, totals.lines[index], { discountCents: true })),
    client: client
      ? { id: client.id, name: client.name, first_name: client.first_name, last_name: client.last_name, type: client.type, email: client.email }
      : null,
  };
}

export function renderQuotePdf(_store: QontoStore, quote: StoredQuote): Promise<Buffer> {
  const q = quote.record as any;
  return renderPdf({
    vendor: 'Qonto',
    title: 'Quote',
    number: q.number,
    date: q.issue_date,
    customer: q.client?.name ?? '',
    currency: q.currency,
    lines: q.items.map((i: any) => ({
      name: i.title,
      quantity: i.quantity,
      unitPrice: i.unit_price.value,
      taxRatePercent: ratioToPercent(i.vat_rate),
      total: i.subtotal.value,
    })),
    totals: { net: minus(q.total_amount.value, q.vat_amount.value), tax: q.vat_amount.value, gross: q.total_amount.value },
  });
}

export function registerQuoteRoutes(router: Router, store: QontoStore): void {
  let sequence = 0;
  const find = (req: Request, res: Response) => store.quotes.get(String(req.params.id)) ?? void notFound(res, 'Quote');

  router.post('/v2/quotes', (req, res) => {
    const parsed = createQuoteBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    if (!store.clients.has(parsed.data.client_id)) return sendQontoError(res, 422, 'not_found', 'client not found', { pointer: '/client_id' });
    const id = store.newId();
    const attachmentId = store.newId();
    store.attachments.set(attachmentId, { id: attachmentId, invoiceId: '', quoteId: id, createdAt: store.isoNow(), tokens: new Map() });
    const number = parsed.data.number ?? `Q-${parsed.data.issue_date.slice(0, 4)}-${String(++sequence).padStart(3, '0')}`;
    const stored: StoredQuote = { record: buildQuote(store, id, number, attachmentId, parsed.data), request: parsed.data, invoiceIds: [] };
    store.quotes.set(id, stored);
    res.status(201).json(stored.record);
  });

  router.get('/v2/quotes', (req, res) => {
    const all = [...store.quotes.values()].map((q) => q.record);
    const page = paginate(req, res, all.length);
    if (!page) return;
    res.json({ quotes: all.slice(page.start, page.end), meta: page.meta });
  });

  router.get('/v2/quotes/:id', (req, res) => {
    const stored = find(req, res);
    if (stored) res.json(stored.record);
  });
}
