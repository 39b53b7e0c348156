/**
 * sevDesk emulator routes for orders (SVS Order tag): estimates/proposals (`orderType` AN) made with the
 * order factory, read back, marked sent, as PDF; and the invoice made from an order
 * (`POST /Invoice/Factory/createInvoiceFromOrder`), which links back to it through `origin`.
 */
import { Router } from 'express';
import { renderPdf } from '../pdf';
import { checkNewDocument, storedPositions } from './document-factory';
import { page } from './paging';
import { invoiceJson, orderJson, orderPositionJson } from './responses';
import { SevdeskStore, type StoredInvoice, type StoredOrder } from './store';
import { SevdeskHttpError, createInvoiceFromOrderSchema, parseOr400, saveOrderSchema, sendBySchema, type SaveOrderBody } from './validation';

function createOrder(store: SevdeskStore, body: SaveOrderBody): StoredOrder {
  const { order } = body;
  const showNet = order.showNet ?? true;
  const positions = storedPositions(store, body.orderPosSave);
  const now = store.timestamp();
  return {
    id: store.newId(),
    orderNumber: order.orderNumber,
    orderType: order.orderType,
    contactId: order.contact.id,
    contactPersonId: order.contactPerson.id,
    orderDate: order.orderDate,
    status: '100',
    header: order.header,
    headText: order.headText ?? undefined,
    footText: order.footText ?? undefined,
    currency: order.currency ?? 'EUR',
    showNet,
    taxRuleId: order.taxRule?.id,
    taxType: order.taxType,
    taxText: order.taxText,
    addressCountryId: order.addressCountry.id,
    customerInternalNote: order.customerInternalNote ?? undefined,
    version: order.version,
    positions,
    totals: SevdeskStore.totalsOf(showNet, positions),
    createdMs: now,
    updatedMs: now,
  };
}

/**
 * The full invoice of an order: a draft (status 100) with the order's positions, contact, texts and tax
 * rule, `origin` the order; the order becomes 1000 "calculated" (SVS Order tag, order status table).
 * A second full invoice of a calculated order is refused, as the UI does not offer one.
 */
function invoiceFromOrder(store: SevdeskStore, order: StoredOrder): StoredInvoice {
  if (order.status === '1000') throw new SevdeskHttpError(400, `Order with id ${order.id} has already been fully invoiced`);
  const now = store.timestamp();
  const positions = order.positions.map((p) => ({ ...p, id: store.newId() }));
  const invoice: StoredInvoice = {
    id: store.newId(),
    invoiceType: 'RE',
    origin: { id: order.id, objectName: 'Order' },
    isEInvoice: false,
    contactId: order.contactId,
    contactPersonId: order.contactPersonId,
    invoiceDate: new Date(now).toISOString().slice(0, 10),
    status: '100',
    header: order.header.replace(/^Angebot/, 'Rechnung'),
    headText: order.headText,
    footText: order.footText,
    currency: order.currency,
    showNet: order.showNet,
    taxRuleId: order.taxRuleId,
    taxType: order.taxType,
    taxText: order.taxText,
    addressCountryId: order.addressCountryId,
    customerInternalNote: order.customerInternalNote,
    positions,
    discounts: [],
    totals: SevdeskStore.totalsOf(order.showNet, positions),
    createdMs: now,
    updatedMs: now,
  };
  store.invoices.set(invoice.id, invoice);
  order.status = '1000';
  order.updatedMs = now;
  return invoice;
}

function markOrderSent(store: SevdeskStore, order: StoredOrder, sendType: string): void {
  if (order.status !== '100') return;
  order.status = '200';
  order.sendType = sendType;
  order.sendDateMs = store.timestamp();
  order.updatedMs = store.timestamp();
}

export function orderRoutes(store: SevdeskStore): Router {
  const router = Router();
  const existing = (id: string) => {
    const order = store.orders.get(id);
    if (!order) throw new SevdeskHttpError(400, `Order with id ${id} not found`);
    return order;
  };

  /** Created answers are wrapped in `objects`, the id in `objects.order.id` (live test, SEVDESK_ORDER_WRITE_LEARNINGS.md §2). */
  router.post('/Order/Factory/saveOrder', (req, res) => {
    const body = parseOr400(saveOrderSchema, req.body);
    checkNewDocument(store, 'order', body.order, body.orderPosSave);
    const order = createOrder(store, body);
    store.orders.set(order.id, order);
    res.status(201).json({ objects: { order: orderJson(order), orderPos: order.positions.map((p, i) => orderPositionJson(order, p, i)) } });
  });

  /** SVS lists `status`, `orderNumber`, `contact[id]`; `customerInternalNote` is honoured as on invoices. */
  router.get('/Order', (req, res) => {
    const q = req.query;
    const items = [...store.orders.values()].filter(
      (o) =>
        (q.status === undefined || o.status === q.status) &&
        (q.orderNumber === undefined || o.orderNumber === q.orderNumber) &&
        (q['contact[id]'] === undefined || o.contactId === q['contact[id]']) &&
        (q.orderType === undefined || o.orderType === q.orderType) &&
        (q.customerIntenalNote === undefined || o.customerInternalNote === q.customerIntenalNote),
    );
    res.json({ objects: page(req, items).map(orderJson) });
  });

  router.get('/Order/:id', (req, res) => {
    res.json({ objects: [orderJson(existing(req.params.id))] });
  });

  router.get('/Order/:id/getPositions', (req, res) => {
    const order = existing(req.params.id);
    res.json({
      objects: page(
        req,
        order.positions.map((p, i) => orderPositionJson(order, p, i)),
      ),
    });
  });

  router.put('/Order/:id/sendBy', (req, res) => {
    const order = existing(req.params.id);
    const body = parseOr400(sendBySchema, req.body);
    if (!body.sendDraft) markOrderSent(store, order, body.sendType);
    res.json(orderJson(order));
  });

  /** Without `preventSendBy` a draft order becomes 200 (live test, SEVDESK_ORDER_WRITE_LEARNINGS.md §5). */
  router.get('/Order/:id/getPdf', async (req, res) => {
    const order = existing(req.params.id);
    if (req.query.preventSendBy !== 'true' && req.query.preventSendBy !== '1') markOrderSent(store, order, 'VPDF');
    const contact = store.contacts.get(order.contactId);
    const pdf = await renderPdf({
      vendor: 'sevDesk',
      title: order.header,
      number: order.orderNumber,
      date: order.orderDate,
      customer: contact?.name ?? [contact?.surename, contact?.familyname].filter(Boolean).join(' '),
      currency: order.currency,
      lines: order.positions.map((p, i) => ({
        name: p.name ?? '',
        quantity: p.quantity,
        unitPrice: p.price,
        taxRatePercent: p.taxRate,
        total: order.totals.positions[i].sumNet.toFixed(2),
      })),
      totals: { net: order.totals.sumNet.toFixed(2), tax: order.totals.sumTax.toFixed(2), gross: order.totals.sumGross.toFixed(2) },
    });
    res.json({ objects: { filename: `${order.orderNumber}.pdf`, mimeType: 'application/pdf', base64encoded: true, content: pdf.toString('base64') } });
  });

  /** SVS answers 200 with `Model_InvoiceResponse`; wrapped in `objects` like the other factory answers. */
  router.post('/Invoice/Factory/createInvoiceFromOrder', (req, res) => {
    const body = parseOr400(createInvoiceFromOrderSchema, req.body);
    if (body.partialType && body.partialType !== 'RE') throw new SevdeskHttpError(400, 'partial and advance invoices are not emulated');
    const invoice = invoiceFromOrder(store, existing(body.order.id));
    res.status(200).json({ objects: invoiceJson(invoice) });
  });

  return router;
}
