/**
 * The one contract every accounting vendor implements. Shared code (invoicing, sync, UI routes)
 * talks only to this interface; vendor names appear only inside `accounting/<vendor>/`.
 *
 * Units: money and quantities are decimal strings ("12.50", "0.5"), never JS numbers; tax rates are
 * percentages as decimal strings ("19", "7", "0"); dates are ISO `YYYY-MM-DD`; instants are epoch ms.
 * Every method may throw `ProviderError` (see errors.ts); `error.retryable` says whether to retry.
 */
import type { Logger } from 'pino';
import type { AccountDataCache } from './account-data';
import type { VendorObserver } from './http';
import type { RateLimiterRegistry } from '../lib/rate-limit';
import type { ProviderId } from './registry';
import type { RoundingChoice, RoundingReadings } from './rounding';

// The ids come from the registry (one line per vendor); re-exported here beside the contract they name.
export { providerIds, type ProviderId } from './registry';

export interface ProviderCapabilities {
  /** Can create quotations (offers) besides invoices. */
  quotations: boolean;
  /**
   * An invoice can be made from an earlier quotation so that the vendor links the two
   * (`DocumentDraft.fromQuotationId`); false: the invoice is made on its own.
   */
  invoiceFromQuotation: boolean;
  /**
   * How a finalized invoice is cancelled through the API (`AccountingProvider.cancelInvoice`): a credit
   * note referencing it, a cancellation invoice, a plain status change, or not at all.
   */
  invoiceCancellation: 'credit_note' | 'cancellation_invoice' | 'status' | 'none';
  /** Can e-mail a finalized invoice to the customer through the API. */
  emailDelivery: boolean;
  /** Payment status and date can be read through the API. */
  paymentStatus: boolean;
  /** What `deleteCustomer` can do: really delete, soft-delete/archive, or nothing (link is dropped). */
  customerDeletion: 'delete' | 'archive' | 'none';
  /** `listCustomers(since)` filters on the vendor side; false means every call is a full scan. */
  changeFeed: boolean;
  /** The vendor pushes events (payments, contacts) to a webhook. */
  webhooks: boolean;
  /** Finalizing is a separate call after creation (false: only at creation, via `draft.finalize`). */
  separateFinalize: boolean;
  /**
   * Structured e-invoices: `api` (asked for per invoice; the provider has `eInvoicing`), `automatic` (the vendor
   * embeds one in every finalized invoice where the account has it enabled; nothing to ask for), `not_supported`
   * (the API produces none).
   */
  eInvoice: 'api' | 'automatic' | 'not_supported';
  /** A person customer can belong to a company customer (`Customer.parentCompanyId` is read and written). */
  contactCompanyLink: boolean;
}

export interface Address {
  street?: string;
  zip?: string;
  city?: string;
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  countryCode?: string;
}

/** A customer as the neutral model sees it; person or company. */
export interface CustomerInput {
  kind: 'person' | 'company';
  /** Company name (kind = company), or the person's employer name where the vendor keeps one. */
  companyName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  address?: Address;
  vatId?: string;
  customerNumber?: string;
  /** For a person: the vendor id of the company customer they belong to, where the vendor links them. */
  parentCompanyId?: string;
}

export interface Customer extends CustomerInput {
  id: string;
  /** Optimistic-locking version where the vendor has one (lexoffice); pass it back to `updateCustomer`. */
  version?: number;
  /** Last change on the vendor side, epoch ms, where the vendor reports it. */
  updatedAt?: number;
  /** Archived / soft-deleted on the vendor side. */
  isArchived?: boolean;
  /**
   * For a company, where the vendor keeps the link on the company's side (lexoffice `company.contactPersons`): the
   * vendor ids of the person customers it keeps. Read by `getCustomer` only.
   */
  personIds?: string[];
}

export type CustomerQuery = { kind: 'person'; firstName: string; lastName: string } | { kind: 'company'; name: string };

export interface DraftLine {
  name: string;
  description?: string;
  sku?: string;
  /** Decimal string, > 0. */
  quantity: string;
  /** Unit name, e.g. "Stück"; vendors default it where omitted. */
  unit?: string;
  /** Exact unit price, decimal string, net or gross per `DocumentDraft.priceBasis`. */
  unitPrice: string;
  /** Tax rate in percent, decimal string ("19"). */
  taxRatePercent: string;
  /** Line discount in percent, decimal string ("10"); omitted = none. */
  discountPercent?: string;
}

export interface DocumentDraft {
  kind: 'invoice' | 'quotation';
  customerId: string;
  /** ISO 4217. */
  currency: string;
  priceBasis: 'net' | 'gross';
  /** Document date, `YYYY-MM-DD`. */
  date: string;
  title?: string;
  introduction?: string;
  paymentTerms?: string;
  /** Payment due in days, where the vendor takes a number. */
  paymentTermDays?: number;
  closingText?: string;
  lines: DraftLine[];
  /**
   * Our reference, `APIUP-<portalId>-<dealId>` (e.g. "APIUP-123-456", made by `invoiceReference` in
   * invoicing/records.ts); stored in a vendor field so that `findDocumentByReference` finds a document
   * an earlier attempt created.
   */
  reference: string;
  /** Finalize at creation where the vendor only finalizes then (capabilities.separateFinalize = false). */
  finalize: boolean;
  /**
   * For an invoice: the vendor id of the quotation it follows (capabilities.invoiceFromQuotation), so the
   * vendor links them. Vendors that copy the quotation into the invoice take its lines and texts, not the draft's.
   */
  fromQuotationId?: string;
  /** Create it as a structured e-invoice (only with `eInvoicing`); the data the customer's record must carry. */
  eInvoice?: EInvoiceData;
}

/** What cancelling an invoice produced at the vendor. */
export interface CancellationRef {
  kind: 'credit_note' | 'cancellation_invoice' | 'status';
  /** The credit note's or cancellation invoice's id; absent where only the invoice's status changed. */
  id?: string;
  /** Its number, once the vendor assigned one. */
  number?: string;
  /** `YYYY-MM-DD`. */
  date?: string;
}

/** What an e-invoice needs from the customer beyond the ordinary customer fields. */
export interface EInvoiceData {
  /** Buyer reference (BT-10), the Leitweg-ID of a German public body; required for XRechnung. */
  buyerReference?: string;
  /** Our supplier number at that customer, where the vendor requires one with the buyer reference. */
  vendorNumberAtCustomer?: string;
  /** The customer's e-mail for the e-invoice (the electronic address), where the customer record has none. */
  email?: string;
}

/** One piece of data missing for a valid e-invoice, and where the user fixes it. */
export interface EInvoiceGap {
  code:
    | 'seller_tax_id'
    | 'seller_iban'
    | 'seller_bic'
    | 'seller_address'
    | 'seller_email'
    | 'seller_phone'
    | 'customer_address'
    | 'customer_email'
    | 'buyer_reference'
    | 'vendor_number_at_customer';
  /** `accounting_settings`: the vendor's company settings; `hubspot_company` / `hubspot_contact`: the record in HubSpot. */
  fixIn: 'accounting_settings' | 'hubspot_company' | 'hubspot_contact';
}

/** Structured e-invoices (capabilities.eInvoice = 'api'). */
export interface ProviderEInvoicing {
  /** The formats the vendor produces, as its documentation names them ("XRechnung", "ZUGFeRD"). */
  readonly formats: readonly string[];
  /**
   * The seller's own data the vendor needs (tax id, IBAN, address …), read from the vendor account; each
   * missing piece as a gap. `checkedByVendor: true` where the API does not expose the data: the vendor checks
   * it when the invoice is created or finalized. Safe to repeat.
   */
  sellerGaps(): Promise<{ gaps: EInvoiceGap[]; checkedByVendor: boolean }>;
  /** What this customer lacks for an e-invoice with this vendor; pure. */
  customerGaps(customer: CustomerInput, data: EInvoiceData): EInvoiceGap[];
  /**
   * The e-invoice XML of a finalized e-invoice; null where the vendor serves it only inside the PDF (ZUGFeRD /
   * Factur-X: `fetchPdf` gives that file). Safe to repeat.
   */
  fetchXml(invoiceId: string): Promise<string | null>;
  /** Whether an e-invoice made with this data has an XML of its own that `fetchXml` serves; pure. */
  hasSeparateXml(data: EInvoiceData): boolean;
}

export interface DocumentTotals {
  net: string;
  tax: string;
  gross: string;
}

export type DocumentStatus = 'draft' | 'open' | 'paid' | 'voided';

export interface DocumentRef {
  id: string;
  kind: 'invoice' | 'quotation';
  /** The vendor's document number, once assigned (some assign at finalize). */
  number?: string;
  status: DocumentStatus;
  /** `YYYY-MM-DD`. */
  date?: string;
  currency: string;
  /** The vendor's own totals, read back; they are the truth, not our prediction. */
  totals: DocumentTotals;
  /** A link a person can open in the vendor's web app, where one is known. */
  webUrl?: string;
}

export interface PaymentStatus {
  isPaid: boolean;
  /** `YYYY-MM-DD`, when paid. */
  paidDate?: string;
  /** Open amount, decimal string, where the vendor reports it. */
  openAmount?: string;
}

export interface EmailDelivery {
  to: string;
  subject: string;
  message: string;
}

export interface CustomerPage {
  customers: Customer[];
  /** Pass to the next call; undefined when there is nothing more. */
  nextPage?: string;
}

/** Vendor push events (capabilities.webhooks): payments and status changes arrive without polling. */
export interface ProviderEvents {
  /**
   * Subscribes `callbackUrl` to payment/status events. `secret` is ours (derived per portal), where the
   * vendor signs with a shared secret. Safe to repeat: an existing subscription for the URL is kept.
   */
  subscribe(callbackUrl: string, secret: string): Promise<void>;
  /**
   * Verifies a delivery's signature over the raw body; the invoice ids and the customer ids (created, changed or
   * deleted) it concerns, or null when not genuine.
   */
  parse(rawBody: string, headers: Record<string, string | undefined>, secret: string): { documentIds: string[]; customerIds?: string[] } | null;
  /** The subscription covers customer changes: the contact poll is only the safety net then. */
  readonly customerEvents: boolean;
}

/**
 * The vendor's documented limits on what we send, in characters (Unicode code points); a field
 * without a documented limit is left out. Shared code fits drafts and customers to these before
 * any request (an overlong title moves into the introduction, an overlong line name continues in
 * the line's description) and refuses, with the field named, what cannot be fitted. Each number
 * cites the vendor's documentation next to it.
 */
export interface FieldLimits {
  document: {
    title?: number;
    introduction?: number;
    /** Closing text / remark after the lines. */
    closingText?: number;
    paymentTerms?: number;
    lineName?: number;
    lineDescription?: number;
    /** Most line items one document may have. */
    maxLines?: number;
  };
  customer: {
    companyName?: number;
    firstName?: number;
    lastName?: number;
    street?: number;
    zip?: number;
    city?: number;
    email?: number;
    phone?: number;
    vatId?: number;
    customerNumber?: number;
  };
}

/**
 * What the vendor holds exactly (docs/reference/money.md §0, each value with its source at the vendor).
 * Shared code checks every draft against these before sending and refuses, with the reason shown on
 * the card and the deal, what the vendor would round, reject or change: the invoice carries the amount
 * agreed in HubSpot, or it is not created.
 */
export interface MoneyRules {
  /** Most decimals of a unit price stored without rounding. */
  unitPriceDecimals: number;
  /** Most decimals of a quantity. */
  quantityDecimals: number;
  /** Most decimals of a line's discount percentage. */
  discountPercentDecimals: number;
  /** ISO 4217 codes the API accepts for documents, or `any` (the connected account may still refuse one). */
  currencies: readonly string[] | 'any';
  /** Drafts with `priceBasis: 'gross'` are sent as gross prices (otherwise they are refused or converted exactly). */
  grossPrices: boolean;
  /** A line with a negative unit price or amount (a credit, a rebate) is accepted. */
  negativeLines: boolean;
}

export interface AccountingProvider {
  readonly id: ProviderId;
  /** Present where `capabilities.webhooks` is true. */
  readonly events?: ProviderEvents;
  /** Read by the UI and the jobs; never branch on `id` outside the vendor folder. */
  readonly capabilities: ProviderCapabilities;
  /** Documented field limits; drafts and customers are fitted to them before they are sent. */
  readonly fieldLimits: FieldLimits;
  /** What the vendor holds exactly; drafts beyond it are refused with a reason before anything is sent. */
  readonly moneyRules: MoneyRules;
  /** Present where `capabilities.eInvoice` is `api`. */
  readonly eInvoicing?: ProviderEInvoicing;
  /**
   * The rounding rules this vendor leaves unsettled (money.md §9), each a choice the portal makes in its
   * invoice settings, and the reading `predictTotals` uses now (the portal's choice or the default).
   */
  readonly rounding: { choices: readonly RoundingChoice[]; readings: RoundingReadings };
  /**
   * The standard VAT rate, in percent, of the country the vendor's accounts are kept in ("19" for Germany,
   * "8.1" for Switzerland); a portal that sets no default rate of its own uses it for lines without a rate.
   */
  readonly defaultTaxRatePercent: string;
  /**
   * The ISO 4217 codes the connected account can invoice in, where that is the account's own list
   * (`moneyRules.currencies` is `any`); absent where the vendor's fixed list is all there is. Safe to repeat.
   */
  accountCurrencies?(): Promise<readonly string[]>;

  /** Validates the credentials; returns the account/organisation name. Safe to repeat. */
  testConnection(): Promise<{ accountName: string }>;

  /**
   * Vendor-side search by person name or company name; may return near matches, callers re-match. Safe to repeat.
   * A person query finds every person with `lastName` in any of its name fields (whole name kept in one field, either
   * field); `firstName` never narrows, it only stands in where the vendor cannot search `lastName` alone (too short).
   */
  findCustomers(query: CustomerQuery): Promise<Customer[]>;
  /** null when not found (or deleted). Safe to repeat. */
  getCustomer(id: string): Promise<Customer | null>;
  /** Not safe to repeat blindly: a retry after `unavailable` must search first. */
  createCustomer(input: CustomerInput): Promise<Customer>;
  /**
   * Replaces the customer's mapped fields. `version` is required where the vendor locks
   * optimistically (lexoffice); a stale version throws `conflict`. Safe to repeat.
   */
  updateCustomer(id: string, input: CustomerInput, version?: number): Promise<Customer>;
  /** Deletes, archives or does nothing, per `capabilities.customerDeletion`; returns what happened. Safe to repeat. */
  deleteCustomer(id: string): Promise<'deleted' | 'archived' | 'unsupported'>;
  /**
   * One page of customers changed since `sinceMs` (epoch ms; null = all). Without a change feed
   * every page is a full scan and the caller compares content hashes. Safe to repeat.
   */
  listCustomers(sinceMs: number | null, page?: string): Promise<CustomerPage>;

  /**
   * Our prediction of the vendor's totals for a draft, with the vendor's own rounding rules
   * (money.md); pure, no request. For previews; after creating, the vendor's read-back figures win.
   */
  predictTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis' | 'currency'>): DocumentTotals;

  /**
   * Creates an invoice or quotation; `draft.reference` is stored with it. Not safe to repeat blindly:
   * after an `unavailable` error (the vendor may have committed) call `findDocumentByReference` first.
   */
  createDocument(draft: DocumentDraft): Promise<DocumentRef>;
  /**
   * The document an earlier `createDocument` with this reference made, or null. Safe to repeat.
   * `hint.customerId` (the draft's customer) lets vendors without a searchable reference scan less.
   */
  findDocumentByReference(reference: string, kind: DocumentDraft['kind'], hint?: { customerId?: string }): Promise<DocumentRef | null>;
  /** Reads the document back with the vendor's totals. Safe to repeat. */
  getDocument(id: string, kind: DocumentDraft['kind']): Promise<DocumentRef>;
  /**
   * Finalizes (assigns the number). A finalized document is returned unchanged. Safe to repeat.
   * `known`: the document as this run just created or read it; its status stands in for reading it
   * again first (one vendor call fewer per invoice).
   */
  finalizeDocument(id: string, kind: DocumentDraft['kind'], known?: DocumentRef): Promise<DocumentRef>;
  /** The PDF bytes (start with `%PDF`). Safe to repeat. */
  fetchPdf(id: string, kind: DocumentDraft['kind']): Promise<Buffer>;
  /** E-mails the document (capabilities.emailDelivery). Not safe to repeat: the customer gets it twice. */
  sendByEmail(id: string, kind: DocumentDraft['kind'], delivery: EmailDelivery): Promise<void>;
  /** Payment status of an invoice (capabilities.paymentStatus). Safe to repeat. */
  getPayment(invoiceId: string): Promise<PaymentStatus>;
  /**
   * Cancels a finalized invoice the vendor's way (capabilities.invoiceCancellation; absent where it is
   * `none`). Safe to repeat: where the invoice is already cancelled, the existing cancellation is returned
   * and no second one is made. `reason` is printed on the credit note where the vendor takes one.
   */
  cancelInvoice?(invoiceId: string, input: { date: string; reason: string }): Promise<CancellationRef>;
}

export interface ProviderDeps {
  /** Vendor API base URL, e.g. `https://api.lexware.io` or a sandbox's `http://127.0.0.1:port`. */
  baseUrl: string;
  /** Vendor-specific credentials, already validated with that vendor's zod schema. */
  credentials: unknown;
  log: Logger;
  /** Process-wide limiters, keyed per credential, shared by every job. */
  limiters: RateLimiterRegistry;
  /** Overrides the vendor's documented rate limit (tests and benchmarks scale time). */
  rateLimit?: { requests: number; perMs: number };
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Attempts for a request that is safe to retry (429 always; 5xx/timeouts only when idempotent). Default 4. */
  maxAttempts?: number;
  /** Sees every vendor request's outcome (metrics). */
  observer?: VendorObserver;
  /** Public key the vendor signs its webhooks with, where it signs with its own key (lexoffice). */
  webhookPublicKeyPem?: string;
  /** The portal's readings of the vendor's unsettled rounding rules (`AccountingProvider.rounding`); absent: defaults. */
  rounding?: RoundingReadings;
  /** Process-wide account data per credential (account-data.ts); absent: this provider keeps its own. */
  accountData?: AccountDataCache;
}

export type ProviderFactory = (deps: ProviderDeps) => AccountingProvider;
