/**
 * Sales vouchers of the Lexware emulator: invoices and quotations (create, get, `/file`), payments
 * and the voucherlist (operationIds createInvoice, getInvoice, downloadInvoiceFile, getPayment, getVoucherlist).
 */
import { Router, type Request, type Response } from 'express';
import { berlinDay, lexMidnight, lexTimestamp } from './clock';
import { renderPdf } from '../pdf';
import type { LexofficeStore, StoredVoucher, VoucherKind } from './store';
import { dueDateOf } from './voucher-view';
import { xRechnungOf, xRechnungXml } from './einvoice';
import { sendRegular } from './responses';
import {
  creditNoteCreateSchema,
  invoiceCreateSchema,
  problemsOf,
  quotationCreateSchema,
  semanticProblems,
  type FieldProblem,
  type VoucherCreate,
} from './validation';

const validationMessage = 'Validation failed for request. Please see details list for specific causes.';

/** A throwaway voucher around a create body, to total it before anything is stored. */
const voucherOf = (body: VoucherCreate): StoredVoucher => ({
  kind: 'creditnote',
  id: '',
  createdAtMs: 0,
  updatedAtMs: 0,
  version: 0,
  status: 'draft',
  voucherNumber: '',
  fileId: '',
  body,
  related: [],
  profile: 'NONE',
});

export function voucherRoutes(store: LexofficeStore, now: () => number): Router {
  const router = Router();
  const fail = (req: Request, res: Response, status: number, message: string, problems: FieldProblem[] = []) =>
    sendRegular(res, status, req.path, message, problems, now());
  const find = (kind: VoucherKind, req: Request, res: Response): StoredVoucher | undefined => {
    const voucher = store.vouchers.get(String(req.params.id));
    if (voucher?.kind === kind) return voucher;
    fail(req, res, 404, `${kind} not found`);
    return undefined;
  };

  /**
   * `precedingSalesVoucherId` on an invoice: it pursues a quotation, and both then list each other in
   * `relatedVouchers` ({id, voucherNumber, voucherType}, docs "Invoices Properties"). An unknown id or an
   * invalid chain is 406 (docs2025; which draft predecessors count as invalid for quotations is
   * UNCONFIRMED, a draft quotation is refused here). Undefined: none given; null: refused.
   */
  const precedingOf = (req: Request): StoredVoucher | null | undefined => {
    const id = req.query.precedingSalesVoucherId;
    if (id === undefined) return undefined;
    const voucher = store.vouchers.get(String(id));
    if (!req.path.startsWith('/v1/invoices') || voucher?.kind !== 'quotation' || voucher.status === 'draft') return null;
    return voucher;
  };

  for (const kind of ['invoice', 'quotation'] as const) {
    const base = kind === 'invoice' ? '/v1/invoices' : '/v1/quotations';
    const schema = kind === 'invoice' ? invoiceCreateSchema : quotationCreateSchema;

    router.post(base, (req, res) => {
      const finalize = req.query.finalize;
      if (finalize !== undefined && finalize !== 'true' && finalize !== 'false') return fail(req, res, 400, 'finalize must be true or false');
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) return fail(req, res, 406, validationMessage, problemsOf(parsed.error));
      const body = parsed.data as VoucherCreate;
      const problems = semanticProblems(body);
      const contact = body.address.contactId ? store.contacts.get(body.address.contactId) : undefined;
      // Vouchers may only reference contacts with the customer role (accounting.md §1.5).
      if (body.address.contactId && !contact?.roles.customer) problems.push({ field: 'address.contactId', missing: false, message: 'Kontakt ist kein Kunde' });
      const eInvoice = kind === 'invoice' ? xRechnungOf(store, body, finalize === 'true') : { xRechnung: false, problems: [] };
      problems.push(...eInvoice.problems);
      if (problems.length > 0) return fail(req, res, 406, validationMessage, problems);
      const preceding = precedingOf(req);
      if (preceding === null)
        return fail(req, res, 406, validationMessage, [{ field: 'precedingSalesVoucherId', missing: false, message: 'Ungültige Belegkette' }]);
      const voucher = store.createVoucher(kind, body, finalize === 'true', eInvoice.xRechnung);
      if (preceding) {
        voucher.related.push(preceding.id);
        preceding.related.push(voucher.id);
      }
      const at = lexTimestamp(voucher.createdAtMs);
      res.status(201).json({
        id: voucher.id,
        resourceUri: `${req.protocol}://${req.get('host')}${base}/${voucher.id}`,
        createdDate: at,
        updatedDate: at,
        version: voucher.version,
      });
    });

    router.get(`${base}/:id`, (req, res) => {
      const voucher = find(kind, req, res);
      if (voucher) res.json(store.render(voucher));
    });

    router.get(`${base}/:id/file`, async (req, res) => {
      const voucher = find(kind, req, res);
      if (!voucher) return;
      // docs2025 `/file`: application/pdf or */* give the PDF, other types 406, drafts 409. The 409's message
      // was measured live on 2026-08-21 (benethos-hub/lexware-office-mcp tests/test_client.py).
      // XRechnung (docs2025 `/file` table): `*/*` or application/xml give the XML, application/pdf a preview PDF;
      // application/xml on any other invoice is a 404 (body not documented).
      const accept = req.get('accept') ?? '*/*';
      if (!/(application\/pdf|application\/xml|\*\/\*)/.test(accept)) return void res.status(406).send();
      const typeName = kind === 'invoice' ? 'Invoice' : 'Quotation';
      if (voucher.status === 'draft')
        return fail(
          req,
          res,
          409,
          `the sales voucher with id ${voucher.id} and voucher type '${typeName}' is in status 'draft' and therefore cannot be downloaded`,
        );
      const wantsXml = /application\/xml/.test(accept) || (!/application\/pdf/.test(accept) && voucher.profile === 'XRechnung');
      if (wantsXml && voucher.profile !== 'XRechnung') return fail(req, res, 404, `no XRechnung for ${typeName} ${voucher.id}`);
      if (wantsXml) {
        return void res
          .status(200)
          .type('application/xml')
          .set('content-disposition', `attachment; filename="Rechnung_${voucher.voucherNumber}.xml"`)
          .send(xRechnungXml(store, store.render(voucher)));
      }
      const totals = store.totals(voucher);
      // Live answers name the file `Rechnung_RE0001.pdf` (measured 2026-08-21, benethos-hub/lexware-office-mcp
      // SPECS.md); `Angebot_` for quotations follows the same pattern (UNCONFIRMED).
      const rendered = store.render(voucher) as { address?: { name?: string } };
      const custom = voucher.body.lineItems.filter((l) => l.type === 'custom');
      const pdf = await renderPdf({
        vendor: 'lexoffice',
        title: voucher.body.title ?? (kind === 'invoice' ? 'Rechnung' : 'Angebot'),
        number: voucher.voucherNumber,
        date: voucher.body.voucherDate.slice(0, 10),
        customer: rendered.address?.name ?? '',
        currency: 'EUR',
        lines: custom.map((l, i) => ({
          name: l.name,
          quantity: String(l.quantity),
          unitPrice: String(l.unitPrice.netAmount ?? l.unitPrice.grossAmount),
          taxRatePercent: String(l.unitPrice.taxRatePercentage),
          total: totals.lineItemAmounts[i].toFixed(2),
        })),
        totals: { net: totals.totalNetAmount.toFixed(2), tax: totals.totalTaxAmount.toFixed(2), gross: totals.totalGrossAmount.toFixed(2) },
      });
      res
        .status(200)
        .type('application/pdf')
        .set('content-disposition', `attachment; filename="${kind === 'invoice' ? 'Rechnung' : 'Angebot'}_${voucher.voucherNumber}.pdf"`)
        .send(pdf);
    });
  }

  /**
   * `POST /v1/credit-notes[?finalize=true][&precedingSalesVoucherId=<invoice id>]` ("Pursue to a Credit Note",
   * developers.lexware.io; lazyants/lexware-mcp-server quotes it): pursued from a finalized invoice and
   * finalized, the credit note is at once `paidoff` and reduces the invoice's open amount; both list each
   * other in `relatedVouchers`. A credited total above the invoice's open amount is refused (our reading).
   */
  router.post('/v1/credit-notes', (req, res) => {
    const finalize = req.query.finalize;
    if (finalize !== undefined && finalize !== 'true' && finalize !== 'false') return fail(req, res, 400, 'finalize must be true or false');
    const parsed = creditNoteCreateSchema.safeParse(req.body);
    if (!parsed.success) return fail(req, res, 406, validationMessage, problemsOf(parsed.error));
    const body = parsed.data as VoucherCreate;
    const problems = semanticProblems(body);
    if (problems.length > 0) return fail(req, res, 406, validationMessage, problems);
    const precedingId = req.query.precedingSalesVoucherId;
    const invoice = precedingId === undefined ? undefined : store.vouchers.get(String(precedingId));
    if (precedingId !== undefined && (invoice?.kind !== 'invoice' || invoice.status === 'draft' || invoice.status === 'voided')) {
      return fail(req, res, 406, validationMessage, [{ field: 'precedingSalesVoucherId', missing: false, message: 'Ungültige Belegkette' }]);
    }
    if (invoice && store.totals(voucherOf(body)).totalGrossAmount.greaterThan(store.openAmount(invoice))) {
      return fail(req, res, 406, validationMessage, [
        { field: 'totalPrice', missing: false, message: 'Gutschriftsbetrag übersteigt den offenen Betrag der Rechnung' },
      ]);
    }
    const note = store.createVoucher('creditnote', body, finalize === 'true');
    if (invoice) {
      note.related.push(invoice.id);
      invoice.related.push(note.id);
      if (finalize === 'true') store.settleWithCreditNote(invoice, note);
    }
    const at = lexTimestamp(note.createdAtMs);
    res.status(201).json({
      id: note.id,
      resourceUri: `${req.protocol}://${req.get('host')}/v1/credit-notes/${note.id}`,
      createdDate: at,
      updatedDate: at,
      version: note.version,
    });
  });

  router.get('/v1/credit-notes/:id', (req, res) => {
    const note = find('creditnote', req, res);
    if (note) res.json(store.render(note));
  });

  router.get('/v1/payments/:id', (req, res) => {
    const voucher = store.vouchers.get(req.params.id);
    if (!voucher || voucher.kind !== 'invoice') return fail(req, res, 404, 'voucher not found');
    // Drafts have no payment information (accounting.md §1.7: 406, expected).
    if (voucher.status === 'draft') return fail(req, res, 406, 'voucher is a draft');
    const gross = store.totals(voucher).totalGrossAmount;
    const paid = voucher.status === 'paid';
    res.json({
      openAmount: paid ? 0 : store.openAmount(voucher).toNumber(),
      currency: 'EUR',
      paymentStatus: paid ? 'balanced' : 'openRevenue',
      voucherType: 'invoice',
      voucherStatus: voucher.status,
      ...(paid ? { paidDate: lexMidnight(voucher.paidDate!) } : {}),
      paymentItems: paid ? [{ paymentItemType: 'manualPayment', postingDate: lexMidnight(voucher.paidDate!), amount: gross.toNumber(), currency: 'EUR' }] : [],
    });
  });

  router.get('/v1/voucherlist', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    // LX26 LIVE_FINDINGS §2.3: both are mandatory, a missing one is a 400.
    if (!q.voucherType || !q.voucherStatus) return fail(req, res, 400, 'voucherType and voucherStatus are required');
    const types = q.voucherType.split(',');
    const statuses = q.voucherStatus.split(',');
    const page = Number(q.page ?? 0);
    const size = Number(q.size ?? 25);
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > 250) return fail(req, res, 400, 'invalid paging');
    const [sortField, direction] = (q.sort ?? 'voucherDate,DESC').split(',');
    const key = (v: StoredVoucher) =>
      sortField === 'createdDate' ? String(v.createdAtMs).padStart(16, '0') : v.body.voucherDate + String(v.createdAtMs).padStart(16, '0');
    const rows = [...store.vouchers.values()]
      .filter((v) => types.includes('any') || types.includes(v.kind))
      .filter((v) => statuses.includes('any') || statuses.includes(v.status))
      .filter((v) => !q.createdDateFrom || berlinDay(v.createdAtMs) >= q.createdDateFrom)
      .filter((v) => !q.contactId || v.body.address.contactId === q.contactId)
      .sort((a, b) => (direction === 'ASC' ? key(a).localeCompare(key(b)) : key(b).localeCompare(key(a))));
    const content = rows.slice(page * size, page * size + size).map((v) => {
      const rendered = store.render(v) as { address?: { name?: string }; totalPrice: { totalGrossAmount: number } };
      return {
        id: v.id,
        voucherType: v.kind,
        voucherStatus: v.status,
        voucherNumber: v.voucherNumber,
        voucherDate: v.body.voucherDate,
        createdDate: lexTimestamp(v.createdAtMs),
        updatedDate: lexTimestamp(v.updatedAtMs),
        ...(v.status === 'draft' ? {} : { dueDate: dueDateOf(v.body) }),
        contactId: v.body.address.contactId ?? null,
        contactName: rendered.address?.name ?? '',
        totalAmount: rendered.totalPrice.totalGrossAmount,
        openAmount: v.status === 'paid' ? 0 : rendered.totalPrice.totalGrossAmount,
        currency: 'EUR',
        archived: false,
      };
    });
    const totalPages = Math.max(1, Math.ceil(rows.length / size));
    res.json({
      content,
      first: page === 0,
      last: page >= totalPages - 1,
      totalPages,
      totalElements: rows.length,
      numberOfElements: content.length,
      size,
      number: page,
      sort: [],
    });
  });

  return router;
}
