/** Lexware Office as an AccountingProvider: client + mapping, no HTTP of its own (STYLE.md "Provider adapters"). */
import { ProviderError } from '../errors';
import { dec } from '../../money/decimal';
import type {
  AccountingProvider,
  Customer,
  DocumentDraft,
  EInvoiceData,
  DocumentRef,
  DocumentTotals,
  FieldLimits,
  ProviderCapabilities,
  ProviderDeps,
  ProviderFactory,
} from '../provider';
import { createLexofficeClient, type LexofficeClient } from './client';
import { addDays, lexDateToDay, toLexDateTime } from './dates';
import { companiesOf, keepAsContactPerson, personsOf } from './contact-persons';
import { createLexofficeEInvoicing, eInvoiceContactUpdate } from './einvoice';
import { createLexofficeEvents } from './events';
import {
  defaultLexofficeMappingOptions,
  fromLexofficeContact,
  fromLexofficeVoucher,
  hasReference,
  toLexofficeContact,
  toLexofficeCreditNote,
  toLexofficeVoucher,
  toTotalsLines,
  type LexofficeMappingOptions,
} from './mapping';
import { lexofficeMoneyRules } from './money-rules';
import { computeLexofficeTotals, defaultLexofficeTotalsOptions, lexofficeRoundingChoices, type LexofficeTotalsOptions } from './totals';
import { readingsOf } from '../rounding';

export const lexofficeCapabilities: ProviderCapabilities = {
  quotations: true,
  invoiceFromQuotation: true, // POST /v1/invoices?precedingSalesVoucherId= (accounting.md §1.6)
  invoiceCancellation: 'credit_note', // POST /v1/credit-notes?precedingSalesVoucherId=<invoice>&finalize=true (accounting.md §1.6)
  emailDelivery: false, // no e-mail endpoint in either docs version (accounting.md §1.6, §8.1)
  paymentStatus: true, // GET /v1/payments/{id} (§1.7)
  customerDeletion: 'none', // no DELETE, `archived` read-only (§1.5)
  changeFeed: false, // no timestamp filter or timestamps on contacts (§1.5)
  webhooks: true, // /v1/event-subscriptions (§1.8)
  separateFinalize: false, // only `POST …?finalize=true` (§1.6)
  eInvoice: 'api', // XRechnung/ZUGFeRD, electronicDocumentProfile + /file (accounting.md §1.6)
  contactCompanyLink: true, // the company's `contactPersons` name the person by e-mail (contact-persons.ts, §1.5)
};

/**
 * Room our reference line takes at the end of `remark` (mapping.ts: "\n\n" + "Ref. " + reference).
 * References are `APIUP-<portalId>-<dealId>` with HubSpot's numeric ids (int64, at most 19 digits each),
 * so 2 + 5 + 45 characters; 64 leaves a margin.
 */
const remarkReferenceReserve = 64;

/**
 * What Lexware documents, each with its source; undefined where nothing is documented.
 * Customer fields: the contact tables limit only `salutation` (25) and `note` (1000), neither of which
 * we send; company name, first/last name, street, zip, city, e-mail, phone and VAT id carry no length
 * (docs2021 and docs2025 contact tables; community captures checked), and the customer number is
 * assigned by Lexware, never sent.
 */
export const lexofficeFieldLimits: FieldLimits = {
  document: {
    // API FAQ "text length limits" (23.05.2023, https://developers.lexware.io/docs/#faq): title 25.
    title: 25,
    // Same FAQ entry: introduction 2000.
    introduction: 2000,
    // Same FAQ entry: remark 2000, shared with our reference line (mapping.ts), hence the reserve.
    closingText: 2000 - remarkReferenceReserve,
    // paymentTermLabel: no limit documented.
    paymentTerms: undefined,
    // Same FAQ entry: line item name 255, description 2000.
    lineName: 255,
    lineDescription: 2000,
    // Change log 20.09.2023 (https://developers.lexware.io/docs/#changelog): at most 300 line items.
    maxLines: 300,
  },
  customer: {},
};

export interface LexofficeProviderOptions extends Partial<LexofficeMappingOptions> {
  /** The [U] totals rules (money.md §9), for the prediction we compare the vendor's totals with. */
  totals?: LexofficeTotalsOptions;
  /** How many days back `findDocumentByReference` scans the voucherlist (by creation date). */
  referenceLookbackDays?: number;
  /** Today as `YYYY-MM-DD` (tests). */
  today?: () => string;
  /**
   * Key that signs webhook deliveries: `lexofficePublicKeyPem` against Lexware, `sandbox.publicKeyPem`
   * against the sandbox. Without it the provider has no `events` and payments are only polled.
   */
  webhookPublicKeyPem?: string;
}

const pageSize = 250; // contacts and voucherlist allow 250 (accounting.md §1.4)

/** What Lexware holds exactly, with sources: money-rules.ts. */
export { lexofficeMoneyRules };

export function createLexofficeProviderWith(deps: ProviderDeps, options: LexofficeProviderOptions = {}): AccountingProvider {
  const client: LexofficeClient = createLexofficeClient(deps);
  const mapping: LexofficeMappingOptions = { ...defaultLexofficeMappingOptions, ...options };
  const log = deps.log.child({ provider: 'lexoffice' });
  const today = options.today ?? (() => new Date().toISOString().slice(0, 10));

  async function getDocument(id: string, kind: DocumentDraft['kind']): Promise<DocumentRef> {
    const voucher = kind === 'invoice' ? await client.getInvoice(id) : await client.getQuotation(id);
    return fromLexofficeVoucher(voucher, kind, mapping);
  }

  async function findCustomers(query: Parameters<AccountingProvider['findCustomers']>[0]): Promise<Customer[]> {
    // The name filter is a substring match needing ≥ 3 characters (§1.5); persons match on their name too.
    const term = query.kind === 'company' ? query.name : query.lastName.length >= 3 ? query.lastName : `${query.firstName} ${query.lastName}`;
    if (term.trim().length < 3) return [];
    const page = await client.listContacts({ name: term.trim(), customer: true, page: 0, size: pageSize });
    return page.content.filter((c) => (query.kind === 'company' ? c.company : c.person)).map(fromLexofficeContact);
  }

  function predictTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis'>): DocumentTotals {
    const p = computeLexofficeTotals(toTotalsLines(draft as DocumentDraft), draft.priceBasis === 'gross' ? 'gross' : 'net', options.totals);
    return { net: p.totalNetAmount.toFixed(2), tax: p.totalTaxAmount.toFixed(2), gross: p.totalGrossAmount.toFixed(2) };
  }

  /** After a person's write: the company asked for keeps the person as contact person where it can; else the company that does. */
  async function withCompany(customer: Customer, input: { kind: string; parentCompanyId?: string }): Promise<Customer> {
    if (customer.kind !== 'person') return customer;
    if (input.parentCompanyId && (await keepAsContactPerson(client, log, input.parentCompanyId, customer)))
      return { ...customer, parentCompanyId: input.parentCompanyId };
    const [parentCompanyId] = await companiesOf(client, customer);
    return parentCompanyId ? { ...customer, parentCompanyId } : customer;
  }

  /** Puts the XRechnung pair and the e-mail on the contact where it lacks them, so Lexware builds the e-invoice from it. */
  async function prepareEInvoiceContact(contactId: string, data: EInvoiceData): Promise<void> {
    const contact = await client.getContact(contactId);
    if (!contact) throw new ProviderError('not_found', `lexoffice contact ${contactId} not found`, { provider: 'lexoffice', status: 404 });
    const update = eInvoiceContactUpdate(contact, data);
    if (update) await client.updateContact(contactId, update);
  }

  return {
    predictTotals,
    id: 'lexoffice',
    capabilities: lexofficeCapabilities,
    fieldLimits: lexofficeFieldLimits,
    moneyRules: lexofficeMoneyRules,
    rounding: {
      choices: lexofficeRoundingChoices,
      readings: { discountRounding: options.totals?.discountRounding ?? defaultLexofficeTotalsOptions.discountRounding },
    },
    // German accounts only; the standard rate is 19 % (§ 12 (1) UStG) and Lexware accepts 0, 7, 19 for a current
    // date (docs FAQ "Valid tax rates", money.md LX-R6).
    defaultTaxRatePercent: '19',
    eInvoicing: createLexofficeEInvoicing(client),
    ...(options.webhookPublicKeyPem ? { events: createLexofficeEvents(deps, options.webhookPublicKeyPem) } : {}),

    async testConnection() {
      return { accountName: (await client.getProfile()).companyName };
    },

    findCustomers,

    async getCustomer(id) {
      const contact = await client.getContact(id);
      if (!contact) return null;
      const customer = fromLexofficeContact(contact);
      if (contact.company) {
        const personIds = await personsOf(client, contact);
        return personIds.length > 0 ? { ...customer, personIds } : customer;
      }
      const [parentCompanyId] = await companiesOf(client, customer);
      return parentCompanyId ? { ...customer, parentCompanyId } : customer;
    },

    async createCustomer(input) {
      const result = await client.createContact(toLexofficeContact(input, 0));
      // The create answer is a stub; the customer number is assigned by Lexware and only on the resource (§1.5).
      const contact = await client.getContact(result.id);
      if (!contact) throw new ProviderError('unexpected', 'lexoffice lost a contact it just created', { provider: 'lexoffice' });
      return withCompany(fromLexofficeContact(contact), input);
    },

    async updateCustomer(id, input, version) {
      if (version === undefined) throw new ProviderError('validation', 'lexoffice needs the contact version to update it', { provider: 'lexoffice' });
      // PUT replaces the whole contact (§1.5): start from the stored one so unmapped fields survive,
      // but send the caller's version so a change made since they read it is a conflict.
      const current = await client.getContact(id);
      if (!current) throw new ProviderError('not_found', `lexoffice contact ${id} not found`, { provider: 'lexoffice', status: 404 });
      const body = toLexofficeContact(input, version, current);
      const result = await client.updateContact(id, body);
      return withCompany({ ...fromLexofficeContact({ ...current, ...body, id, version: result.version } as typeof current), version: result.version }, input);
    },

    async deleteCustomer() {
      return 'unsupported';
    },

    async listCustomers(_sinceMs, page) {
      // No change feed (§1.5): every call is a full scan; the caller compares versions/hashes.
      const number = page ? Number(page) : 0;
      const result = await client.listContacts({ customer: true, page: number, size: pageSize });
      return { customers: result.content.map(fromLexofficeContact), nextPage: result.last ? undefined : String(number + 1) };
    },

    async createDocument(draft) {
      const body = toLexofficeVoucher(draft, mapping);
      if (draft.eInvoice) {
        await prepareEInvoiceContact(draft.customerId, draft.eInvoice);
        if (draft.eInvoice.buyerReference && draft.eInvoice.vendorNumberAtCustomer) body.xRechnung = { buyerReference: draft.eInvoice.buyerReference };
      }
      const result = await client.createVoucher(draft.kind, body, draft.finalize, draft.kind === 'invoice' ? draft.fromQuotationId : undefined);
      const document = await getDocument(result.id, draft.kind);
      const predicted = predictTotals(draft);
      if (predicted.gross !== document.totals.gross) {
        // money.md §1.3: the vendor's figures win; a difference means a rule in totals.ts is wrong.
        log.warn({ documentId: document.id, predictedGross: predicted.gross, vendorGross: document.totals.gross }, 'vendor totals differ from prediction');
      }
      return document;
    },

    async findDocumentByReference(reference, kind, hint) {
      // No external-id field exists: scan recent vouchers newest first and look for our remark line (§7);
      // with the customer known, only that customer's vouchers are read.
      const createdDateFrom = addDays(today(), -(options.referenceLookbackDays ?? 7));
      const contactId = hint?.customerId;
      for (let page = 0; ; page++) {
        const list = await client.listVouchers({
          voucherType: kind,
          voucherStatus: 'any',
          createdDateFrom,
          sort: 'createdDate,DESC',
          page,
          size: pageSize,
          ...(contactId ? { contactId } : {}),
        });
        for (const row of list.content) {
          if (contactId && row.contactId && row.contactId !== contactId) continue;
          const voucher = kind === 'invoice' ? await client.getInvoice(row.id) : await client.getQuotation(row.id);
          if (hasReference(voucher.remark, reference)) return fromLexofficeVoucher(voucher, kind, mapping);
        }
        if (list.last) return null;
      }
    },

    getDocument,

    async finalizeDocument(id, kind) {
      const document = await getDocument(id, kind);
      if (document.status !== 'draft') return document;
      throw new ProviderError('validation', 'lexoffice finalizes only at creation (draft.finalize); this draft must be finalized in the web app', {
        provider: 'lexoffice',
      });
    },

    async fetchPdf(id, kind) {
      return client.downloadFile(kind, id);
    },

    async sendByEmail() {
      throw new ProviderError('validation', 'lexoffice has no API to e-mail documents (capabilities.emailDelivery = false)', { provider: 'lexoffice' });
    },

    /**
     * A credit note pursued from the invoice over all its lines, finalized (paid off at once). The invoice's
     * `relatedVouchers` name a credit note an earlier attempt made, so a repeat returns that one.
     */
    async cancelInvoice(invoiceId, input) {
      const invoice = await client.getInvoice(invoiceId);
      const earlier = invoice.relatedVouchers?.find((v) => v.voucherType === 'creditnote');
      if (earlier) {
        const note = await client.getCreditNote(earlier.id);
        return { kind: 'credit_note', id: note.id, number: note.voucherNumber, date: lexDateToDay(note.voucherDate) };
      }
      const made = await client.createCreditNote(toLexofficeCreditNote(invoice, toLexDateTime(input.date), input.reason), invoiceId);
      const note = await client.getCreditNote(made.id);
      log.info({ documentId: invoiceId, creditNoteId: note.id }, 'invoice cancelled by credit note');
      return { kind: 'credit_note', id: note.id, number: note.voucherNumber, date: lexDateToDay(note.voucherDate) };
    },

    async getPayment(invoiceId) {
      try {
        const payment = await client.getPayment(invoiceId);
        const isPaid = payment.voucherStatus === 'paid' || payment.voucherStatus === 'paidoff';
        return {
          isPaid,
          paidDate: isPaid && payment.paidDate ? payment.paidDate.slice(0, 10) : undefined,
          openAmount: payment.openAmount === undefined ? undefined : dec(String(payment.openAmount)).toFixed(2),
        };
      } catch (error) {
        // Drafts answer 406 here; that is expected, not a fault (§1.7).
        if (error instanceof ProviderError && error.kind === 'validation' && error.detail.status === 406) return { isPaid: false };
        throw error;
      }
    },
  };
}

/** With a webhook public key (Lexware's, or a sandbox's), payment events are verified and used. */
export const createLexofficeProvider: ProviderFactory = (deps) => {
  const readings = readingsOf(lexofficeRoundingChoices, deps.rounding);
  const discountRounding = readings.discountRounding === 'discountFirst' ? 'discountFirst' : 'discountedLine';
  return createLexofficeProviderWith(deps, { webhookPublicKeyPem: deps.webhookPublicKeyPem, totals: { discountRounding } });
};
