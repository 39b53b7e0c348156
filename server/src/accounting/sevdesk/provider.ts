/**
 * sevDesk as an AccountingProvider (accounting.md §2, money.md §4). Puts client, mapping and totals
 * together; no HTTP or vendor JSON of its own beyond choosing the calls.
 */
import { ProviderError } from '../errors';
import { accountDataOf } from '../account-data';
import { fingerprint } from '../http';
import type {
  AccountingProvider,
  Customer,
  DocumentDraft,
  EInvoiceData,
  DocumentRef,
  DocumentTotals,
  FieldLimits,
  MoneyRules,
  PaymentStatus,
  ProviderCapabilities,
  ProviderFactory,
} from '../provider';
import { dec, toMoneyString } from '../../money/decimal';
import { createSevdeskClient, sevdeskPageSize } from './client';
import { createSevdeskCustomers } from './customers';
import { createSevdeskEInvoicing } from './einvoice';
import {
  defaultSevdeskAccountIds,
  fromVendorDate,
  fromVendorInvoice,
  fromVendorOrder,
  toVendorEInvoiceFields,
  toVendorInvoice,
  toVendorOrder,
} from './mapping';
import {
  invoiceSchema,
  objectsList,
  orderSchema,
  pdfSchema,
  saveInvoiceResultSchema,
  saveOrderResultSchema,
  sevClientListSchema,
  sevdeskCredentialsSchema,
  sevUserListSchema,
  type SevdeskInvoice,
} from './schemas';
import { computeSevdeskTotals, defaultSevdeskTotalsOptions, sevdeskRoundingChoices, type SevdeskTotalsOptions } from './totals';
import { readingsOf } from '../rounding';

export const sevdeskCapabilities: ProviderCapabilities = {
  quotations: true, // `/Order/Factory/saveOrder` with orderType AN (SVS Order tag)
  invoiceFromQuotation: true, // POST /Invoice/Factory/createInvoiceFromOrder (SVS operationId createInvoiceFromOrder)
  invoiceCancellation: 'cancellation_invoice', // POST /Invoice/{id}/cancelInvoice (SVS operationId cancelInvoice)
  emailDelivery: true, // POST /Invoice/{id}/sendViaEmail (§2.5)
  paymentStatus: true, // status 1000 + payDate (§2.6)
  customerDeletion: 'delete', // DELETE /Contact/{id} (§2.3)
  changeFeed: true, // GET /Contact?updateAfter= (§2.3)
  webhooks: false, // none (§2.2)
  separateFinalize: true, // PUT /Invoice/{id}/sendBy (§2.5)
  eInvoice: 'api', // propertyIsEInvoice + getXml (accounting.md §2.5)
  contactCompanyLink: true, // a person Contact has `parent` (§2.3)
};

/**
 * sevDesk documents no length limit for any text field we send (invoice `header`, `headText`,
 * `footText`, position `name`/`text`; contact `name`, `surename`, `familyname`, `customerNumber`,
 * `vatNumber`; address `street`/`zip`/`city`; communication way `value`) and no maximum number of
 * positions: neither its OpenAPI 2.0.0 (server/specs/sevdesk/openapi.yaml) nor the May 2026 copy of
 * it (j-mastr/sevdesk-api@f99c4f8 external/openapi.yaml) has a maxLength or maxItems, and neither the
 * API news (https://tech.sevdesk.com/api_news/) nor the help centre (https://hilfe.sevdesk.de) names
 * one. Every limit therefore stays undefined, so nothing is shortened or refused before sending.
 */
export const sevdeskFieldLimits: FieldLimits = { document: {}, customer: {} };

const invoiceList = objectsList(invoiceSchema);
const orderList = objectsList(orderSchema);

/** Upper bound on pages scanned by `findDocumentByReference` if sevDesk ignores the filter. */
const maxReferencePages = 50;

/** sevDesk `Model_InvoicePos` (https://api.sevdesk.de/): quantity/price are floats with no documented limit; invoice.showNet=false is the gross mode; any ISO 4217 currency. Decimal limits and negative lines: to settle (issue 12). */
export const sevdeskMoneyRules: MoneyRules = {
  unitPriceDecimals: 4,
  quantityDecimals: 4,
  discountPercentDecimals: 2,
  currencies: 'any',
  grossPrices: true,
  negativeLines: false,
};

export const createSevdeskProvider: ProviderFactory = (deps) => {
  const { apiToken } = sevdeskCredentialsSchema.parse(deps.credentials);
  const log = deps.log.child({ provider: 'sevdesk' });
  const client = createSevdeskClient({ ...deps, apiToken, log });
  const ids = defaultSevdeskAccountIds;
  const customers = createSevdeskCustomers(client, ids, log);
  const account = accountDataOf(deps.accountData, `sevdesk:${fingerprint(apiToken)}`);
  const readings = readingsOf(sevdeskRoundingChoices, deps.rounding);
  const totalsOptions: SevdeskTotalsOptions = { ...defaultSevdeskTotalsOptions, vatRounding: readings.vatRounding === 'perUnit' ? 'perUnit' : 'perPosition' };

  function onlyInvoices(kind: DocumentDraft['kind']): void {
    if (kind !== 'invoice') throw new ProviderError('validation', 'sevDesk sends and pays invoices only, not orders', { provider: 'sevdesk' });
  }

  /** Invoices under /Invoice, quotations under /Order (orderType AN). */
  const base = (kind: DocumentDraft['kind']) => (kind === 'invoice' ? '/Invoice' : '/Order');

  async function getOrder(id: string) {
    const found = await client.request({ method: 'GET', path: `/Order/${encodeURIComponent(id)}` }, orderList);
    const order = found.objects[0];
    if (!order) throw new ProviderError('not_found', `sevDesk order ${id} not found`, { provider: 'sevdesk', status: 200 });
    return order;
  }

  const getRef = async (id: string, kind: DocumentDraft['kind']) =>
    kind === 'invoice' ? fromVendorInvoice(await getInvoice(id)) : fromVendorOrder(await getOrder(id));

  /**
   * `GET /Invoice|/Order?customerIntenalNote=` (the filter is spelled so in SVS; which spelling the API
   * honours is UNCONFIRMED, §7). The note is compared here too, and pages are walked, so an ignored
   * filter costs time, not correctness. The oldest match wins.
   */
  async function scanByNote<T extends { id: string; customerInternalNote?: string | null }>(
    reference: string,
    fetchPage: (query: Record<string, string | number>) => Promise<T[]>,
    keep: (item: T) => boolean,
  ): Promise<T | null> {
    for (let page = 0; page < maxReferencePages; page++) {
      const found = await fetchPage({ customerIntenalNote: reference, limit: sevdeskPageSize, offset: page * sevdeskPageSize });
      const matches = found.filter((i) => i.customerInternalNote === reference && keep(i)).sort((a, b) => Number(a.id) - Number(b.id));
      if (matches.length > 1) log.warn({ reference, documentIds: matches.map((m) => m.id) }, 'several documents carry one reference');
      if (matches[0]) return matches[0];
      if (found.length < sevdeskPageSize) return null;
    }
    return null;
  }

  /** The cancellation invoice (type SR) whose `origin` is the invoice, among the customer's invoices. */
  async function findCancellation(invoice: SevdeskInvoice): Promise<SevdeskInvoice | null> {
    const query: Record<string, string | number> = { limit: sevdeskPageSize };
    if (invoice.contact?.id) Object.assign(query, { 'contact[id]': invoice.contact.id, 'contact[objectName]': 'Contact' });
    for (let page = 0; page < maxReferencePages; page++) {
      const found = await client.request({ method: 'GET', path: '/Invoice', query: { ...query, offset: page * sevdeskPageSize } }, invoiceList);
      const match = found.objects.find((i) => i.invoiceType === 'SR' && i.origin?.id === invoice.id);
      if (match) return match;
      if (found.objects.length < sevdeskPageSize) return null;
    }
    return null;
  }

  /** §2.4: `contactPerson` must be a sevDesk user; the first user of the account, asked once. */
  function firstUserId(): Promise<string> {
    return account.get('SevUser', async () => {
      const users = await client.request({ method: 'GET', path: '/SevUser' }, sevUserListSchema);
      const first = users.objects[0];
      if (!first) throw new ProviderError('unexpected', 'sevDesk account has no user to act as contact person', { provider: 'sevdesk' });
      return first.id;
    });
  }

  async function getInvoice(id: string) {
    const found = await client.request({ method: 'GET', path: `/Invoice/${encodeURIComponent(id)}` }, invoiceList);
    const invoice = found.objects[0];
    if (!invoice) throw new ProviderError('not_found', `sevDesk invoice ${id} not found`, { provider: 'sevdesk', status: 200 });
    return invoice;
  }

  function predictTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis'>): DocumentTotals {
    const predicted = computeSevdeskTotals(
      {
        showNet: draft.priceBasis === 'net',
        positions: draft.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice, taxRate: l.taxRatePercent, discountPercent: l.discountPercent })),
      },
      totalsOptions,
    );
    return { net: toMoneyString(predicted.sumNet), tax: toMoneyString(predicted.sumTax), gross: toMoneyString(predicted.sumGross) };
  }

  /** money.md §1.3: predict, read back, keep sevDesk's figures, log any difference. */
  function compareWithPrediction(draft: DocumentDraft, ref: DocumentRef): void {
    const ours = predictTotals(draft);
    if (ours.net !== ref.totals.net || ours.tax !== ref.totals.tax || ours.gross !== ref.totals.gross) {
      log.warn({ documentId: ref.id, predicted: ours, vendor: ref.totals }, 'vendor totals differ from prediction');
    }
  }

  /**
   * An e-invoice reads the buyer reference and e-mail from the contact (SVS `propertyIsEInvoice`): both are put on
   * the contact first where it lacks them (`PUT /Contact/{id}` `buyerReference`; the e-mail as a CommunicationWay).
   */
  async function prepareEInvoiceContact(customerId: string, data: EInvoiceData): Promise<Customer> {
    const customer = await customers.getCustomer(customerId);
    if (!customer) throw new ProviderError('not_found', `sevDesk contact ${customerId} not found`, { provider: 'sevdesk' });
    if (data.buyerReference)
      await client.send({ method: 'PUT', path: `/Contact/${encodeURIComponent(customerId)}`, json: { buyerReference: data.buyerReference } });
    if (!customer.email && data.email) return customers.updateCustomer(customerId, { ...customer, email: data.email });
    return customer;
  }

  const provider: AccountingProvider = {
    predictTotals,
    id: 'sevdesk',
    rounding: { choices: sevdeskRoundingChoices, readings: { vatRounding: totalsOptions.vatRounding } },
    // German accounts only: standard rate 19 % (§ 12 (1) UStG), the rates of tax rule 1 are 0, 7, 19 (money.md SV-R7).
    defaultTaxRatePercent: '19',
    capabilities: sevdeskCapabilities,
    fieldLimits: sevdeskFieldLimits,
    moneyRules: sevdeskMoneyRules,
    eInvoicing: createSevdeskEInvoicing(client),

    async testConnection() {
      const clients = await client.request({ method: 'GET', path: '/SevClient' }, sevClientListSchema);
      const account = clients.objects[0];
      if (!account) throw new ProviderError('unexpected', 'sevDesk returned no account for this token', { provider: 'sevdesk' });
      return { accountName: account.name };
    },

    findCustomers: customers.findCustomers,
    getCustomer: customers.getCustomer,
    createCustomer: customers.createCustomer,
    updateCustomer: (id, input) => customers.updateCustomer(id, input),
    deleteCustomer: customers.deleteCustomer,
    listCustomers: customers.listCustomers,

    async createDocument(draft) {
      const context = { contactPersonId: await firstUserId(), ids };
      if (draft.kind === 'quotation') {
        const saved = await client.request(
          { method: 'POST', path: '/Order/Factory/saveOrder', json: toVendorOrder(draft, context), idempotent: false },
          saveOrderResultSchema,
        );
        const ref = fromVendorOrder(await getOrder(saved.order.id));
        compareWithPrediction(draft, ref);
        return ref;
      }
      if (draft.fromQuotationId) {
        // sevDesk copies the order's positions and texts and sets the invoice's `origin` to it (SVS createInvoiceFromOrder);
        // the order's note (our reference) comes along, so findDocumentByReference finds the invoice too.
        const json = { order: { id: Number(draft.fromQuotationId), objectName: 'Order' }, type: 'percentage', amount: 0, partialType: 'RE' };
        const made = await client.request({ method: 'POST', path: '/Invoice/Factory/createInvoiceFromOrder', json, idempotent: false }, invoiceSchema);
        const ref = fromVendorInvoice(await getInvoice(made.id));
        log.info({ documentId: ref.id, quotationId: draft.fromQuotationId }, 'invoice created from quotation');
        return ref;
      }
      const body = toVendorInvoice(draft, context);
      if (draft.eInvoice)
        body.invoice = { ...(body.invoice as object), ...toVendorEInvoiceFields(await prepareEInvoiceContact(draft.customerId, draft.eInvoice), ids) };
      const saved = await client.request({ method: 'POST', path: '/Invoice/Factory/saveInvoice', json: body, idempotent: false }, saveInvoiceResultSchema);
      const ref = fromVendorInvoice(await getInvoice(saved.invoice.id));
      log.info({ documentId: ref.id }, 'invoice created');
      compareWithPrediction(draft, ref);
      return ref;
    },

    /** Our reference is in `customerInternalNote` (§7); see scanByNote. */
    async findDocumentByReference(reference, kind) {
      if (kind === 'quotation') {
        const order = await scanByNote(
          reference,
          async (query) => (await client.request({ method: 'GET', path: '/Order', query }, orderList)).objects,
          (o) => o.orderType === 'AN',
        );
        return order ? fromVendorOrder(order) : null;
      }
      // A cancellation invoice copies the note too; only the normal invoice is ours.
      const invoice = await scanByNote(
        reference,
        async (query) => (await client.request({ method: 'GET', path: '/Invoice', query }, invoiceList)).objects,
        (i) => i.invoiceType !== 'SR',
      );
      return invoice ? fromVendorInvoice(invoice) : null;
    },

    getDocument: getRef,

    /** `PUT /Invoice/{id}/sendBy` moves a draft to 200 and locks it; the number appears then (§2.5, §8.4). */
    async finalizeDocument(id, kind, known) {
      const current = known?.id === id ? known : await getRef(id, kind);
      if (current.status !== 'draft') return current;
      await client.send({ method: 'PUT', path: `${base(kind)}/${encodeURIComponent(id)}/sendBy`, json: { sendType: 'VPDF', sendDraft: false } });
      return getRef(id, kind);
    },

    /** Without `preventSendBy=true` sevDesk marks the invoice as sent (§2.5). */
    async fetchPdf(id, kind) {
      const query = { download: 'true', preventSendBy: 'true' };
      const pdf = await client.request({ method: 'GET', path: `${base(kind)}/${encodeURIComponent(id)}/getPdf`, query }, pdfSchema);
      return pdf.base64encoded ? Buffer.from(pdf.content, 'base64') : Buffer.from(pdf.content, 'binary');
    },

    async sendByEmail(id, kind, delivery) {
      onlyInvoices(kind);
      const json = { toEmail: delivery.to, subject: delivery.subject, text: delivery.message };
      await client.send({ method: 'POST', path: `/Invoice/${encodeURIComponent(id)}/sendViaEmail`, json, idempotent: false });
    },

    /** §2.6: 1000 paid with `payDate`; 750 partially paid; `paidAmount` against `sumGross` gives the open amount. */
    async getPayment(invoiceId): Promise<PaymentStatus> {
      const invoice = await getInvoice(invoiceId);
      const isPaid = invoice.status === '1000';
      const paid = invoice.paidAmount ?? (isPaid ? invoice.sumGross : '0');
      const status: PaymentStatus = { isPaid, openAmount: toMoneyString(dec(invoice.sumGross).minus(paid)) };
      const paidDate = isPaid ? fromVendorDate(invoice.payDate) : undefined;
      if (paidDate) status.paidDate = paidDate;
      return status;
    },

    /**
     * `POST /Invoice/{id}/cancelInvoice` makes a cancellation invoice (SR) that is paid at once and whose
     * `origin` is the invoice (SVS operationId cancelInvoice). Looked up first, so a repeat returns it.
     */
    async cancelInvoice(invoiceId) {
      const invoice = await getInvoice(invoiceId);
      const earlier = await findCancellation(invoice);
      const cancellation =
        earlier ??
        (await client.request({ method: 'POST', path: `/Invoice/${encodeURIComponent(invoiceId)}/cancelInvoice`, idempotent: false }, invoiceSchema));
      const ref = fromVendorInvoice(cancellation);
      if (!earlier) log.info({ documentId: invoiceId, cancellationId: ref.id }, 'invoice cancelled');
      return { kind: 'cancellation_invoice', id: ref.id, number: ref.number, date: ref.date };
    },
  };
  return provider;
};
