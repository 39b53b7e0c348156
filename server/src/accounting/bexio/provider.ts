/** The bexio AccountingProvider: client + mapping + totals, no HTTP or SQL of its own (accounting.md §3). */
import { ProviderError } from '../errors';
import { accountDataOf } from '../account-data';
import { fingerprint } from '../http';
import type {
  AccountingProvider,
  Customer,
  DocumentDraft,
  DocumentRef,
  FieldLimits,
  ProviderCapabilities,
  ProviderDeps,
  ProviderFactory,
  MoneyRules,
} from '../provider';
import { dec, roundHalfUp, toMoneyString } from '../../money/decimal';
import { bexioMaxPageSize, createBexioClient } from './client';
import { searchContactsByName } from './customers';
import { checkMoneyRules, contactType, formatBexioTimestamp, fromBexioContact, fromBexioDocument, toBexioContact, toBexioDocument } from './mapping';
import { createLookups } from './lookups';
import { allParents, linkPersonToCompany, parentsOf, personsWithRelationsChangedSince } from './relations';
import { bexioRoundingChoices, computeBexioTotals, minorUnits, minorUnitStep, type BexioPrecision } from './totals';
import { readingsOf } from '../rounding';
import { bexioCredentialsSchema, type BexioContact, type BexioDocument } from './schemas';

export const bexioCapabilities: ProviderCapabilities = {
  quotations: true, // /2.0/kb_offer mirrors kb_invoice (BXD §Quotes)
  invoiceFromQuotation: true, // POST /2.0/kb_offer/{id}/invoice (client.ts invoiceFromQuote)
  invoiceCancellation: 'status', // POST /2.0/kb_invoice/{id}/cancel → status 19, no separate document (spec v2CancelInvoice)
  emailDelivery: true, // POST …/send (§3.4)
  paymentStatus: true, // kb_item_status_id 9 + GET …/payment (§3.4)
  customerDeletion: 'archive', // DELETE marks the contact deleted, still visible with a filter (§3.3)
  changeFeed: true, // POST /2.0/contact/search on updated_at (§3.2)
  webhooks: false, // none documented (§3.5)
  separateFinalize: true, // POST …/issue (§3.4)
  eInvoice: 'not_supported', // no structured e-invoice in the API; the Swiss QR-bill is bexio's own part of the PDF (read-only `qr_invoice_id`, server/specs/bexio), set up with the account's QR-IBAN (UNCONFIRMED through the API)
  contactCompanyLink: true, // a contact relation, company `contact_id` ↔ person `contact_sub_id` (relations.ts)
};

/**
 * bexio documents one limit on what we send: "Recommendation: use a maximum of 150 positions when
 * creating sales documents. Other positions can be added using the item creation endpoint."
 * (https://docs.bexio.com/#tag/Invoices/operation/v2CreateInvoice, quoted in mathewmeconry/bexio PR #90,
 * 2026-04-27: creates above it can answer 500 after writing part of the document, with no id).
 * No length limit is documented for `title`, `header` (introduction), `footer` (closing text and
 * payment terms), position `text` (name and description share it) or any contact field (`name_1`,
 * `name_2`, `street_name`, `postcode`, `city`, `mail`, `phone_fixed`, `nr`): neither the docs.bexio.com
 * text of 2024 (gigerIT/bexio-api-client@d56c2e31 `docs/Bexio API Description.md`) nor bexio's
 * OpenAPI 3.0.2 contact export (server/specs/bexio, from tricktron/bexio-mcp) gives a maxLength for
 * them, and bexio contacts have no VAT id field. Those stay undefined.
 */
export const bexioFieldLimits: FieldLimits = {
  document: { maxLines: 150 },
  customer: {},
};

export interface BexioProviderOptions {
  /** Which reading of the UNCONFIRMED precision rule predicts totals (money.md BX-R3); default 'docs'. */
  precision?: BexioPrecision;
}

/** Customers per `listCustomers` page (bexio's default `limit`, §3.2). */
const customerPageSize = 500;

/**
 * What bexio holds exactly (docs/reference/money.md §5, issue 12):
 * - `unit_price` and `amount` (quantity): 6 decimals. The docs' samples print "3.560000" / "5.000000"
 *   (https://docs.bexio.com/#tag/Invoices, saved copy gigerIT/bexio-api-client@d56c2e31
 *   `docs/Bexio API Description.md`), and a live company reads back "100.000000" / "1.000000"
 *   (codebar-ag/laravel-bexio@b68256a4 `tests/Fixtures/Saloon/Invoices/fetch-an-invoice.json`, 2026-06-18).
 * - `discount_in_percent`: 4 decimals. The same live read-back prints "0.0000" (the 2024 docs sample
 *   "0.000000" is older); a fifth decimal would not survive, so drafts with more are refused before sending.
 * - Currencies: per account, `GET /3.0/currencies` (defaults CHF, EUR, USD, GBP; the live company also
 *   lists BRL and CNY, same fixture set `fetch-a-list-of-currencies.json`), so `any` here and the account's
 *   list decides at creation; a currency whose `round_factor` is finer than its ISO 4217 minor unit
 *   (JPY with 0.01) is refused, since bexio would print fractions the currency does not have.
 * - Gross prices: `mwst_type` 0 with `mwst_is_net` false, "Taxes are included in the total" (docs, Invoice).
 * - Negative lines: the spec puts no minimum on `unit_price`/`amount`, but neither the docs nor any recorded
 *   answer show a negative position, and bexio books credits as separate credit vouchers
 *   (`total_credit_vouchers`, `kb_credit_voucher_id` on payments). Unconfirmed, so they are refused.
 */
export const bexioMoneyRules: MoneyRules = {
  unitPriceDecimals: 6,
  quantityDecimals: 6,
  discountPercentDecimals: 4,
  currencies: 'any',
  grossPrices: true,
  negativeLines: false,
};

export const createBexioProvider: ProviderFactory = (deps) =>
  buildBexioProvider(deps, { precision: readingsOf(bexioRoundingChoices, deps.rounding).precision === 'cent-positions' ? 'cent-positions' : 'docs' });

export function buildBexioProvider(deps: ProviderDeps, options: BexioProviderOptions = {}): AccountingProvider {
  const client = createBexioClient(deps);
  const lookups = createLookups(client, accountDataOf(deps.accountData, `bexio:${fingerprint(bexioCredentialsSchema.parse(deps.credentials).accessToken)}`));
  const log = deps.log.child({ provider: 'bexio' });

  const toCustomer = async (contact: BexioContact, parents?: Map<string, string>): Promise<Customer> => {
    const customer = fromBexioContact(contact, await lookups.countryCodeOf());
    const parentCompanyId = customer.kind === 'person' ? parents?.get(customer.id) : undefined;
    return parentCompanyId ? { ...customer, parentCompanyId } : customer;
  };
  /** Customers with each person's company (one relation search for all persons of the batch). */
  const toCustomers = async (contacts: BexioContact[], parents?: Map<string, string>): Promise<Customer[]> => {
    const persons = contacts.filter((c) => c.contact_type_id === contactType.person).map((c) => String(c.id));
    const known = parents ?? (persons.length > 0 ? await parentsOf(client, persons) : new Map<string, string>());
    return Promise.all(contacts.map((c) => toCustomer(c, known)));
  };
  /** After a write: the company asked for becomes the person's (a relation), else the one bexio has stays. */
  async function withCompany(contact: BexioContact, input: { kind: string; parentCompanyId?: string }): Promise<Customer> {
    if (input.kind === 'person' && input.parentCompanyId) {
      await linkPersonToCompany(client, String(contact.id), input.parentCompanyId);
      return toCustomer(contact, new Map([[String(contact.id), input.parentCompanyId]]));
    }
    return (await toCustomers([contact]))[0];
  }
  const toRef = async (doc: BexioDocument, kind: DocumentDraft['kind']): Promise<DocumentRef> =>
    fromBexioDocument(doc, kind, await lookups.currencyCodeOf(doc.currency_id));

  function computeTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis'>, roundFactor: string) {
    return computeBexioTotals(
      draft.lines.map((l) => ({ amount: l.quantity, unitPrice: l.unitPrice, discountPercent: l.discountPercent, taxPercent: l.taxRatePercent })),
      { mwstIsNet: draft.priceBasis === 'net', roundFactor, precision: options.precision },
    );
  }

  const provider: AccountingProvider = {
    id: 'bexio',
    /**
     * Rounding factor without asking the account: CHF 0.05 (5 Rappen, bexio's default), other currencies
     * their ISO 4217 minor unit (0.01; JPY 1); `createDocument` refuses an account whose factor is finer.
     */
    predictTotals(draft) {
      const places = minorUnits(draft.currency);
      const t = computeTotals(draft, draft.currency === 'CHF' ? '0.05' : minorUnitStep(draft.currency));
      // `total_taxes` is printed with four decimals ("1.3706" in the docs, "0.0000" live), and that is the figure read back.
      const tax = roundHalfUp(t.totalTaxes, 4);
      return { net: t.totalNet.toFixed(places), tax: tax.toFixed(places), gross: t.total.toFixed(places) };
    },
    capabilities: bexioCapabilities,
    fieldLimits: bexioFieldLimits,
    moneyRules: bexioMoneyRules,
    rounding: { choices: bexioRoundingChoices, readings: { precision: options.precision ?? 'docs' } },
    // bexio keeps Swiss (and Liechtenstein) books: the standard rate is 8.1 % since 1 January 2024 (money.md BX-R6,
    // CHVAT: https://www.taxlawblog.ch/blog/erhohung-der-mwst-satze-ab-2024); 19 % does not exist there.
    defaultTaxRatePercent: '8.1',

    /** The account's own currency list (`GET /3.0/currencies`); the preview refuses a deal currency not on it. */
    accountCurrencies: () => lookups.currencyCodes(),

    async testConnection() {
      const [profile] = await client.companyProfiles();
      if (!profile) throw new ProviderError('unexpected', 'bexio returned no company profile', { provider: 'bexio' });
      return { accountName: profile.name };
    },

    async findCustomers(query) {
      return toCustomers(await searchContactsByName(client, query));
    },

    async getCustomer(id) {
      const contact = await client.getContact(id);
      return contact ? (await toCustomers([contact]))[0] : null;
    },

    async createCustomer(input) {
      const body = toBexioContact(input, { userId: await lookups.userId(), countryId: await lookups.countryIdFor(input.address?.countryCode) });
      return withCompany(await client.createContact(body), input);
    },

    /** bexio has no optimistic locking on contacts (Contact has no version field), so `version` is ignored. */
    async updateCustomer(id, input) {
      const body = toBexioContact(input, { userId: await lookups.userId(), countryId: await lookups.countryIdFor(input.address?.countryCode) });
      return withCompany(await client.editContact(id, body), input);
    },

    async deleteCustomer(id) {
      // A contact already gone answers 404; either way it is now marked deleted.
      await client.deleteContact(id);
      return 'archived';
    },

    async listCustomers(sinceMs, page) {
      const offset = page ? Number(page) : 0;
      const paging = { limit: customerPageSize, offset, orderBy: 'id' };
      // '>=' because updated_at has whole seconds; the caller compares content hashes anyway.
      const since = sinceMs === null ? undefined : formatBexioTimestamp(sinceMs);
      const contacts =
        since === undefined ? await client.listContacts(paging) : await client.searchContacts([{ field: 'updated_at', value: since, criteria: '>=' }], paging);
      // A person whose company changed in bexio by a new relation is a change too; added once, with the first page.
      const moved = since !== undefined && offset === 0 ? await personsWithRelationsChangedSince(client, since) : [];
      const extra: BexioContact[] = [];
      for (const id of moved.filter((m) => !contacts.some((c) => String(c.id) === m))) {
        const contact = await client.getContact(id);
        if (contact) extra.push(contact);
      }
      return {
        customers: await toCustomers([...contacts, ...extra], since === undefined ? await allParents(client) : undefined),
        nextPage: contacts.length === customerPageSize ? String(offset + customerPageSize) : undefined,
      };
    },

    async createDocument(draft) {
      if (draft.kind === 'invoice' && draft.fromQuotationId) {
        // bexio copies the quote's positions, contact, texts and reference into the invoice (a draft).
        const made = await client.invoiceFromQuote(draft.fromQuotationId);
        log.info({ documentId: made.id, quotationId: draft.fromQuotationId }, 'bexio invoice created from quote');
        if (draft.finalize) return provider.finalizeDocument(String(made.id), 'invoice');
        return toRef(await client.getDocument('invoice', String(made.id)), 'invoice');
      }
      checkMoneyRules(draft, bexioMoneyRules);
      const [userId, currency, cachedTaxes] = await Promise.all([lookups.userId(), lookups.currency(draft.currency), lookups.salesTaxes(draft.date)]);
      const hasRate = (list: typeof cachedTaxes, rate: string) => list.some((t) => dec(String(t.value)).eq(dec(rate)));
      let taxes = cachedTaxes;
      // A rate without a tax in the cached list: the account may have just activated it; ask once more.
      if (draft.lines.some((line) => !hasRate(taxes, line.taxRatePercent))) {
        lookups.refreshSalesTaxes(draft.date);
        taxes = await lookups.salesTaxes(draft.date);
      }
      if (dec(String(currency.round_factor)).lt(minorUnitStep(draft.currency))) {
        throw new ProviderError(
          'validation',
          `bexio rounds ${draft.currency} totals to ${currency.round_factor}, finer than the currency's smallest unit ${minorUnitStep(draft.currency)}; set its rounding factor in bexio (Settings → Currencies)`,
          { provider: 'bexio' },
        );
      }
      const taxIdFor = (rate: string) => taxes.find((t) => dec(String(t.value)).eq(dec(rate)))?.id;
      const body = toBexioDocument(draft, { userId, currencyId: currency.id, taxIdFor });
      const created = await client.createDocument(draft.kind, body);
      log.info({ documentId: created.id, kind: draft.kind }, 'bexio document created');
      // money.md §1.3: bexio's stored totals are the truth; read them back and compare with our prediction.
      const stored = await client.getDocument(draft.kind, String(created.id));
      warnOnTotalsMismatch(draft, stored, String(currency.round_factor));
      const ref = await toRef(stored, draft.kind);
      if (draft.finalize) return provider.finalizeDocument(String(created.id), draft.kind, ref);
      return ref;
    },

    async findDocumentByReference(reference, kind) {
      const found =
        kind === 'invoice' ? await client.searchDocuments(kind, [{ field: 'api_reference', value: reference, criteria: '=' }]) : await scanQuotes(reference);
      const exact = found.filter((d) => d.api_reference === reference).sort((a, b) => a.id - b.id);
      if (exact.length > 1) log.warn({ reference, documentIds: exact.map((d) => d.id) }, 'several bexio documents carry one reference');
      return exact[0] ? toRef(exact[0], kind) : null;
    },

    async getDocument(id, kind) {
      return toRef(await client.getDocument(kind, id), kind);
    },

    async finalizeDocument(id, kind, known) {
      const current = known?.id === id ? known : await provider.getDocument(id, kind);
      if (current.status !== 'draft') return current;
      await client.issueDocument(kind, id);
      return provider.getDocument(id, kind);
    },

    async fetchPdf(id, kind) {
      const pdf = await client.pdf(kind, id);
      return Buffer.from(pdf.content, 'base64');
    },

    async sendByEmail(id, kind, delivery) {
      // bexio rejects a message without the "[Network Link]" placeholder (§3.4 send).
      const message = delivery.message.includes('[Network Link]') ? delivery.message : `${delivery.message}\n\n[Network Link]`;
      await client.send(kind, id, { recipient_email: delivery.to, subject: delivery.subject, message, mark_as_open: true, attach_pdf: true });
    },

    /** bexio cancels in place: status 19, no credit note and no new number. Already cancelled: nothing is sent. */
    async cancelInvoice(invoiceId) {
      const current = await provider.getDocument(invoiceId, 'invoice');
      if (current.status !== 'voided') {
        await client.cancelInvoice(invoiceId);
        log.info({ documentId: invoiceId }, 'bexio invoice cancelled');
      }
      return { kind: 'status' };
    },

    async getPayment(invoiceId) {
      const doc = await client.getDocument('invoice', invoiceId);
      const isPaid = doc.kb_item_status_id === 9;
      const payments = isPaid ? await client.invoicePayments(invoiceId) : [];
      const paidDate = payments
        .map((p) => p.date)
        .sort()
        .at(-1);
      return { isPaid, paidDate, openAmount: toMoneyString(doc.total_remaining_payments ?? doc.total) };
    },
  };

  /**
   * Quote search has no `api_reference` field (BXD §Quotes lists the searchable fields), so scan the
   * list newest first; a reconcile runs right after a failed create, so the match is on the first page.
   */
  async function scanQuotes(reference: string): Promise<BexioDocument[]> {
    for (let offset = 0; ; offset += bexioMaxPageSize) {
      const page = await client.listDocuments('quotation', { orderBy: 'id_desc', limit: bexioMaxPageSize, offset });
      const hits = page.filter((d) => d.api_reference === reference);
      if (hits.length > 0 || page.length < bexioMaxPageSize) return hits;
    }
  }

  function warnOnTotalsMismatch(draft: DocumentDraft, stored: BexioDocument, roundFactor: string): void {
    const predicted = computeTotals(draft, roundFactor);
    if (!predicted.total.eq(dec(stored.total))) {
      log.warn({ documentId: stored.id, predictedTotal: predicted.total.toFixed(2), vendorTotal: stored.total }, 'bexio total differs from prediction');
    }
  }

  return provider;
}
