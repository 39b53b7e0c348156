/** Qonto as an AccountingProvider: client invoices and clients of the Business API (accounting.md §4). */
import { createHash, randomUUID } from 'node:crypto';
import { accountDataOf } from '../account-data';
import { ProviderError, isProviderError } from '../errors';
import { backoffMs, fingerprint } from '../http';
import type {
  AccountingProvider,
  CustomerInput,
  DocumentDraft,
  DocumentRef,
  FieldLimits,
  ProviderCapabilities,
  ProviderDeps,
  ProviderFactory,
} from '../provider';
import { sleep } from '../../lib/rate-limit';
import { createQontoEvents } from './events';
import { createQontoClient } from './client';
import { qontoMoneyRules } from './money-rules';
import { readingsOf } from '../rounding';
import { qontoRoundingChoices } from './totals';
import {
  customerQueryName,
  defaultQontoMappingOptions,
  fromVendorClient,
  fromVendorInvoice,
  fromVendorPayment,
  fromVendorQuote,
  predictTotals,
  quoteReferenceLine,
  toVendorClient,
  toVendorInvoice,
  toVendorQuote,
  type QontoMappingOptions,
} from './mapping';
import {
  qontoAttachmentResponseSchema,
  qontoClientListSchema,
  qontoClientResponseSchema,
  qontoCredentialsSchema,
  qontoCreditNoteListSchema,
  qontoCreditNoteResponseSchema,
  qontoQuoteListSchema,
  qontoQuoteResponseSchema,
  qontoInvoiceListSchema,
  qontoInvoiceResponseSchema,
  qontoOrganizationResponseSchema,
  type QontoInvoice,
} from './schemas';

export const qontoCapabilities: ProviderCapabilities = {
  // POST /v2/quotes (docs: quotes/create-a-quote); an invoice takes the quote's `quote_id` (create-a-client-invoice).
  quotations: true,
  invoiceFromQuotation: true,
  // POST /v2/credit_notes for the full amount cancels the invoice (docs: credit-notes/create-a-credit-note).
  invoiceCancellation: 'credit_note',
  emailDelivery: true,
  paymentStatus: true,
  customerDeletion: 'delete',
  // `filter[updated_at_from]` on GET /v2/clients (QD list-clients; accounting.md §4.3 had it UNCONFIRMED).
  changeFeed: true,
  webhooks: true,
  separateFinalize: true,
  eInvoice: 'automatic', // Factur-X embedded at finalize for French accounts with e-invoicing on (https://docs.qonto.com/guides/invoicing/factur-x)
  contactCompanyLink: false, // a client is one of kind company | individual | freelancer and names no other client (docs.qonto.com/api-reference/business-api/clients/create-a-client.md, docs.qonto.com/mcp/tools/clients.md; accounting.md §4.3)
};

/**
 * Limits shown as `maxLength` in the body tables of https://docs.qonto.com/api-reference/business-api/clients/create-a-client
 * and …/clients/update-a-client: `name` 250, `first_name` 60, `last_name` 60, `vat_number` 20, and on the
 * deprecated root fields that `billing_address` replaces, `address` (street) 250 and `city` 50.
 * Not documented in any copy we could read, so left open: `zip_code`, `email`, `phone`; the invoice's
 * `header`, `footer`, `terms_and_conditions`, item `title` and `description`, and the number of items
 * (…/client-invoices/create-a-client-invoice shows no limit). Qonto has no invoice title field (the
 * mapping puts our title into `header`) and no customer number.
 */
export const qontoFieldLimits: FieldLimits = {
  document: {},
  customer: { companyName: 250, firstName: 60, lastName: 60, street: 250, city: 50, vatId: 20 },
};

const pageSize = 100;
/** §4.4: the PDF is rendered asynchronously after finalize, `attachment_id` can be null for a while. */
const pdfPollAttempts = 6;

export { qontoMoneyRules };

/** A factory with non-default money/mapping options (the UNCONFIRMED rules of money.md §6.2). */
export function createQontoProviderWith(options: Partial<QontoMappingOptions> = {}): ProviderFactory {
  return (deps: ProviderDeps): AccountingProvider => {
    // The portal's reading of the unsettled discount rule (invoice setting `roundingRules.qonto`); explicit options win.
    const chosen = readingsOf(qontoRoundingChoices, deps.rounding).discountRounding === 'roundNet' ? 'roundNet' : 'roundDiscount';
    return buildProvider(deps, { ...defaultQontoMappingOptions, discountRounding: chosen, ...options });
  };
}

export const createQontoProvider: ProviderFactory = createQontoProviderWith();

function buildProvider(deps: ProviderDeps, mapping: QontoMappingOptions): AccountingProvider {
  const credentials = qontoCredentialsSchema.parse(deps.credentials);
  const api = createQontoClient(deps, credentials);
  const log = deps.log.child({ provider: 'qonto' });
  const account = accountDataOf(deps.accountData, `qonto:${fingerprint(`${credentials.login}:${credentials.secretKey}`)}`);

  const getInvoice = async (id: string) => (await api.get(`/v2/client_invoices/${enc(id)}`, qontoInvoiceResponseSchema)).client_invoice;

  async function organizationIban(): Promise<string> {
    if (credentials.iban) return credentials.iban;
    return account.get('main-iban', async () => {
      const { organization } = await api.get('/v2/organization', qontoOrganizationResponseSchema);
      const main = organization.bank_accounts.find((a) => a.main) ?? organization.bank_accounts[0];
      if (!main) throw new ProviderError('validation', 'the Qonto organisation has no bank account to print on invoices', { provider: 'qonto' });
      return main.iban;
    });
  }

  function requireInvoice(kind: DocumentDraft['kind']): void {
    if (kind !== 'invoice') throw new ProviderError('validation', 'qonto: quotes are not e-mailed through the API', { provider: 'qonto' });
  }

  const getQuote = async (id: string) => api.get(`/v2/quotes/${enc(id)}`, qontoQuoteResponseSchema);

  /** Quotes have no `purchase_order`: our reference is the last line of their terms (mapping.ts toVendorQuote). */
  async function findQuote(reference: string): Promise<DocumentRef | null> {
    const line = quoteReferenceLine(reference);
    for (let page = 1; ; page++) {
      const { quotes, meta } = await api.get('/v2/quotes', qontoQuoteListSchema, { page, per_page: pageSize });
      const match = quotes.find((q) => q.terms_and_conditions?.split('\n').includes(line));
      if (match) return fromVendorQuote(match);
      if (!meta.next_page) return null;
    }
  }

  async function finalize(id: string, known?: DocumentRef): Promise<DocumentRef> {
    const current = known?.id === id ? known : fromVendorInvoice(await getInvoice(id));
    if (current.status !== 'draft') return current;
    // Keyed per invoice, so a resend after a dropped answer is recognised by Qonto (§4.1).
    try {
      const { client_invoice } = await api.send(
        { method: 'POST', path: `/v2/client_invoices/${enc(id)}/finalize`, headers: idempotency(`finalize:${id}`), idempotent: true },
        qontoInvoiceResponseSchema,
      );
      return fromVendorInvoice(client_invoice);
    } catch (error) {
      // A resend whose first attempt did finalize (answer lost) is refused as "already finalized"
      // where the key is not honoured for this call: the invoice is what we wanted.
      if (!(error instanceof ProviderError) || error.kind !== 'validation') throw error;
      const after = await getInvoice(id);
      if (after.status === 'draft') throw error;
      return fromVendorInvoice(after);
    }
  }

  async function attachmentIdOf(id: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const invoice = await getInvoice(id);
      if (invoice.status === 'draft') throw new ProviderError('validation', 'qonto renders a PDF only for a finalized invoice', { provider: 'qonto' });
      if (invoice.attachment_id) return invoice.attachment_id;
      if (attempt >= pdfPollAttempts) throw new ProviderError('unavailable', 'qonto has not rendered the invoice PDF yet', { provider: 'qonto' });
      await sleep(backoffMs(attempt));
    }
  }

  function compareWithPrediction(draft: DocumentDraft, invoice: QontoInvoice, ref: DocumentRef): void {
    const predicted = predictTotals(draft, mapping);
    if (predicted.gross !== ref.totals.gross || predicted.tax !== ref.totals.tax) {
      log.warn({ documentId: invoice.id, predicted, actual: ref.totals }, 'vendor totals differ from prediction');
    }
  }

  return {
    id: 'qonto',
    capabilities: qontoCapabilities,
    fieldLimits: qontoFieldLimits,
    moneyRules: qontoMoneyRules,
    rounding: { choices: qontoRoundingChoices, readings: { discountRounding: mapping.discountRounding } },
    // UNCONFIRMED per account: Qonto keeps French, German, Italian and Spanish businesses (money.md Q-R5: FR 20,
    // DE 19, IT 22, ES 21) and the organization answer used here names no VAT country; the app is sold to German
    // sellers, so 19 % is the default and a portal elsewhere sets its own rate.
    defaultTaxRatePercent: '19',
    events: createQontoEvents(api),
    predictTotals: (draft) => predictTotals(draft, mapping),

    async testConnection() {
      const { organization } = await api.get('/v2/organization', qontoOrganizationResponseSchema);
      return { accountName: organization.legal_name ?? organization.slug };
    },

    async findCustomers(query) {
      const name = customerQueryName(query);
      // QD list-clients: the name filter needs at least 2 characters.
      if (name.length < 2) return [];
      const { clients } = await api.get('/v2/clients', qontoClientListSchema, { 'filter[name]': name, per_page: pageSize });
      return clients.map(fromVendorClient).filter((c) => c.kind === query.kind);
    },

    async getCustomer(id) {
      try {
        return fromVendorClient((await api.get(`/v2/clients/${enc(id)}`, qontoClientResponseSchema)).client);
      } catch (error) {
        if (isProviderError(error) && error.kind === 'not_found') return null;
        throw error;
      }
    },

    async createCustomer(input: CustomerInput) {
      const { client } = await api.send(
        { method: 'POST', path: '/v2/clients', json: toVendorClient(input), headers: idempotency(randomUUID()) },
        qontoClientResponseSchema,
      );
      return fromVendorClient(client);
    },

    // Qonto has no optimistic locking (accounting.md §7): `version` is ignored; PATCH is a partial update.
    async updateCustomer(id, input) {
      const { client } = await api.send(
        { method: 'PATCH', path: `/v2/clients/${enc(id)}`, json: toVendorClient(input), headers: idempotency(randomUUID()), idempotent: true },
        qontoClientResponseSchema,
      );
      return fromVendorClient(client);
    },

    async deleteCustomer(id) {
      try {
        await api.call({ method: 'DELETE', path: `/v2/clients/${enc(id)}` });
      } catch (error) {
        if (!(isProviderError(error) && error.kind === 'not_found')) throw error;
      }
      return 'deleted';
    },

    async listCustomers(sinceMs, page) {
      const query =
        sinceMs === null ? { sort_by: 'created_at:asc' } : { 'filter[updated_at_from]': new Date(sinceMs).toISOString(), sort_by: 'updated_at:asc' };
      const { clients, meta } = await api.get('/v2/clients', qontoClientListSchema, { ...query, page: page ?? '1', per_page: pageSize });
      return { customers: clients.map(fromVendorClient), nextPage: meta.next_page ? String(meta.next_page) : undefined };
    },

    async createDocument(draft) {
      if (draft.kind === 'quotation') {
        const quote = await api.send(
          { method: 'POST', path: '/v2/quotes', json: toVendorQuote(draft, mapping), headers: idempotency(`quote:${draft.reference}`) },
          qontoQuoteResponseSchema,
        );
        log.info({ documentId: quote.id }, 'quote created');
        return fromVendorQuote(quote);
      }
      const body = { ...toVendorInvoice(draft, await organizationIban(), mapping), ...(draft.fromQuotationId ? { quote_id: draft.fromQuotationId } : {}) };
      // Not retried by the transport (POST): after `unavailable` the caller reconciles by reference.
      const { client_invoice: created } = await api.send(
        { method: 'POST', path: '/v2/client_invoices', json: body, headers: idempotency(`create:${draft.reference}`) },
        qontoInvoiceResponseSchema,
      );
      const invoice = await getInvoice(created.id);
      const ref = fromVendorInvoice(invoice);
      compareWithPrediction(draft, invoice, ref);
      log.info({ documentId: invoice.id }, 'invoice created');
      return draft.finalize ? finalize(invoice.id, ref) : ref;
    },

    async findDocumentByReference(reference, kind) {
      if (kind === 'quotation') return findQuote(reference);
      // No documented filter on purchase_order: page through the list (§4.4).
      for (let page = 1; ; page++) {
        const { client_invoices, meta } = await api.get('/v2/client_invoices', qontoInvoiceListSchema, { page, per_page: pageSize });
        const match = client_invoices.find((i) => i.purchase_order === reference);
        if (match) return fromVendorInvoice(match);
        if (!meta.next_page) return null;
      }
    },

    async getDocument(id, kind) {
      return kind === 'quotation' ? fromVendorQuote(await getQuote(id)) : fromVendorInvoice(await getInvoice(id));
    },

    /** A quote has no draft state: it is `pending_approval` (open) from creation (docs: quotes). */
    async finalizeDocument(id, kind, known) {
      return kind === 'quotation' ? fromVendorQuote(await getQuote(id)) : finalize(id, known);
    },

    async fetchPdf(id, kind) {
      const attachmentId = kind === 'quotation' ? (await getQuote(id)).attachment_id : await attachmentIdOf(id);
      if (!attachmentId) throw new ProviderError('unavailable', 'qonto has not rendered the quote PDF yet', { provider: 'qonto' });
      const { attachment } = await api.get(`/v2/attachments/${enc(attachmentId)}`, qontoAttachmentResponseSchema);
      const pdf = await api.download(attachment.url);
      if (pdf.subarray(0, 4).toString('latin1') !== '%PDF') throw new ProviderError('unexpected', 'qonto attachment is not a PDF', { provider: 'qonto' });
      return pdf;
    },

    async sendByEmail(id, kind, delivery) {
      requireInvoice(kind);
      // §4.4: the body is required (an empty one is a 422 `invalid_body: EOF`).
      await api.call({
        method: 'POST',
        path: `/v2/client_invoices/${enc(id)}/send`,
        json: { send_to: [delivery.to], email_title: delivery.subject, email_body: delivery.message, copy_to_self: false },
        headers: idempotency(randomUUID()),
      });
    },

    async getPayment(invoiceId) {
      return fromVendorPayment(await getInvoice(invoiceId));
    },

    /**
     * A credit note over the whole invoice: its items copied (positive quantities, Qonto negates them), so
     * Qonto cancels the invoice (docs: credit-notes/create-a-credit-note). A credit note an earlier attempt
     * made is found first in GET /v2/credit_notes, so a repeat makes none.
     */
    async cancelInvoice(invoiceId, input) {
      const earlier = await findCreditNote(invoiceId);
      if (earlier) return { kind: 'credit_note', id: earlier.id, number: earlier.number ?? undefined, date: earlier.issue_date ?? undefined };
      const invoice = await getInvoice(invoiceId);
      if (invoice.status === 'canceled') return { kind: 'status' };
      const items = invoice.items.map((item) => ({
        title: item.title,
        ...(item.description ? { description: item.description } : {}),
        quantity: item.quantity,
        ...(item.unit ? { unit: item.unit } : {}),
        unit_price: { value: item.unit_price.value, currency: item.unit_price.currency },
        vat_rate: item.vat_rate,
        ...(item.vat_exemption_reason ? { vat_exemption_reason: item.vat_exemption_reason } : {}),
        ...(item.discount ? { discount: { type: item.discount.type, value: item.discount.value } } : {}),
      }));
      const json = { invoice_id: invoiceId, issue_date: input.date, reason: input.reason.slice(0, 500), currency: invoice.currency, items };
      const { credit_note: made } = await api.send(
        { method: 'POST', path: '/v2/credit_notes', json, headers: idempotency(`cancel:${invoiceId}`) },
        qontoCreditNoteResponseSchema,
      );
      log.info({ documentId: invoiceId, creditNoteId: made.id }, 'invoice cancelled by credit note');
      return { kind: 'credit_note', id: made.id, number: made.number ?? undefined, date: made.issue_date ?? undefined };
    },
  };

  /** The oldest credit note of the invoice, walking GET /v2/credit_notes (no documented invoice filter). */
  async function findCreditNote(invoiceId: string) {
    for (let page = 1; page <= 50; page++) {
      const list = await api.get('/v2/credit_notes', qontoCreditNoteListSchema, { page, per_page: 100 });
      const found = list.credit_notes.find((c) => c.invoice_id === invoiceId);
      if (found) return found;
      if (!list.meta.next_page) return null;
    }
    return null;
  }
}

/** `X-Qonto-Idempotency-Key` (§4.1); Qonto keeps keys 30 minutes (QD business-accounts create). */
function idempotency(seed: string): Record<string, string> {
  const hex = createHash('sha256').update(seed).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return { 'x-qonto-idempotency-key': uuid };
}

const enc = encodeURIComponent;
