/**
 * bexio `/2.0/kb_invoice` and `/2.0/kb_offer` routes: create, list, search, show, issue, pdf, send,
 * and invoice payments (accounting.md §3.4; spec v2CreateInvoice … v2CreateInvoicePayment; BXD §Quotes).
 */
import { Router, type Request, type Response } from 'express';
import { renderPdf } from '../pdf';
import { matches, parseBody, sendError, sendPage } from './http';
import { sixPlaces } from './money';
import { documentTotals, renderDocument, renderPayment } from './render';
import { draftStatus, type BexioStore, type DocumentResource, type StoredDocument } from './store';
import { invoiceWriteSchema, paymentWriteSchema, quoteWriteSchema, searchableFields, searchSchema, sendSchema } from './validation';

const orderable = ['id', 'total', 'total_net', 'total_gross', 'updated_at'] as const;

/**
 * "Recommendation: use a maximum of 150 positions when creating sales documents. Other positions can be
 * added using the item creation endpoint." (https://docs.bexio.com/#tag/Invoices/operation/v2CreateInvoice).
 * Above it bexio "sometimes throws 500 errors", leaving an incomplete document and no id in the answer
 * (mathewmeconry/bexio PR #90, 2026-04-27); the emulator does so every time.
 */
const positionsPerCreate = 150;

export function documentRoutes(store: BexioStore, resource: DocumentResource): Router {
  const router = Router();
  const base = `/2.0/${resource}`;
  const all = () => [...store.documents[resource].values()].map((d) => renderDocument(store, d, false));

  router.get(base, (req, res) => sendPage(req, res, all(), orderable));

  router.post(base, (req, res) => {
    const body = parseBody(resource === 'kb_invoice' ? invoiceWriteSchema : quoteWriteSchema, req, res);
    if (!body) return;
    const problem = checkReferences(store, body);
    if (problem) return sendError(res, 422, problem);
    const { positions, ...fields } = body;
    if (positions.length > positionsPerCreate) {
      // What integrators report above the documented 150: a 500 after part of the document was written.
      store.createDocument(resource, fields, positions.slice(0, positionsPerCreate));
      return sendError(res, 500, 'Internal Server Error');
    }
    res.status(201).json(renderDocument(store, store.createDocument(resource, fields, positions), true, true));
  });

  router.post(`${base}/search`, (req, res) => {
    const criteria = parseBody(searchSchema, req, res);
    if (!criteria) return;
    const bad = criteria.find((c) => !(searchableFields[resource] as readonly string[]).includes(c.field));
    if (bad) return sendError(res, 422, `field ${bad.field} is not searchable`);
    sendPage(
      req,
      res,
      all().filter((row) => matches(row, criteria)),
      orderable,
    );
  });

  router.get(`${base}/:id`, (req, res) => {
    const doc = find(store, resource, req, res);
    if (doc) res.json(renderDocument(store, doc));
  });

  router.post(`${base}/:id/issue`, (req, res) => {
    const doc = find(store, resource, req, res);
    if (!doc) return;
    if (doc.statusId !== draftStatus[resource]) return sendError(res, 422, 'The document must be in the draft status');
    store.issue(doc);
    res.json({ success: true });
  });

  router.get(`${base}/:id/pdf`, async (req, res) => {
    const doc = find(store, resource, req, res);
    if (!doc) return;
    const content = await renderDocumentPdf(store, doc);
    res.json({ name: `${doc.documentNr}.pdf`, size: content.length, mime: 'application/pdf', content: content.toString('base64') });
  });

  router.post(`${base}/:id/send`, (req, res) => {
    const doc = find(store, resource, req, res);
    if (!doc) return;
    const body = parseBody(sendSchema, req, res);
    if (!body) return;
    if (body.mark_as_open && doc.statusId === draftStatus[resource]) store.issue(doc);
    doc.sentEmails.push({ recipient: body.recipient_email, subject: body.subject });
    res.json({ success: true });
  });

  if (resource === 'kb_offer') {
    /**
     * "Create invoice from quote" with no body takes every position (a Go bexio client's
     * CreateInvoiceFromQuote: `POST /2.0/kb_offer/{id}/invoice`, "A nil body includes all positions").
     * The invoice is a draft with the quote's contact, texts, currency and `api_reference`; the quote
     * becomes 3 accepted (quote statuses 1–4, accounting.md §3.4). Answer: the invoice, as on create.
     */
    router.post(`${base}/:id/invoice`, (req, res) => {
      const offer = find(store, resource, req, res);
      if (!offer) return;
      if (offer.statusId === draftStatus.kb_offer) return sendError(res, 422, 'The quote must be issued before an invoice can be created from it');
      const { is_valid_until: _validUntil, ...fields } = offer.fields;
      const positions = offer.positions.map(({ id: _id, ...position }) => position);
      const invoice = store.createDocument('kb_invoice', { ...fields, is_valid_from: store.today() }, positions);
      offer.statusId = 3;
      offer.updatedAt = store.timestamp();
      res.status(201).json(renderDocument(store, invoice, true, true));
    });
  }

  if (resource === 'kb_invoice') {
    /**
     * "This action cancels an already issued invoice" (spec v2CancelInvoice, 200 SuccessResponse): the
     * invoice becomes 19 cancelled. A draft, or an invoice already cancelled, is refused with 422 (our reading).
     */
    router.post(`${base}/:id/cancel`, (req, res) => {
      const doc = find(store, resource, req, res);
      if (!doc) return;
      if (doc.statusId === draftStatus.kb_invoice) return sendError(res, 422, 'Only issued invoices can be cancelled');
      if (doc.statusId === 19) return sendError(res, 422, 'The invoice is already cancelled');
      doc.statusId = 19;
      doc.updatedAt = store.timestamp();
      res.json({ success: true });
    });
    router.get(`${base}/:id/payment`, (req, res) => {
      const doc = find(store, resource, req, res);
      if (doc)
        sendPage(
          req,
          res,
          doc.payments.map((p) => renderPayment(doc, p)),
          ['id', 'date'],
        );
    });
    router.post(`${base}/:id/payment`, (req, res) => {
      const doc = find(store, resource, req, res);
      if (!doc) return;
      const body = parseBody(paymentWriteSchema, req, res);
      if (!body) return;
      if (doc.statusId === draftStatus.kb_invoice) return sendError(res, 422, 'Payments can only be added to issued invoices');
      const payment = store.addPayment(doc, { ...body, date: body.date ?? store.today() }, documentTotals(store, doc).total.toFixed(2));
      res.status(201).json(renderPayment(doc, payment));
    });
  }

  return router;
}

function find(store: BexioStore, resource: DocumentResource, req: Request, res: Response): StoredDocument | undefined {
  const doc = store.documents[resource].get(Number(req.params.id));
  if (!doc) sendError(res, 404, 'Document not found');
  return doc;
}

function checkReferences(
  store: BexioStore,
  body: { contact_id: number; user_id: number; currency_id: number; positions: Array<{ type: string; tax_id?: number }> },
): string | undefined {
  const contact = store.contacts.get(body.contact_id);
  if (!contact || contact.isDeleted) return 'contact_id: unknown contact';
  if (body.user_id !== store.user.id) return 'user_id: unknown user';
  if (!store.currencies.some((c) => c.id === body.currency_id)) return 'currency_id: unknown currency';
  // "Only active sales taxes are valid on quotes, orders and invoices" (PositionCustom.tax_id).
  const index = body.positions.findIndex((p) => p.type === 'KbPositionCustom' && store.taxRate(p.tax_id!) === undefined);
  return index >= 0 ? `positions.${index}.tax_id: not an active sales tax` : undefined;
}

/** A real PDF (pdfkit) with the document's lines and bexio's totals. */
export async function renderDocumentPdf(store: BexioStore, doc: StoredDocument): Promise<Buffer> {
  const totals = documentTotals(store, doc);
  const contact = store.contacts.get(doc.fields.contact_id as number);
  const currency = store.currencies.find((c) => c.id === doc.fields.currency_id)?.name ?? 'CHF';
  let index = 0;
  return renderPdf({
    vendor: 'bexio',
    title: doc.resource === 'kb_invoice' ? 'Rechnung' : 'Offerte',
    number: doc.documentNr,
    date: doc.fields.is_valid_from as string | undefined,
    customer: contact ? [contact.fields.name_2, contact.fields.name_1].filter(Boolean).join(' ') : '',
    currency,
    lines: doc.positions.flatMap((p) =>
      p.type === 'KbPositionCustom'
        ? [
            {
              name: p.text,
              quantity: p.amount,
              unitPrice: p.unit_price,
              taxRatePercent: store.taxRate(p.tax_id) ?? '0',
              total: sixPlaces(totals.positionTotals[index++]),
            },
          ]
        : [],
    ),
    totals: { net: totals.totalNet.toFixed(2), tax: totals.totalTaxes.toFixed(2), gross: totals.total.toFixed(2) },
  });
}
