/** Emulated `/v2/client_invoices` and `/v2/attachments` (accounting.md §4.4, §4.5). */
import { randomBytes } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { paginate } from './clients';
import { notFound, sendQontoError, sendValidationErrors } from './errors';
import { buildInvoice, renderInvoicePdf, visibleInvoice } from './invoice-model';
import { downloadLinkValidityMs, type QontoStore, type StoredInvoice } from './store';
import { renderQuotePdf } from './quotes';
import { createInvoiceBody, markPaidBody, sendBody } from './validation';

export interface InvoiceEvents {
  /** A client invoice was created or changed (drives the `v1/client-invoices` webhook). */
  changed(stored: StoredInvoice): void;
}

export function registerInvoiceRoutes(router: Router, store: QontoStore, events: InvoiceEvents): void {
  const find = (req: Request, res: Response) => store.invoices.get(String(req.params.id)) ?? void notFound(res, 'Client invoice');
  const answer = (res: Response, stored: StoredInvoice) => res.json({ client_invoice: visibleInvoice(stored) });

  router.get('/v2/client_invoices', (req, res) => {
    const statuses = String(req.query['filter[status]'] ?? '')
      .split(',')
      .filter(Boolean);
    const from = req.query['filter[updated_at_from]'];
    const invoices = store
      .listInvoices()
      .filter(
        (s) =>
          (statuses.length === 0 || statuses.includes(s.invoice.status)) && (typeof from !== 'string' || s.invoice.updated_at >= new Date(from).toISOString()),
      );
    const page = paginate(req, res, invoices.length);
    if (!page) return;
    res.json({ client_invoices: invoices.slice(page.start, page.end).map(visibleInvoice), meta: page.meta });
  });

  router.post('/v2/client_invoices', (req, res) => {
    const key = req.get('x-qonto-idempotency-key');
    const replayed = store.replay(key, 'client_invoices');
    if (replayed) return answer(res, store.invoices.get(replayed)!);
    const parsed = createInvoiceBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    const client = store.clients.get(parsed.data.client_id);
    if (!client) return sendQontoError(res, 422, 'not_found', 'client not found', { pointer: '/client_id' });
    // QD create-a-client-invoice: the invoice inherits the client's currency; a client without one fails here.
    if (!client.currency) return sendQontoError(res, 422, 'blank', 'currency is missing on the client', { pointer: '/data/attributes/currency' });
    if (!client.billing_address?.country_code)
      return sendQontoError(res, 422, 'blank', 'client address is required for invoicing', { pointer: '/client/billing_address' });
    // `quote_id` links the invoice to a quote of the organisation (QD create-a-client-invoice); a canceled one cannot be invoiced (our reading).
    const quoteId = (parsed.data as { quote_id?: unknown }).quote_id;
    const quote = typeof quoteId === 'string' ? store.quotes.get(quoteId) : undefined;
    if (quoteId !== undefined && (!quote || quote.record.status === 'canceled'))
      return sendQontoError(res, 422, 'not_found', 'quote not found', { pointer: '/quote_id' });
    const stored: StoredInvoice = { invoice: buildInvoice(store, store.newId(), parsed.data), request: parsed.data, isAttachmentVisible: false };
    store.invoices.set(stored.invoice.id, stored);
    quote?.invoiceIds.push(stored.invoice.id);
    store.remember(key, 'client_invoices', stored.invoice.id);
    if (parsed.data.status === 'unpaid') finalize(store, stored);
    events.changed(stored);
    answer(res, stored);
  });

  router.get('/v2/client_invoices/:id', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    answer(res, stored);
    // The PDF is ready by the next read (Qonto renders it asynchronously after finalize).
    if (stored.invoice.attachment_id) stored.isAttachmentVisible = true;
  });

  router.patch('/v2/client_invoices/:id', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    if (stored.invoice.status !== 'draft') return sendQontoError(res, 422, 'invalid_status', 'only a draft client invoice can be updated');
    const parsed = createInvoiceBody.safeParse({ ...stored.request, ...(req.body ?? {}) });
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    stored.request = parsed.data;
    stored.invoice = buildInvoice(store, stored.invoice.id, parsed.data, stored.invoice);
    events.changed(stored);
    answer(res, stored);
  });

  router.delete('/v2/client_invoices/:id', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    if (stored.invoice.status !== 'draft') return sendQontoError(res, 422, 'invalid_status', 'only a draft client invoice can be deleted');
    store.invoices.delete(stored.invoice.id);
    res.status(204).end();
  });

  router.post('/v2/client_invoices/:id/finalize', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    if (stored.invoice.status !== 'draft') return sendQontoError(res, 422, 'invalid_status', 'client invoice is already finalized');
    finalize(store, stored);
    events.changed(stored);
    answer(res, stored);
  });

  router.post('/v2/client_invoices/:id/send', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    // accounting.md §4.4: an empty body is a 422 `invalid_body: EOF`.
    if (req.body === undefined) return sendQontoError(res, 422, 'invalid_body', 'EOF');
    const parsed = sendBody.safeParse(req.body);
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    if (stored.invoice.status === 'draft') return sendQontoError(res, 422, 'invalid_status', 'a draft client invoice cannot be sent');
    res.status(204).end();
  });

  router.post('/v2/client_invoices/:id/mark_as_paid', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    const parsed = markPaidBody.safeParse(req.body ?? {});
    if (!parsed.success) return sendValidationErrors(res, parsed.error);
    const problem = markPaid(store, stored, parsed.data.paid_at);
    if (problem) return sendQontoError(res, 422, problem.code, problem.detail, problem.pointer ? { pointer: problem.pointer } : undefined);
    events.changed(stored);
    answer(res, stored);
  });

  router.post('/v2/client_invoices/:id/mark_as_canceled', (req, res) => {
    const stored = find(req, res);
    if (!stored) return;
    if (stored.invoice.status !== 'unpaid') return sendQontoError(res, 422, 'invalid_status', 'only an unpaid client invoice can be canceled');
    stored.invoice = { ...stored.invoice, status: 'canceled', updated_at: store.isoNow() };
    events.changed(stored);
    answer(res, stored);
  });

  router.get('/v2/attachments/:id', (req, res) => {
    const attachment = store.attachments.get(req.params.id);
    if (!attachment) return notFound(res, 'Attachment');
    const token = randomBytes(16).toString('hex');
    attachment.tokens.set(token, store.now() + downloadLinkValidityMs);
    const number = attachment.quoteId ? store.quotes.get(attachment.quoteId)?.record.number : store.invoices.get(attachment.invoiceId)?.invoice.number;
    res.json({
      attachment: {
        id: attachment.id,
        created_at: attachment.createdAt,
        file_name: `${number ?? attachment.id}.pdf`,
        file_size: String(attachment.pdf?.length ?? 0),
        file_content_type: 'application/pdf',
        // A pre-signed download link valid 30 minutes (QD retrieve-an-attachment), served by this emulator.
        url: `${req.protocol}://${req.get('host')}/_sandbox/files/${attachment.id}?token=${token}`,
      },
    });
  });

  router.get('/_sandbox/files/:id', async (req, res) => {
    const attachment = store.attachments.get(req.params.id);
    const expiresAt = attachment?.tokens.get(String(req.query.token ?? ''));
    if (!attachment || !expiresAt || expiresAt < store.now()) return res.status(403).type('text/plain').send('Request has expired');
    attachment.pdf ??= attachment.quoteId
      ? await renderQuotePdf(store, store.quotes.get(attachment.quoteId)!)
      : await renderInvoicePdf(store, store.invoices.get(attachment.invoiceId)!);
    res.type('application/pdf').send(attachment.pdf);
  });
}

/** draft → unpaid, number assigned, PDF attachment created (shown from the next read on). */
export function finalize(store: QontoStore, stored: StoredInvoice): void {
  const attachmentId = store.newId();
  store.attachments.set(attachmentId, { id: attachmentId, invoiceId: stored.invoice.id, createdAt: store.isoNow(), tokens: new Map() });
  const number = store.nextInvoiceNumber(stored.invoice.issue_date ?? store.today());
  stored.invoice = {
    ...stored.invoice,
    status: 'unpaid',
    number,
    invoice_number: number,
    finalized_at: store.isoNow(),
    updated_at: store.isoNow(),
    attachment_id: attachmentId,
  };
  stored.isAttachmentVisible = false;
}

/** QD mark-a-client-invoice-as-paid: unpaid (or paid, to move the date); `paid_at` not in the future. */
export function markPaid(store: QontoStore, stored: StoredInvoice, paidDate?: string): { code: string; detail: string; pointer?: string } | undefined {
  if (stored.invoice.status !== 'unpaid' && stored.invoice.status !== 'paid')
    return { code: 'invalid_status', detail: 'only an unpaid client invoice can be marked as paid' };
  const date = paidDate ?? store.today();
  if (date > store.today()) return { code: 'invalid', detail: 'paid_at cannot be in the future', pointer: '/paid_at' };
  stored.invoice = {
    ...stored.invoice,
    status: 'paid',
    paid_at: `${date}T00:00:00.000Z`,
    amount_paid: stored.invoice.total_amount,
    updated_at: store.isoNow(),
  };
  return undefined;
}
