/**
 * Pure mappers between the neutral model (provider.ts) and sevDesk's objects (accounting.md §2.3–2.6,
 * SVS `Model_Contact`, `saveInvoice`). No HTTP here; money stays Decimal until the JSON boundary.
 */
import { dec, toMoneyString, type Decimal } from '../../money/decimal';
import type { Address, Customer, CustomerInput, DocumentDraft, DocumentRef, DocumentStatus } from '../provider';
import type { SevdeskCommunicationWay, SevdeskContact, SevdeskContactAddress, SevdeskInvoice, SevdeskOrder } from './schemas';

/**
 * Per-account ids sevDesk expects as nested objects. The defaults are the community-reported ones
 * (accounting.md §2.3/§2.4 and §8 item 3: UNCONFIRMED per account), so they are overridable.
 */
export interface SevdeskAccountIds {
  /** `category` of a contact: 3 = Customer (SVS Contact tag). */
  customerCategoryId: number;
  /** `unity` of a position: 1 = piece (community, verify). */
  unityId: number;
  /** `category` of a ContactAddress (`GET /Category?objectType=ContactAddress`); 47 = billing address, UNCONFIRMED. */
  addressCategoryId: number;
  /** `key` of a CommunicationWay: 2 = work (community n8n hint, §2.3). */
  communicationKeyId: number;
  /** `taxRule` on 2.0 accounts: 1 = taxable domestic, rates 0/7/19 (§2.4). */
  taxRuleId: '1' | '2' | '3' | '4' | '5' | '11' | '17';
  /** `StaticCountry` ids by ISO code; DE = 1 is the only one the sources show. */
  countryIds: Record<string, number>;
  /**
   * `paymentMethod` of an e-invoice (SVS lists it as required then); 21919 = bank transfer ("Überweisung") as a
   * community client sends it for e-invoices (public Rust sevDesk client tests, `PaymentMethodId::new(21919)`);
   * per-account ids are UNCONFIRMED.
   */
  paymentMethodId: number;
}

export const defaultSevdeskAccountIds: SevdeskAccountIds = {
  customerCategoryId: 3,
  unityId: 1,
  addressCategoryId: 47,
  communicationKeyId: 2,
  taxRuleId: '1',
  countryIds: { DE: 1 },
  paymentMethodId: 21919,
};

type Ref = { id: number; objectName: string };

function ref(id: string | number, objectName: string): Ref {
  return { id: Number(id), objectName };
}

/** Body of `POST /Contact` and `PUT /Contact/{id}`: `name` makes an organisation, `surename`/`familyname` a person (§2.3). */
export function toVendorContact(input: CustomerInput, ids: SevdeskAccountIds): Record<string, unknown> {
  const body: Record<string, unknown> = { category: ref(ids.customerCategoryId, 'Category') };
  if (input.kind === 'company') {
    body.name = input.companyName ?? '';
  } else {
    body.surename = input.firstName ?? null;
    body.familyname = input.lastName ?? null;
    if (input.parentCompanyId) body.parent = ref(input.parentCompanyId, 'Contact');
  }
  if (input.customerNumber) body.customerNumber = input.customerNumber;
  if (input.vatId) body.vatNumber = input.vatId;
  return body;
}

export function fromVendorContact(
  contact: SevdeskContact,
  address?: SevdeskContactAddress,
  ways: SevdeskCommunicationWay[] = [],
  ids = defaultSevdeskAccountIds,
): Customer {
  const isPerson = Boolean(contact.surename || contact.familyname);
  const customer: Customer = { id: contact.id, kind: isPerson ? 'person' : 'company' };
  if (isPerson) {
    if (contact.surename) customer.firstName = contact.surename;
    if (contact.familyname) customer.lastName = contact.familyname;
    if (contact.parent?.id) customer.parentCompanyId = contact.parent.id;
  } else if (contact.name) {
    customer.companyName = contact.name;
  }
  if (contact.customerNumber) customer.customerNumber = contact.customerNumber;
  if (contact.vatNumber) customer.vatId = contact.vatNumber;
  const email = mainWay(ways, 'EMAIL');
  if (email) customer.email = email.value;
  const phone = mainWay(ways, 'PHONE');
  if (phone) customer.phone = phone.value;
  if (address) customer.address = fromVendorAddress(address, ids);
  const updatedAt = contact.update ? Date.parse(contact.update) : NaN;
  if (!Number.isNaN(updatedAt)) customer.updatedAt = updatedAt;
  return customer;
}

/** The main way of a type, else the first one (`main` reads back as "1"/"0"). */
export function mainWay(ways: SevdeskCommunicationWay[], type: SevdeskCommunicationWay['type']): SevdeskCommunicationWay | undefined {
  const ofType = ways.filter((w) => w.type === type);
  return ofType.find((w) => w.main === '1' || w.main === true || w.main === 1) ?? ofType[0];
}

/** Body of `POST /ContactAddress` (SVS `Model_ContactAddress`: contact, country, category required). */
export function toVendorAddress(contactId: string, address: Address, ids: SevdeskAccountIds): Record<string, unknown> | undefined {
  const countryId = ids.countryIds[(address.countryCode ?? 'DE').toUpperCase()];
  if (countryId === undefined) return undefined;
  return {
    contact: ref(contactId, 'Contact'),
    street: address.street ?? null,
    zip: address.zip ?? null,
    city: address.city ?? null,
    country: ref(countryId, 'StaticCountry'),
    category: ref(ids.addressCategoryId, 'Category'),
  };
}

function fromVendorAddress(address: SevdeskContactAddress, ids: SevdeskAccountIds): Address {
  const out: Address = {};
  if (address.street) out.street = address.street;
  if (address.zip) out.zip = address.zip;
  if (address.city) out.city = address.city;
  const code = Object.entries(ids.countryIds).find(([, id]) => String(id) === address.country?.id)?.[0];
  if (code) out.countryCode = code;
  return out;
}

/** Body of `POST /CommunicationWay` (SVS `Model_CommunicationWay`). */
export function toVendorCommunicationWay(contactId: string, type: 'EMAIL' | 'PHONE', value: string, ids: SevdeskAccountIds): Record<string, unknown> {
  return { contact: ref(contactId, 'Contact'), type, value, key: ref(ids.communicationKeyId, 'CommunicationWayKey'), main: true };
}

/**
 * JSON number for a decimal string: sevDesk takes floats (SVS `Model_InvoicePos`). Refuses a value
 * that a double cannot carry exactly, so the vendor never silently gets a different amount (money.md §8.13).
 */
export function toJsonNumber(value: string | Decimal): number {
  const exact = dec(value);
  const number = Number(exact.toString());
  if (!dec(number).equals(exact)) throw new RangeError(`value ${exact.toString()} cannot be sent to sevDesk without losing digits`);
  return number;
}

/** `YYYY-MM-DD` → `dd.mm.yyyy`, one of the two forms `invoiceDate` accepts (§2.4). */
export function toVendorDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/** sevDesk dates come as ISO date-times with the account's offset ("2026-01-15T00:00:00+01:00") or `dd.mm.yyyy`: keep the calendar date. */
export function fromVendorDate(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const german = /^(\d{2})\.(\d{2})\.(\d{4})/.exec(value);
  if (german) return `${german[3]}-${german[2]}-${german[1]}`;
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined;
}

export function fromVendorStatus(status: string): DocumentStatus {
  switch (status) {
    case '100':
      return 'draft';
    case '1000':
      return 'paid';
    case '50':
      return 'voided';
    default:
      return 'open'; // 200 open, 750 partially paid (§2.6)
  }
}

export function fromVendorInvoice(invoice: SevdeskInvoice): DocumentRef {
  const ref: DocumentRef = {
    id: invoice.id,
    kind: 'invoice',
    status: fromVendorStatus(invoice.status),
    currency: invoice.currency ?? 'EUR',
    totals: { net: toMoneyString(invoice.sumNet), tax: toMoneyString(invoice.sumTax), gross: toMoneyString(invoice.sumGross) },
  };
  if (invoice.invoiceNumber) ref.number = invoice.invoiceNumber;
  const date = fromVendorDate(invoice.invoiceDate);
  if (date) ref.date = date;
  return ref;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `headText`/`footText` take "some HTML" (§2.4): our plain text becomes escaped paragraphs. */
function toVendorText(...parts: Array<string | undefined>): string | null {
  const paragraphs = parts.filter((p): p is string => Boolean(p?.trim())).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return paragraphs.length ? paragraphs.join('') : null;
}

export interface InvoiceContext {
  /** A sevDesk user (`GET /SevUser`), required as `contactPerson` (§2.4). */
  contactPersonId: string;
  ids: SevdeskAccountIds;
}

/**
 * Body of `POST /Invoice/Factory/saveInvoice` (§2.4). New invoices must be status 100; both `taxRule`
 * (2.0 accounts) and `taxType: "default"` (1.0 accounts, required by SVS `Model_Invoice`) are sent,
 * as community capture scripts do. `draft.reference` goes into `customerInternalNote` (§7) so that
 * `findDocumentByReference` can find an invoice an interrupted attempt created.
 */
export function toVendorInvoice(draft: DocumentDraft, context: InvoiceContext): Record<string, unknown> {
  const { ids } = context;
  const invoice: Record<string, unknown> = {
    objectName: 'Invoice',
    mapAll: true,
    contact: ref(draft.customerId, 'Contact'),
    contactPerson: ref(context.contactPersonId, 'SevUser'),
    invoiceDate: toVendorDate(draft.date),
    status: '100',
    invoiceType: 'RE',
    currency: draft.currency,
    header: draft.title ?? 'Rechnung',
    headText: toVendorText(draft.introduction),
    footText: toVendorText(draft.closingText, draft.paymentTerms),
    discount: 0, // early-payment (Skonto) percent, not a price discount (money.md §4.1)
    showNet: draft.priceBasis === 'net',
    taxRate: 0,
    taxRule: { id: ids.taxRuleId, objectName: 'TaxRule' },
    taxType: 'default',
    taxText: 'Umsatzsteuer',
    addressCountry: ref(ids.countryIds.DE ?? 1, 'StaticCountry'),
    customerInternalNote: draft.reference,
  };
  if (draft.paymentTermDays !== undefined) invoice.timeToPay = draft.paymentTermDays;
  const invoicePosSave = draft.lines.map((line, index) => {
    const position: Record<string, unknown> = {
      objectName: 'InvoicePos',
      mapAll: true,
      name: line.name,
      quantity: toJsonNumber(line.quantity),
      price: toJsonNumber(line.unitPrice),
      taxRate: toJsonNumber(line.taxRatePercent),
      unity: ref(ids.unityId, 'Unity'),
      positionNumber: index,
    };
    if (line.description) position.text = line.description;
    if (line.discountPercent !== undefined && !dec(line.discountPercent).isZero()) position.discount = toJsonNumber(line.discountPercent);
    return position;
  });
  return { invoice, invoicePosSave, invoicePosDelete: null, discountSave: [] };
}

/** An order of type AN (estimate/proposal) as our quotation: 100 draft, 300 rejected, every other status open (SVS Order tag). */
export function fromVendorOrder(order: SevdeskOrder): DocumentRef {
  const ref: DocumentRef = {
    id: order.id,
    kind: 'quotation',
    status: order.status === '100' ? 'draft' : order.status === '300' ? 'voided' : 'open',
    currency: order.currency ?? 'EUR',
    totals: { net: toMoneyString(order.sumNet), tax: toMoneyString(order.sumTax), gross: toMoneyString(order.sumGross) },
  };
  if (order.orderNumber) ref.number = order.orderNumber;
  const date = fromVendorDate(order.orderDate);
  if (date) ref.date = date;
  return ref;
}

/**
 * Body of `POST /Order/Factory/saveOrder` for an estimate (orderType AN): the invoice body's fields under
 * their order names (SVS `Model_Order`). sevDesk requires `orderNumber` from the caller (SVS required
 * list; live test in codecell-germany/sevdesk-agent-skill knowledge/SEVDESK_ORDER_WRITE_LEARNINGS.md §13),
 * so the quotation is numbered "AN-" plus the deal's part of our reference, unique per deal.
 */
export function toVendorOrder(draft: DocumentDraft, context: InvoiceContext): Record<string, unknown> {
  const { invoice, invoicePosSave } = toVendorInvoice(draft, context) as { invoice: Record<string, unknown>; invoicePosSave: Array<Record<string, unknown>> };
  const order: Record<string, unknown> = {
    ...invoice,
    objectName: 'Order',
    orderNumber: quotationNumber(draft.reference),
    orderDate: invoice.invoiceDate,
    orderType: 'AN',
    version: 0,
    header: draft.title ?? 'Angebot',
  };
  // Invoice-only fields: the order model has no invoice type, due days or early-payment discount.
  for (const key of ['invoiceDate', 'invoiceType', 'timeToPay', 'discount']) delete order[key];
  const orderPosSave = invoicePosSave.map((p) => ({ ...p, objectName: 'OrderPos' }));
  return { order, orderPosSave, orderPosDelete: null };
}

/** "AN-" and the reference without its fixed prefix ("APIUP-123-456" → "AN-123-456"). */
export function quotationNumber(reference: string): string {
  return `AN-${reference.replace(/^APIUP-/, '')}`;
}

/** The e-invoice fields of `saveInvoice` (SVS `propertyIsEInvoice`): flag, payment method, the customer's address. */
export function toVendorEInvoiceFields(customer: Customer, ids: SevdeskAccountIds): Record<string, unknown> {
  const a = customer.address ?? {};
  const fields: Record<string, unknown> = { propertyIsEInvoice: true, paymentMethod: ref(ids.paymentMethodId, 'PaymentMethod') };
  if (a.street) fields.addressStreet = a.street;
  if (a.zip) fields.addressZip = a.zip;
  if (a.city) fields.addressCity = a.city;
  if (a.countryCode && ids.countryIds[a.countryCode]) fields.addressCountry = ref(ids.countryIds[a.countryCode], 'StaticCountry');
  return fields;
}
