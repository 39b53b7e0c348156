/** Pure mappers between the neutral model (provider.ts) and bexio's fields (accounting.md §3.3–3.4). */
import { ProviderError } from '../errors';
import type { Customer, CustomerInput, DocumentDraft, DocumentRef, DocumentStatus, MoneyRules } from '../provider';
import { dec, toMoneyString } from '../../money/decimal';
import type { BexioContact, BexioDocument } from './schemas';

export const contactType = { company: 1, person: 2 } as const;

/** Fact sheet §3.3: `name_1` = company name or last name, `name_2` = first name (persons). */
export function toBexioContact(input: CustomerInput, ctx: { userId: number; countryId: number | null }): Record<string, unknown> {
  const isCompany = input.kind === 'company';
  const { streetName, houseNumber } = splitStreet(input.address?.street);
  return {
    contact_type_id: isCompany ? contactType.company : contactType.person,
    name_1: (isCompany ? input.companyName : input.lastName) ?? '',
    name_2: isCompany ? null : (input.firstName ?? null),
    // null = bexio assigns the next number (Contact.nr).
    nr: input.customerNumber ?? null,
    street_name: streetName,
    house_number: houseNumber,
    postcode: input.address?.zip ?? null,
    city: input.address?.city ?? null,
    country_id: ctx.countryId,
    mail: input.email ?? null,
    phone_fixed: input.phone ?? null,
    user_id: ctx.userId,
    owner_id: ctx.userId,
  };
}

export function fromBexioContact(c: BexioContact, countryCode: (id: number) => string | undefined, timeZone = bexioTimeZone): Customer {
  const isCompany = c.contact_type_id === contactType.company;
  const street = c.street_name ? [c.street_name, c.house_number].filter(Boolean).join(' ') : (c.address ?? undefined);
  return {
    id: String(c.id),
    kind: isCompany ? 'company' : 'person',
    companyName: isCompany ? c.name_1 : undefined,
    lastName: isCompany ? undefined : c.name_1,
    firstName: isCompany ? undefined : (c.name_2 ?? undefined),
    email: c.mail || undefined,
    phone: c.phone_fixed || c.phone_mobile || undefined,
    customerNumber: c.nr ?? undefined,
    address: {
      street: street || undefined,
      zip: c.postcode == null || c.postcode === '' ? undefined : String(c.postcode),
      city: c.city || undefined,
      countryCode: c.country_id == null ? undefined : countryCode(c.country_id),
    },
    updatedAt: c.updated_at ? parseBexioTimestamp(c.updated_at, timeZone) : undefined,
    isArchived: false,
  };
}

/** "Musterstrasse 12a" → street_name + house_number (Contact_write keeps them apart). */
export function splitStreet(street: string | undefined): { streetName: string | null; houseNumber: string | null } {
  if (!street) return { streetName: null, houseNumber: null };
  const match = /^(.*\S)\s+(\d+\s?[a-zA-Z]?)$/.exec(street.trim());
  return match ? { streetName: match[1], houseNumber: match[2] } : { streetName: street.trim(), houseNumber: null };
}

export interface DocumentLookups {
  userId: number;
  currencyId: number;
  /** The active sales tax id for a rate in percent, or undefined when the account has none. */
  taxIdFor: (ratePercent: string) => number | undefined;
}

/**
 * Refuses, before anything is sent, a draft bexio would round or that it is not known to accept
 * (money.md §8.13, issue 12): more decimals than `rules` allow, or a negative line where `rules` say no.
 */
export function checkMoneyRules(draft: Pick<DocumentDraft, 'lines'>, rules: MoneyRules): void {
  draft.lines.forEach((line, index) => {
    const limits = [
      ['quantity', line.quantity, rules.quantityDecimals],
      ['unit price', line.unitPrice, rules.unitPriceDecimals],
      ['discount percentage', line.discountPercent, rules.discountPercentDecimals],
    ] as const;
    for (const [field, value, places] of limits) {
      if (value !== undefined && dec(value).decimalPlaces() > places)
        throw invalid(`line ${index + 1}: bexio keeps ${places} decimals of the ${field}, ${value} has more`);
    }
    if (!rules.negativeLines && (dec(line.unitPrice).isNegative() || dec(line.quantity).isNegative())) {
      throw invalid(`line ${index + 1}: a negative line (${line.quantity} × ${line.unitPrice}) is not sent to bexio; issue a credit voucher in bexio instead`);
    }
  });
}

/** Builds the `kb_invoice` / `kb_offer` create body (fact sheet §3.4 skeleton; quotes use `is_valid_until`). */
export function toBexioDocument(draft: DocumentDraft, lookups: DocumentLookups): Record<string, unknown> {
  const positions = draft.lines.map((line, index) => {
    const taxId = lookups.taxIdFor(line.taxRatePercent);
    if (taxId === undefined) throw invalid(`line ${index + 1}: no active bexio sales tax with rate ${line.taxRatePercent} %`);
    return {
      type: 'KbPositionCustom',
      // Exactly as the draft carries them (never rounded to cents first); `checkMoneyRules` ran before.
      amount: dec(line.quantity).toFixed(),
      unit_price: dec(line.unitPrice).toFixed(),
      discount_in_percent: line.discountPercent ? dec(line.discountPercent).toFixed() : '0',
      tax_id: taxId,
      text: line.description ? `${line.name}\n${line.description}` : line.name,
    };
  });
  const validTo = draft.paymentTermDays === undefined ? undefined : addDays(draft.date, draft.paymentTermDays);
  const footer = [draft.paymentTerms, draft.closingText].filter(Boolean).join('\n\n');
  return {
    title: draft.title ?? null,
    contact_id: Number(draft.customerId),
    user_id: lookups.userId,
    currency_id: lookups.currencyId,
    header: draft.introduction ?? '',
    footer,
    // mwst_type 0 + mwst_is_net: net prices get tax added, gross prices contain it (money.md §5.1).
    mwst_type: 0,
    mwst_is_net: draft.priceBasis === 'net',
    is_valid_from: draft.date,
    ...(validTo ? (draft.kind === 'invoice' ? { is_valid_to: validTo } : { is_valid_until: validTo }) : {}),
    api_reference: draft.reference,
    positions,
  };
}

/**
 * `kb_item_status_id` (fact sheet §3.4): invoices 7 draft, 8 pending, 9 paid, 16 partial, 19 cancelled,
 * 31 unpaid; quotes 1 draft, 2 pending, 3 accepted, 4 declined (BXSK).
 */
export function toDocumentStatus(kind: DocumentDraft['kind'], statusId: number): DocumentStatus {
  if (kind === 'quotation') return statusId === 1 ? 'draft' : statusId === 4 ? 'voided' : 'open';
  if (statusId === 7) return 'draft';
  if (statusId === 9) return 'paid';
  if (statusId === 19) return 'voided';
  return 'open';
}

/**
 * bexio's totals as the neutral model reads them: `total` (already 5-Rappen rounded) is what the
 * customer pays; net and tax are shown to the cent, so net + tax may differ from gross by
 * `total_rounding_difference` (money.md BX-R3/R4).
 */
export function fromBexioDocument(doc: BexioDocument, kind: DocumentDraft['kind'], currency: string): DocumentRef {
  // Read back in the currency's ISO 4217 minor units (JPY has none).
  const places = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return {
    id: String(doc.id),
    kind,
    number: doc.document_nr ?? undefined,
    status: toDocumentStatus(kind, doc.kb_item_status_id),
    date: doc.is_valid_from ?? undefined,
    currency,
    totals: { net: toMoneyString(doc.total_net, places), tax: toMoneyString(doc.total_taxes, places), gross: toMoneyString(doc.total, places) },
    webUrl: doc.network_link || undefined,
  };
}

/** Europe/Zurich per community clients; UNCONFIRMED (accounting.md §8 #5). */
export const bexioTimeZone = 'Europe/Zurich';

/** Epoch ms → `"YYYY-MM-DD HH:mm:ss"` in `timeZone`. */
export function formatBexioTimestamp(ms: number, timeZone = bexioTimeZone): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** `"YYYY-MM-DD HH:mm:ss"` in `timeZone` → epoch ms (two passes settle the DST offset). */
export function parseBexioTimestamp(text: string, timeZone = bexioTimeZone): number {
  const [date, time] = text.split(' ');
  const asUtc = Date.parse(`${date}T${time}Z`);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const shown = Date.parse(`${formatBexioTimestamp(guess, timeZone).replace(' ', 'T')}Z`);
    guess = guess - (shown - asUtc);
  }
  return guess;
}

export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

function invalid(message: string): ProviderError {
  return new ProviderError('validation', message, { provider: 'bexio' });
}
