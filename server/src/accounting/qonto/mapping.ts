/** Pure mappers between the neutral model (accounting/provider.ts) and Qonto's shapes (accounting.md §4.3, §4.4). */
import type { Customer, CustomerInput, CustomerQuery, DocumentDraft, DocumentRef, DocumentStatus, DocumentTotals, PaymentStatus } from '../provider';
import { dec, roundHalfUp, toMoneyString } from '../../money/decimal';
import { ProviderError } from '../errors';
import { qontoMoneyProblem, qontoMoneyRules } from './money-rules';
import type { QontoClient, QontoClientWrite, QontoInvoice, QontoInvoiceCreate, QontoItemWrite, QontoQuote, QontoQuoteCreate } from './schemas';
import { computeQontoTotals, defaultQontoMoneyOptions, exactNetUnitPrice, toVatRatio, type QontoItemInput, type QontoMoneyOptions } from './totals';

export interface QontoMappingOptions extends QontoMoneyOptions {
  /**
   * `vat_exemption_reason` sent on 0 % lines. UNCONFIRMED: the only value in Qonto's docs samples
   * is "N1" (create/update/retrieve client invoice); the accepted list per country is not in our sources.
   */
  zeroRateExemptionReason: string;
  /** Qonto requires `due_date`; used when the draft has no `paymentTermDays`. */
  defaultPaymentTermDays: number;
}

export const defaultQontoMappingOptions: QontoMappingOptions = {
  ...defaultQontoMoneyOptions,
  zeroRateExemptionReason: 'N1',
  defaultPaymentTermDays: 30,
};

const localeByCountry: Record<string, string> = { DE: 'de', AT: 'de', CH: 'de', FR: 'fr', BE: 'fr', LU: 'fr', IT: 'it', ES: 'es' };

/**
 * A client usable for invoicing needs `currency`, `locale` and an address (QD create-a-client);
 * the API invoices in EUR only (money.md §6.1), so every client we create is an EUR client.
 */
export function toVendorClient(input: CustomerInput): QontoClientWrite {
  const body: QontoClientWrite =
    input.kind === 'company' ? { kind: 'company', name: input.companyName } : { kind: 'individual', first_name: input.firstName, last_name: input.lastName };
  if (input.email) body.email = input.email;
  const phone = toVendorPhone(input.phone);
  if (phone) body.phone = phone;
  if (input.vatId) body.vat_number = input.vatId;
  const address = input.address;
  // Qonto needs a country with every address (§4.3); like the lexoffice mapping, a missing one is DE.
  if (address && (address.countryCode || address.street || address.city || address.zip)) {
    body.billing_address = {
      street_address: address.street,
      city: address.city,
      zip_code: address.zip,
      country_code: (address.countryCode ?? 'DE').toUpperCase(),
    };
  }
  body.currency = 'EUR';
  body.locale = localeByCountry[address?.countryCode?.toUpperCase() ?? ''] ?? 'en';
  return body;
}

/** Qonto splits phones into `{ country_code, number }`; only an unambiguous "+CC rest" form is split. */
function toVendorPhone(phone?: string): QontoClientWrite['phone'] {
  const match = phone?.trim().match(/^(\+\d{1,4})[\s\-/]+([\d\s\-/()]+)$/);
  if (!match) return undefined;
  const number = match[2].replace(/\D/g, '');
  return number.length >= 3 ? { country_code: match[1], number } : undefined;
}

export function fromVendorClient(client: QontoClient): Customer {
  const kind = client.kind ?? client.type;
  const a = client.billing_address;
  const address = a
    ? { street: a.street_address ?? undefined, zip: a.zip_code ?? undefined, city: a.city ?? undefined, countryCode: a.country_code?.toUpperCase() }
    : undefined;
  const phone = client.phone ? `${client.phone.country_code} ${client.phone.number}` : (client.phone_number ?? undefined);
  const base = {
    id: client.id,
    email: client.email ?? undefined,
    phone,
    vatId: client.vat_number ?? undefined,
    address,
    updatedAt: client.updated_at ? Date.parse(client.updated_at) : undefined,
  };
  return kind === 'company'
    ? { ...base, kind: 'company', companyName: client.name ?? undefined }
    : { ...base, kind: 'person', firstName: client.first_name ?? undefined, lastName: client.last_name ?? undefined };
}

/** `filter[name]` matches a person on "first_name last_name" (QD list-clients). */
export function customerQueryName(query: CustomerQuery): string {
  // A person by the last name alone (the client's `name` may be "Müller, Jürgen"); the first name only stands in for a too short one.
  return (query.kind === 'company' ? query.name : query.lastName.trim().length >= 2 ? query.lastName : `${query.firstName} ${query.lastName}`).trim();
}

/**
 * The create body; `purchase_order` carries our reference so `findDocumentByReference` can find it.
 * Prices, quantities and discounts go out exactly as the draft has them; a draft Qonto cannot hold
 * exactly (money-rules.ts) is refused with the reason, never rounded to fit.
 */
export function toVendorInvoice(draft: DocumentDraft, iban: string, options: QontoMappingOptions = defaultQontoMappingOptions): QontoInvoiceCreate {
  const problem = qontoMoneyProblem(draft, qontoMoneyRules, options);
  if (problem) throw new ProviderError('validation', problem, { provider: 'qonto' });
  const currency = draft.currency.toUpperCase();
  const header = [draft.title, draft.introduction].filter(Boolean).join('\n\n');
  const body: QontoInvoiceCreate = {
    client_id: draft.customerId,
    issue_date: draft.date,
    due_date: addDays(draft.date, draft.paymentTermDays ?? options.defaultPaymentTermDays),
    currency,
    payment_methods: { iban },
    // Default status on create is UNCONFIRMED (accounting.md §4.4): ask for a draft, finalize separately.
    status: 'draft',
    items: draft.lines.map((line) => toVendorItem(line, draft.priceBasis, currency, options)),
    purchase_order: draft.reference,
  };
  if (header) body.header = header;
  if (draft.closingText) body.footer = draft.closingText;
  if (draft.paymentTerms) body.terms_and_conditions = draft.paymentTerms;
  return body;
}

function toVendorItem(line: DocumentDraft['lines'][number], basis: DocumentDraft['priceBasis'], currency: string, o: QontoMappingOptions): QontoItemWrite {
  // A gross price reaches here only where its net price is exact in cents (qontoMoneyProblem).
  const unitPrice =
    basis === 'gross' ? exactNetUnitPrice(line.unitPrice, line.taxRatePercent, qontoMoneyRules.unitPriceDecimals)! : dec(line.unitPrice).toFixed();
  const item: QontoItemWrite = {
    title: line.name,
    quantity: dec(line.quantity).toFixed(),
    unit_price: { value: unitPrice, currency },
    vat_rate: toVatRatio(line.taxRatePercent),
  };
  if (line.description) item.description = line.description;
  if (line.unit) item.unit = line.unit;
  if (dec(line.taxRatePercent).isZero()) item.vat_exemption_reason = o.zeroRateExemptionReason;
  // Q-R6, settled: a ratio ("0.1" = 10 %), as in the create and retrieve samples of docs.qonto.com.
  if (line.discountPercent && !dec(line.discountPercent).isZero()) item.discount = { type: 'percentage', value: dec(line.discountPercent).div(100).toFixed() };
  return item;
}

/**
 * What Qonto will compute for this draft (money.md §10: predict, then read back). Pure and total: for a
 * draft beyond moneyRules (which `toVendorInvoice` refuses) it shows Qonto's arithmetic on the exact values.
 */
export function predictTotals(draft: Pick<DocumentDraft, 'lines' | 'priceBasis'>, options: Partial<QontoMoneyOptions> = {}): DocumentTotals {
  const items: QontoItemInput[] = draft.lines.map((line) => ({
    quantity: line.quantity,
    unitPrice:
      draft.priceBasis === 'gross'
        ? dec(line.unitPrice)
            .div(dec(1).plus(dec(line.taxRatePercent).div(100)))
            .toFixed()
        : line.unitPrice,
    vatRate: toVatRatio(line.taxRatePercent),
    discount:
      line.discountPercent && !dec(line.discountPercent).isZero() ? { type: 'percentage', value: dec(line.discountPercent).div(100).toFixed() } : undefined,
  }));
  const t = computeQontoTotals(items, options);
  return { net: t.subtotal, tax: t.vat, gross: t.total };
}

const statusMap: Record<QontoInvoice['status'], DocumentStatus> = { draft: 'draft', unpaid: 'open', pending: 'open', paid: 'paid', canceled: 'voided' };

export function fromVendorInvoice(invoice: QontoInvoice): DocumentRef {
  const gross = dec(invoice.total_amount.value);
  const tax = dec(invoice.vat_amount.value);
  return {
    id: invoice.id,
    kind: 'invoice',
    number: invoice.number ?? invoice.invoice_number ?? undefined,
    status: statusMap[invoice.status],
    date: invoice.issue_date ?? undefined,
    currency: invoice.currency,
    // Net = total − VAT; Italian stamp duty (money.md §6.1) would sit inside `total_amount`.
    totals: { net: toMoneyString(gross.minus(tax)), tax: toMoneyString(tax), gross: toMoneyString(gross) },
    webUrl: invoice.invoice_url ?? undefined,
  };
}

/** `paid_at` is an ISO instant in the organisation's offset; its date part is the payment date (§4.5). */
export function fromVendorPayment(invoice: QontoInvoice): PaymentStatus {
  const isPaid = invoice.status === 'paid';
  const paid = invoice.amount_paid ? dec(invoice.amount_paid.value) : dec(0);
  const open = isPaid || invoice.status === 'canceled' ? dec(0) : roundHalfUp(dec(invoice.total_amount.value).minus(paid));
  return { isPaid, paidDate: isPaid && invoice.paid_at ? invoice.paid_at.slice(0, 10) : undefined, openAmount: toMoneyString(open) };
}

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days a quote stays valid: Qonto requires `expiry_date` (create-a-quote); the deal carries none, so 30. */
export const quoteValidityDays = 30;

/**
 * The quote create body. Quotes have no `purchase_order`, so our reference is the last line of
 * `terms_and_conditions` ("Ref. <reference>"), where `findDocumentByReference` looks for it.
 */
export function toVendorQuote(draft: DocumentDraft, options: QontoMappingOptions = defaultQontoMappingOptions): QontoQuoteCreate {
  const problem = qontoMoneyProblem(draft, qontoMoneyRules, options);
  if (problem) throw new ProviderError('validation', problem, { provider: 'qonto' });
  const currency = draft.currency.toUpperCase();
  const header = [draft.title, draft.introduction].filter(Boolean).join('\n\n');
  const body: QontoQuoteCreate = {
    client_id: draft.customerId,
    issue_date: draft.date,
    expiry_date: addDays(draft.date, quoteValidityDays),
    currency,
    items: draft.lines.map((line) => toVendorItem(line, draft.priceBasis, currency, options)),
    terms_and_conditions: [draft.paymentTerms, quoteReferenceLine(draft.reference)].filter(Boolean).join('\n\n'),
  };
  if (header) body.header = header;
  if (draft.closingText) body.footer = draft.closingText;
  return body;
}

export function quoteReferenceLine(reference: string): string {
  return `Ref. ${reference}`;
}

const quoteStatusMap: Record<QontoQuote['status'], DocumentStatus> = { pending_approval: 'open', approved: 'open', canceled: 'voided' };

export function fromVendorQuote(quote: QontoQuote): DocumentRef {
  const gross = dec(quote.total_amount.value);
  const tax = dec(quote.vat_amount.value);
  return {
    id: quote.id,
    kind: 'quotation',
    number: quote.number ?? undefined,
    status: quoteStatusMap[quote.status],
    date: quote.issue_date ?? undefined,
    currency: quote.currency,
    totals: { net: toMoneyString(gross.minus(tax)), tax: toMoneyString(tax), gross: toMoneyString(gross) },
    webUrl: quote.quote_url ?? undefined,
  };
}
