/** Pure mappers between the neutral model (provider.ts) and Lexware's contacts and sales vouchers. */
import { ProviderError } from '../errors';
import type { Customer, CustomerInput, DocumentDraft, DocumentRef, DocumentStatus } from '../provider';
import { dec } from '../../money/decimal';
import { addDays, lexDateToDay, toLexDateTime } from './dates';
import type { LexofficeContact, LexofficeInvoice, LexofficeSalesVoucher } from './schemas';
import { lexofficeMoneyRules } from './money-rules';
import type { LexofficeTotalsLine } from './totals';

export interface LexofficeMappingOptions {
  /** `unitName` is required on custom lines; unknown units are auto-created (accounting.md §1.6). */
  defaultUnitName: string;
  /** Quotations need an `expirationDate` (QuotationCreate); the draft has none. */
  quotationValidDays: number;
  /** Deep links into the web app (LX26: `/permalink/invoices/view/{id}`). */
  appBaseUrl: string;
}

export const defaultLexofficeMappingOptions: LexofficeMappingOptions = {
  defaultUnitName: 'Stück',
  quotationValidDays: 30,
  appBaseUrl: 'https://app.lexware.de',
};

const invalid = (message: string) => new ProviderError('validation', message, { provider: 'lexoffice' });

/** Contact body for POST (version 0) or PUT (current version), keeping unmapped fields of `base`. */
export function toLexofficeContact(input: CustomerInput, version: number, base?: LexofficeContact): Record<string, unknown> {
  const { id: _id, archived: _archived, version: _version, roles: _roles, company: baseCompany, person: _person, ...kept } = base ?? {};
  const body: Record<string, unknown> = { ...kept, version, roles: { customer: {} } };
  if (input.kind === 'company') {
    if (!input.companyName) throw invalid('a company customer needs companyName');
    const contactPerson = input.lastName
      ? [{ firstName: input.firstName, lastName: input.lastName, primary: true, emailAddress: input.email, phoneNumber: input.phone }]
      : baseCompany?.contactPersons;
    body.company = { ...baseCompany, name: input.companyName, vatRegistrationId: input.vatId ?? baseCompany?.vatRegistrationId, contactPersons: contactPerson };
  } else {
    if (!input.lastName) throw invalid('a person customer needs lastName');
    body.person = { firstName: input.firstName, lastName: input.lastName };
  }
  if (input.address) {
    // countryCode is required once an address is sent (§1.5); Lexware is a German product, so DE.
    body.addresses = { ...(base?.addresses ?? {}), billing: [{ ...input.address, countryCode: input.address.countryCode ?? 'DE' }] };
  }
  if (input.email) body.emailAddresses = { ...(base?.emailAddresses ?? {}), business: [input.email] };
  if (input.phone) body.phoneNumbers = { ...(base?.phoneNumbers ?? {}), business: [input.phone] };
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

export function fromLexofficeContact(contact: LexofficeContact): Customer {
  const billing = contact.addresses?.billing?.[0];
  const person = contact.company?.contactPersons?.find((p) => p.primary) ?? contact.company?.contactPersons?.[0];
  const emails = contact.emailAddresses;
  const phones = contact.phoneNumbers;
  const customer: Customer = {
    id: contact.id,
    version: contact.version,
    kind: contact.company ? 'company' : 'person',
    companyName: contact.company?.name,
    firstName: contact.person?.firstName ?? person?.firstName,
    lastName: contact.person?.lastName ?? person?.lastName,
    email: emails?.business?.[0] ?? emails?.office?.[0] ?? emails?.other?.[0] ?? emails?.private?.[0] ?? person?.emailAddress,
    phone: phones?.business?.[0] ?? phones?.office?.[0] ?? phones?.mobile?.[0] ?? phones?.other?.[0] ?? person?.phoneNumber,
    address: billing && { street: billing.street, zip: billing.zip, city: billing.city, countryCode: billing.countryCode },
    vatId: contact.company?.vatRegistrationId,
    customerNumber: contact.roles?.customer?.number?.toString(),
    isArchived: contact.archived ?? false,
  };
  return JSON.parse(JSON.stringify(customer)) as Customer;
}

/** The line our reference sits on in `remark`; Lexware has no searchable external-id field (accounting.md §7). */
export function referenceLine(reference: string): string {
  return `Ref. ${reference}`;
}

export function hasReference(remark: string | undefined, reference: string): boolean {
  return (remark ?? '').split('\n').some((line) => line.trim() === referenceLine(reference));
}

/**
 * Lexware takes JSON numbers. A value within its decimals (≤ 4, or 2) goes out as the double whose shortest
 * decimal form is the same value, so the vendor reads exactly what the draft carries; one that would not
 * survive that (more than 15–17 significant digits) is refused, never sent changed.
 */
function toVendorNumber(value: string, maxDecimals: number, field: string): number {
  const d = dec(value);
  // money.md §8.13: reject rather than let the vendor truncate silently.
  if (d.decimalPlaces() > maxDecimals) throw invalid(`${field} ${value} has more than ${maxDecimals} decimals (lexoffice limit)`);
  const n = d.toNumber();
  if (!dec(String(n)).eq(d)) throw invalid(`${field} ${value} cannot be sent to lexoffice without changing it`);
  return n;
}

/**
 * Rejects what Lexware would refuse or silently change (money-rules.ts, money.md LX-R1, §3.1 limits):
 * another currency than EUR, a negative price or a quantity ≤ 0 (no credits on a sales voucher), a
 * discount outside 0–100 %.
 */
export function checkDraft(draft: DocumentDraft): void {
  const { currencies } = lexofficeMoneyRules;
  if (currencies !== 'any' && !currencies.includes(draft.currency)) throw invalid(`lexoffice supports only ${currencies.join(', ')}, not ${draft.currency}`);
  if (draft.lines.length === 0 || draft.lines.length > 300) throw invalid('lexoffice needs 1 to 300 line items');
  if (draft.title && draft.title.length > 25) throw invalid('lexoffice titles are limited to 25 characters');
  draft.lines.forEach((line, i) => {
    if (!dec(line.quantity).greaterThan(0)) throw invalid(`lines[${i}].quantity ${line.quantity} must be above 0 for lexoffice`);
    if (!lexofficeMoneyRules.negativeLines && dec(line.unitPrice).isNegative()) {
      throw invalid(`lines[${i}].unitPrice ${line.unitPrice} is negative; lexoffice takes no negative lines (credits are separate vouchers)`);
    }
    const discount = line.discountPercent === undefined ? undefined : dec(line.discountPercent);
    if (discount && (discount.isNegative() || discount.greaterThan(100))) throw invalid(`lines[${i}].discountPercent ${line.discountPercent} must be 0 to 100`);
  });
}

export function toLexofficeVoucher(draft: DocumentDraft, options: LexofficeMappingOptions): Record<string, unknown> {
  checkDraft(draft);
  const taxType = draft.priceBasis === 'gross' ? 'gross' : 'net';
  const rules = lexofficeMoneyRules;
  // The draft's exact price, quantity and discount; gross drafts in Lexware's gross mode (`grossAmount`).
  const lineItems = draft.lines.map((line, i) => ({
    type: 'custom',
    name: line.name,
    description: line.description,
    quantity: toVendorNumber(line.quantity, rules.quantityDecimals, `lines[${i}].quantity`),
    unitName: line.unit ?? options.defaultUnitName,
    unitPrice: {
      currency: draft.currency,
      [taxType === 'gross' ? 'grossAmount' : 'netAmount']: toVendorNumber(line.unitPrice, rules.unitPriceDecimals, `lines[${i}].unitPrice`),
      taxRatePercentage: toVendorNumber(line.taxRatePercent, 2, `lines[${i}].taxRatePercent`),
    },
    discountPercentage:
      line.discountPercent === undefined ? undefined : toVendorNumber(line.discountPercent, rules.discountPercentDecimals, `lines[${i}].discountPercent`),
  }));
  const voucherDate = toLexDateTime(draft.date);
  const remark = [draft.closingText, referenceLine(draft.reference)].filter(Boolean).join('\n\n');
  const paymentConditions =
    draft.paymentTerms || draft.paymentTermDays !== undefined
      ? { paymentTermLabel: draft.paymentTerms ?? `${draft.paymentTermDays} Tage`, paymentTermDuration: draft.paymentTermDays }
      : undefined;
  const body: Record<string, unknown> = {
    voucherDate,
    address: { contactId: draft.customerId },
    lineItems,
    // LX-R7: always send a total discount, else the contact's default discount applies silently.
    totalPrice: { currency: draft.currency, totalDiscountPercentage: 0 },
    taxConditions: { taxType },
    paymentConditions,
    title: draft.title,
    introduction: draft.introduction,
    remark,
  };
  if (draft.kind === 'invoice') {
    // German invoices need a delivery/service date; the document date is the usual "Leistungsdatum".
    body.shippingConditions = { shippingType: 'service', shippingDate: voucherDate };
  } else {
    body.expirationDate = toLexDateTime(addDays(draft.date, options.quotationValidDays));
  }
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/** The draft's lines as inputs for `computeLexofficeTotals` (our prediction). */
export function toTotalsLines(draft: DocumentDraft): LexofficeTotalsLine[] {
  return draft.lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice, taxRatePercentage: l.taxRatePercent, discountPercentage: l.discountPercent }));
}

const statusMap: Record<string, DocumentStatus> = { draft: 'draft', open: 'open', paid: 'paid', voided: 'voided', accepted: 'open', rejected: 'voided' };

export function fromLexofficeVoucher(voucher: LexofficeSalesVoucher, kind: DocumentDraft['kind'], options: LexofficeMappingOptions): DocumentRef {
  const money = (n: number) => dec(String(n)).toFixed(2);
  return {
    id: voucher.id,
    kind,
    number: voucher.voucherNumber || undefined,
    status: statusMap[voucher.voucherStatus] ?? 'open',
    date: lexDateToDay(voucher.voucherDate),
    currency: voucher.totalPrice.currency,
    totals: { net: money(voucher.totalPrice.totalNetAmount), tax: money(voucher.totalPrice.totalTaxAmount), gross: money(voucher.totalPrice.totalGrossAmount) },
    webUrl: `${options.appBaseUrl}/permalink/${kind === 'invoice' ? 'invoices' : 'quotations'}/view/${voucher.id}`,
  };
}

/**
 * Body of a credit note that takes back a whole invoice: its priced lines as `custom` items with the same
 * prices, rates and discounts, its tax type and contact (docs "Credit Notes Endpoint": the invoice's
 * fields without shipping conditions). Text lines are left out; the reason is the introduction.
 */
export function toLexofficeCreditNote(invoice: LexofficeInvoice, voucherDate: string, reason: string): Record<string, unknown> {
  const lineItems = invoice.lineItems
    .filter((l) => l.type !== 'text' && l.unitPrice)
    .map((l) => ({
      type: 'custom',
      name: l.name,
      ...(l.description ? { description: l.description } : {}),
      quantity: l.quantity ?? 1,
      unitName: l.unitName ?? 'Stück',
      unitPrice: l.unitPrice,
      ...(l.discountPercentage ? { discountPercentage: l.discountPercentage } : {}),
    }));
  const address = invoice.address?.contactId ? { contactId: invoice.address.contactId } : { name: invoice.address?.name ?? '', countryCode: 'DE' };
  return {
    voucherDate,
    address,
    lineItems,
    totalPrice: { currency: 'EUR' },
    taxConditions: { taxType: invoice.taxConditions.taxType },
    title: 'Gutschrift',
    introduction: reason,
  };
}
