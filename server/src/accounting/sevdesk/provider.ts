/**
 * sevDesk as an AccountingProvider (accounting.md §2, money.md §4). Puts client, mapping and totals
 * together; no HTTP or vendor JSON of its own beyond choosing the calls.
 */
import { ProviderError } from '../errors';
import type { AccountingProvider, Customer, DocumentDraft, EInvoiceData, DocumentRef, DocumentTotals, FieldLimits, MoneyRules, PaymentStatus, ProviderCapabilities, ProviderFactory } from '../provider';
import { dec, toMoneyString } from '../../money/decimal';
import { createSevdeskClient, sevdeskPageSize } from './client';
import { createSevdeskCustomers } from './customers';
import { createSevdeskEInvoicing } from './einvoice';
import { defaultSevdeskAccountIds, fromVendorDate, fromVendorInvoice, fromVendorStatus, toVendorEInvoiceFields, toVendorInvoice } from './mapping';
import { invoiceSchema, objectsList, pdfSchema, saveInvoiceResultSchema, sevClientListSchema, sevdeskCredentialsSchema, sevUserListSchema } from './schemas';
import { computeSevdeskTotals } from './totals';

export const sevdeskCapabilities: ProviderCapabilities = {
  quotations: false, // sevDesk has them (`/Order`, orderType AN); not built in this connector yet
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

/** Upper bound on pages scanned by `findDocumentByReference` if sevDesk ignores the filter. */
const maxReferencePages = 50;

/** sevDesk `Model_InvoicePos` (https://api.sevdesk.de/): quantity/price are floats with no documented limit; invoice.showNet=false is the gross mode; any ISO 4217 currency. Decimal limits and negative lines: to settle (issue 12). */
export const sevdeskMoneyRules: MoneyRules = { unitPriceDecimals: 4, quantityDecimals: 4, discountPercentDecimals: 2, currencies: 'any', grossPrices: true, negativeLines: false };

export const createsevdeskProvider: ProviderFactory = (deps) => {
  const { apiToken } = sevdeskCredentialsSchema.parse(deps.credentials);
  const log = deps.log.child({ provider: 'sevdesk' });
  const client = createSevdeskClient({ ...deps, apiToken, log });
  const ids = defaultSevdeskAccountIds;
  const customers = createSevdeskCustomers(client, ids, log);
  let contactPersonId: Promise<string> | undefined;

  function onlyInvoices(kind: DocumentDraft['kind']): void {
    if (kind !== 'invoice') throw new ProviderError('validation', 'quotations are not supported for sevDesk yet', { provider: 'sevdesk' });
  }

  /** §2.4: `contactPerson` must be a sevDesk user; the first user of the account, asked once. */
  function firstUserId(): Promise<string> {
    contactPersonId ??= client.request({ method: 'GET', path: '/SevUser' }, sevUserListSchema).then((users) => {
      const first = users.objects[0];
      if (!first) throw new ProviderError('unexpected', 'sevDesk account has no user to act as contact person', { provider: 'sevdesk' });
      return first.id;
    });
    contactPersonId.catch(() => (contactPersonId = undefined));
    return contactPersonId;
  }

  async function getInvoice(id: string) {
    const found = await client.request({ method: 'GET', path: `/Invoice/${encodeURIComponent(id)}` }, invoiceList);
    const invoice = found.objects[0];
    if (!invoice) throw new ProviderError('not_found', `sevDesk invoice ${id} not found`, { provider: 'sevdesk', status: 200 });
    return invoice;
  }

  function predictTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis'>): DocumentTotals {
    const predicted = computeSevdeskTotals({
      showNet: draft.priceBasis === 'net',
      positions: draft.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice, taxRate: l.taxRatePercent, discountPercent: l.discountPercent })),
    });
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
    if (data.buyerReference) await client.send({ method: 'PUT', path: `/Contact/${encodeURIComponent(customerId)}`, json: { buyerReference: data.buyerReference } });
    if (!customer.email && data.email) return customers.updateCustomer(customerId, { ...customer, email: data.email });
    return customer;
  }

  const provider: AccountingProvider = {
    predictTotals,
    id: 'sevdesk',
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
      onlyInvoices(draft.kind);
      const body = toVendorInvoice(draft, { contactPersonId: await firstUserId(), ids });
      if (draft.eInvoice) body.invoice = { ...(body.invoice as object), ...toVendorEInvoiceFields(await prepareEInvoiceContact(draft.customerId, draft.eInvoice), ids) };
      const saved = await client.request({ method: 'POST', path: '/Invoice/Factory/saveInvoice', json: body, idempotent: false }, saveInvoiceResultSchema);
      const ref = fromVendorInvoice(await getInvoice(saved.invoice.id));
      log.info({ documentId: ref.id }, 'invoice created');
      compareWithPrediction(draft, ref);
      return ref;
    },

    /**
     * `GET /Invoice?customerIntenalNote=` (the filter is spelled so in SVS; which spelling the API
     * honours is UNCONFIRMED, §7). The note is compared here too, and pages are walked, so an
     * ignored filter costs time, not correctness. The oldest match wins.
     */
    async findDocumentByReference(reference, kind) {
      onlyInvoices(kind);
      for (let page = 0; page < maxReferencePages; page++) {
        const query = { customerIntenalNote: reference, limit: sevdeskPageSize, offset: page * sevdeskPageSize };
        const found = await client.request({ method: 'GET', path: '/Invoice', query }, invoiceList);
        const matches = found.objects.filter((i) => i.customerInternalNote === reference).sort((a, b) => Number(a.id) - Number(b.id));
        if (matches.length > 1) log.warn({ reference, documentIds: matches.map((m) => m.id) }, 'several invoices carry one reference');
        if (matches[0]) return fromVendorInvoice(matches[0]);
        if (found.objects.length < sevdeskPageSize) return null;
      }
      return null;
    },

    async getDocument(id, kind) {
      onlyInvoices(kind);
      return fromVendorInvoice(await getInvoice(id));
    },

    /** `PUT /Invoice/{id}/sendBy` moves a draft to 200 and locks it; the number appears then (§2.5, §8.4). */
    async finalizeDocument(id, kind) {
      onlyInvoices(kind);
      const invoice = await getInvoice(id);
      if (fromVendorStatus(invoice.status) !== 'draft') return fromVendorInvoice(invoice);
      await client.send({ method: 'PUT', path: `/Invoice/${encodeURIComponent(id)}/sendBy`, json: { sendType: 'VPDF', sendDraft: false } });
      return fromVendorInvoice(await getInvoice(id));
    },

    /** Without `preventSendBy=true` sevDesk marks the invoice as sent (§2.5). */
    async fetchPdf(id, kind) {
      onlyInvoices(kind);
      const query = { download: 'true', preventSendBy: 'true' };
      const pdf = await client.request({ method: 'GET', path: `/Invoice/${encodeURIComponent(id)}/getPdf`, query }, pdfSchema);
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
  };
  return provider;
};


/** Same factory, in the casing of STYLE.md's registry example. */
export const createSevdeskProvider = createsevdeskProvider;
