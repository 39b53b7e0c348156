/** sevDesk emulator routes for invoices (accounting.md §2.4–2.6, SVS Invoice tag). */
import { Router } from 'express';
import { renderPdf } from '../pdf';
import { checkNewDocument, storedPositions } from './document-factory';
import { checkEInvoice, eInvoiceXml } from './einvoice';
import { page } from './paging';
import { invoiceJson, positionJson } from './responses';
import { SevdeskStore, type StoredInvoice } from './store';
import { SevdeskHttpError, parseOr400, saveInvoiceSchema, sendBySchema, sendViaEmailSchema, type SaveInvoiceBody } from './validation';

/** Rule checks sevDesk answers with 422 (§2.4; SVS "sevdesk-Update 2.0": invoices start as DRAFT, rates must fit the tax rule). */
function checkRules(store: SevdeskStore, body: SaveInvoiceBody): void {
  const { invoice } = body;
  checkNewDocument(store, 'invoice', invoice, body.invoicePosSave);
  const rates = new Set((body.invoicePosSave ?? []).map((p) => String(p.taxRate)));
  if ((body.discountSave ?? []).some((d) => !d.percentage) && rates.size > 1) {
    throw new SevdeskHttpError(400, 'discountSave: absolute discounts over several tax rates are not emulated');
  }
}

function createInvoice(store: SevdeskStore, body: SaveInvoiceBody): StoredInvoice {
  const { invoice } = body;
  const showNet = invoice.showNet ?? true;
  const positions = storedPositions(store, body.invoicePosSave);
  const discounts = (body.discountSave ?? []).map((d) => ({ isDiscount: d.discount, isPercentage: d.percentage, value: String(d.value), text: d.text }));
  const now = store.timestamp();
  return {
    id: store.newId(),
    invoiceType: 'RE',
    invoiceNumber: invoice.invoiceNumber ?? undefined,
    contactId: invoice.contact.id,
    contactPersonId: invoice.contactPerson.id,
    invoiceDate: invoice.invoiceDate,
    status: '100',
    header: invoice.header ?? undefined,
    headText: invoice.headText ?? undefined,
    footText: invoice.footText ?? undefined,
    timeToPay: invoice.timeToPay ?? undefined,
    cashDiscountPercent: invoice.discount,
    discountTime: invoice.discountTime ?? undefined,
    currency: invoice.currency ?? 'EUR',
    showNet,
    taxRuleId: invoice.taxRule?.id,
    taxType: invoice.taxType,
    taxText: invoice.taxText,
    addressCountryId: invoice.addressCountry.id,
    customerInternalNote: invoice.customerInternalNote ?? undefined,
    isEInvoice: invoice.propertyIsEInvoice === true,
    paymentMethodId: invoice.paymentMethod?.id,
    address: { street: invoice.addressStreet ?? undefined, zip: invoice.addressZip ?? undefined, city: invoice.addressCity ?? undefined },
    positions,
    discounts,
    totals: SevdeskStore.totalsOf(showNet, positions, discounts),
    createdMs: now,
    updatedMs: now,
  };
}

/** Leaving draft assigns the number and locks the invoice (§2.5). */
export function markSent(store: SevdeskStore, invoice: StoredInvoice, sendType: string): void {
  if (invoice.status !== '100') return;
  store.assignNumber(invoice);
  invoice.status = '200';
  invoice.sendType = sendType;
  invoice.sendDateMs = store.timestamp();
  invoice.updatedMs = store.timestamp();
}

/**
 * `POST /Invoice/{id}/cancelInvoice` (SVS operationId cancelInvoice): "creates a cancellation invoice.
 * The cancellation invoice will be automatically paid and the source invoice's status will change to
 * 'cancelled'". The SR invoice carries the source's positions with negated quantities and points back to
 * it through `origin`. SVS names no status code for 'cancelled' (its enum is 50/100/200/750/1000), so the
 * source keeps its code here; a draft, a cancellation invoice or an already cancelled invoice is refused
 * with 400 (our reading: the UI offers "Stornieren" only once, on sent invoices).
 */
function cancelInvoice(store: SevdeskStore, source: StoredInvoice): StoredInvoice {
  if (source.status === '100') throw new SevdeskHttpError(400, 'Draft invoices cannot be cancelled');
  if (source.invoiceType === 'SR' || source.cancelledById) throw new SevdeskHttpError(400, `Invoice with id ${source.id} is already cancelled`);
  const now = store.timestamp();
  const positions = source.positions.map((p) => ({ ...p, id: store.newId(), quantity: p.quantity.startsWith('-') ? p.quantity.slice(1) : `-${p.quantity}` }));
  const cancellation: StoredInvoice = {
    ...source,
    id: store.newId(),
    invoiceType: 'SR',
    invoiceNumber: undefined,
    origin: { id: source.id, objectName: 'Invoice' },
    cancelledById: undefined,
    invoiceDate: new Date(now).toISOString().slice(0, 10),
    header: `Stornorechnung zu ${source.invoiceNumber ?? source.id}`,
    positions,
    discounts: [],
    totals: SevdeskStore.totalsOf(source.showNet, positions),
    sendType: undefined,
    sendDateMs: undefined,
    createdMs: now,
    updatedMs: now,
  };
  store.assignNumber(cancellation);
  cancellation.status = '1000';
  cancellation.payDate = cancellation.invoiceDate;
  cancellation.paidAmount = cancellation.totals.sumGross.toFixed();
  store.invoices.set(cancellation.id, cancellation);
  source.cancelledById = cancellation.id;
  source.updatedMs = now;
  return cancellation;
}

export function invoiceRoutes(store: SevdeskStore): Router {
  const router = Router();
  const existing = (id: string) => {
    const invoice = store.invoices.get(id);
    if (!invoice) throw new SevdeskHttpError(400, `Invoice with id ${id} not found`);
    return invoice;
  };

  router.post('/Invoice/Factory/saveInvoice', (req, res) => {
    const body = parseOr400(saveInvoiceSchema, req.body);
    checkRules(store, body);
    if (body.invoice.propertyIsEInvoice) checkEInvoice(store, body);
    const invoice = createInvoice(store, body);
    store.invoices.set(invoice.id, invoice);
    // SVS shows `{ invoice, invoicePos, filename }` bare; the runtime wraps factory answers in `objects`
    // (live-tested Order factory: id in `data.objects.order.id`, codecell-germany/sevdesk-agent-skill
    // knowledge/SEVDESK_ORDER_WRITE_LEARNINGS.md; clients read `objects.invoice.id` / `objects.invoicePos`).
    const saved = { invoice: invoiceJson(invoice), invoicePos: invoice.positions.map((p, i) => positionJson(invoice, p, i)), filename: null };
    res.status(201).json({ objects: saved });
  });

  /** The note filter is spelled `customerIntenalNote` in SVS; the sandbox honours that spelling only. */
  router.get('/Invoice', (req, res) => {
    const q = req.query;
    const items = [...store.invoices.values()].filter(
      (i) =>
        (q.status === undefined || i.status === q.status) &&
        (q.invoiceNumber === undefined || i.invoiceNumber === q.invoiceNumber) &&
        (q['contact[id]'] === undefined || i.contactId === q['contact[id]']) &&
        (q.customerIntenalNote === undefined || i.customerInternalNote === q.customerIntenalNote),
    );
    res.json({ objects: page(req, items).map(invoiceJson) });
  });

  router.get('/Invoice/:id', (req, res) => {
    res.json({ objects: [invoiceJson(existing(req.params.id))] });
  });

  router.post('/Invoice/:id/cancelInvoice', (req, res) => {
    const cancellation = cancelInvoice(store, existing(req.params.id));
    res.status(201).json({ objects: invoiceJson(cancellation) });
  });

  router.get('/Invoice/:id/getPositions', (req, res) => {
    const invoice = existing(req.params.id);
    res.json({
      objects: page(
        req,
        invoice.positions.map((p, i) => positionJson(invoice, p, i)),
      ),
    });
  });

  router.put('/Invoice/:id/sendBy', (req, res) => {
    const invoice = existing(req.params.id);
    const body = parseOr400(sendBySchema, req.body);
    if (!body.sendDraft) markSent(store, invoice, body.sendType);
    res.json(invoiceJson(invoice));
  });

  router.post('/Invoice/:id/sendViaEmail', (req, res) => {
    const invoice = existing(req.params.id);
    const body = parseOr400(sendViaEmailSchema, req.body);
    markSent(store, invoice, 'VM');
    const email = {
      id: store.emails.length + 1,
      invoiceId: invoice.id,
      to: body.toEmail,
      subject: body.subject,
      text: body.text,
      createdMs: store.timestamp(),
    };
    store.emails.push(email);
    const created = new Date(email.createdMs).toISOString();
    res.status(201).json({
      id: email.id,
      objectName: 'Email',
      create: created,
      update: created,
      object: invoiceJson(invoice),
      from: 'noreply@sevdesk.sandbox',
      to: email.to,
      subject: email.subject,
      text: email.text,
    });
  });

  /** Base64 JSON wrapped in `objects` (SVQ); without `preventSendBy=true` the draft is marked sent (§2.5). */
  router.get('/Invoice/:id/getPdf', async (req, res) => {
    const invoice = existing(req.params.id);
    if (req.query.preventSendBy !== 'true') markSent(store, invoice, 'VPDF');
    const contact = store.contacts.get(invoice.contactId);
    const pdf = await renderPdf({
      vendor: 'sevDesk',
      title: invoice.header ?? 'Rechnung',
      number: invoice.invoiceNumber,
      date: invoice.invoiceDate,
      customer: contact?.name ?? [contact?.surename, contact?.familyname].filter(Boolean).join(' '),
      currency: invoice.currency,
      lines: invoice.positions.map((p, i) => ({
        name: p.name ?? '',
        quantity: p.quantity,
        unitPrice: p.price,
        taxRatePercent: p.taxRate,
        total: invoice.totals.positions[i].sumNet.toFixed(2),
      })),
      totals: { net: invoice.totals.sumNet.toFixed(2), tax: invoice.totals.sumTax.toFixed(2), gross: invoice.totals.sumGross.toFixed(2) },
    });
    const filename = `${invoice.invoiceNumber ?? `Rechnungsentwurf-${invoice.id}`}.pdf`;
    res.json({ objects: { filename, mimeType: 'application/pdf', base64encoded: true, content: pdf.toString('base64') } });
  });

  /**
   * SVS `invoiceGetXml`: 200 with the XML as a string; SVS types the body `{ object: string }` while every other
   * sevDesk answer is wrapped in `objects` (§2.2), so the sandbox answers `objects` (UNCONFIRMED which one is live).
   * An invoice that is no e-invoice, or still a draft, has no XML: 400 as for an unknown invoice.
   */
  router.get('/Invoice/:id/getXml', (req, res) => {
    const invoice = existing(req.params.id);
    if (!invoice.isEInvoice) throw new SevdeskHttpError(400, `Invoice with id ${invoice.id} is not an e-invoice`);
    if (invoice.status === '100') throw new SevdeskHttpError(400, `Invoice with id ${invoice.id} is a draft; the e-invoice XML exists once it is sent`);
    res.json({ objects: eInvoiceXml(store, invoice) });
  });

  return router;
}
