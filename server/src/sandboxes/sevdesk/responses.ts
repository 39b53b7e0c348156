/**
 * What the sevDesk emulator sends back: SVS `Model_*Response` shapes, bare where SVS shows them bare
 * (only `getPdf` comes wrapped in `objects`, as SVQ recorded at runtime), with ids and amounts as
 * strings (accounting.md §2.2). The spec declares these fields non-nullable, so empty fields are
 * left out rather than sent as null (the runtime may send nulls; our client accepts both).
 */
import { berlinDateTime, berlinMidnight } from './dates';
import type { SevMoney } from './money';
import type { StoredAddress, StoredContact, StoredInvoice, StoredPosition, StoredWay } from './store';

const sevClient = { id: 501, objectName: 'SevClient' };
const iso = berlinDateTime;

export function contactJson(c: StoredContact) {
  return {
    id: c.id,
    objectName: 'Contact',
    create: iso(c.createdMs),
    update: iso(c.updatedMs),
    name: c.name,
    status: c.status,
    customerNumber: c.customerNumber,
    parent: c.parentId ? { id: c.parentId, objectName: 'Contact' } : undefined,
    surename: c.surename,
    familyname: c.familyname,
    category: { id: c.categoryId, objectName: 'Category' },
    sevClient,
    vatNumber: c.vatNumber,
  };
}

/** SVS `Model_ContactAddressResponse` types its ids as integers, unlike the other responses. */
export function addressJson(a: StoredAddress) {
  return {
    id: Number(a.id),
    objectName: 'ContactAddress',
    create: iso(a.createdMs),
    update: iso(a.updatedMs),
    contact: { id: Number(a.contactId), objectName: 'Contact' },
    street: a.street,
    zip: a.zip,
    city: a.city,
    country: { id: Number(a.countryId), objectName: 'StaticCountry' },
    category: a.categoryId ? { id: Number(a.categoryId), objectName: 'Category' } : undefined,
    sevClient,
  };
}

export function wayJson(w: StoredWay) {
  return {
    id: w.id,
    objectName: 'CommunicationWay',
    create: iso(w.createdMs),
    update: iso(w.updatedMs),
    contact: { id: w.contactId, objectName: 'Contact' },
    type: w.type,
    value: w.value,
    key: { id: w.keyId, objectName: 'CommunicationWayKey' },
    main: w.main ? '1' : '0',
    sevClient: { id: '501', objectName: 'SevClient' },
  };
}

export function invoiceJson(i: StoredInvoice) {
  return {
    id: i.id,
    objectName: 'Invoice',
    invoiceNumber: i.invoiceNumber,
    contact: { id: i.contactId, objectName: 'Contact' },
    create: iso(i.createdMs),
    update: iso(i.updatedMs),
    sevClient: { id: '501', objectName: 'SevClient' },
    invoiceDate: berlinMidnight(i.invoiceDate),
    header: i.header,
    headText: i.headText,
    footText: i.footText,
    timeToPay: i.timeToPay === undefined ? undefined : String(i.timeToPay),
    discount: '0',
    addressCountry: { id: i.addressCountryId, objectName: 'StaticCountry' },
    payDate: i.payDate ? berlinMidnight(i.payDate) : undefined,
    status: i.status,
    contactPerson: { id: i.contactPersonId, objectName: 'SevUser' },
    taxRate: '0',
    taxRule: i.taxRuleId ? { id: i.taxRuleId, objectName: 'TaxRule' } : undefined,
    taxText: i.taxText,
    taxType: i.taxType === 'ss' ? undefined : i.taxType,
    sendDate: i.sendDateMs === undefined ? undefined : iso(i.sendDateMs),
    invoiceType: 'RE',
    currency: i.currency,
    sumNet: i.totals.sumNet.toFixed(2),
    sumTax: i.totals.sumTax.toFixed(2),
    sumGross: i.totals.sumGross.toFixed(2),
    sumDiscounts: i.totals.sumDiscounts.toFixed(2),
    paidAmount: i.paidAmount === undefined ? undefined : Number(i.paidAmount),
    customerInternalNote: i.customerInternalNote,
    showNet: i.showNet,
    sendType: i.sendType,
  };
}

/** Positions keep `priceGross`/`priceTax` unrounded as sevDesk stores them (money.md §4.1, SVREC2). */
export function positionJson(invoice: StoredInvoice, p: StoredPosition, index: number) {
  const sums = invoice.totals.positions[index];
  const fourPlaces = (d: SevMoney) => d.toDecimalPlaces(4).toString();
  return {
    id: p.id,
    objectName: 'InvoicePos',
    invoice: { id: invoice.id, objectName: 'Invoice' },
    quantity: p.quantity,
    price: p.price,
    name: p.name,
    unity: { id: p.unityId, objectName: 'Unity' },
    sevClient: { id: '501', objectName: 'SevClient' },
    positionNumber: String(p.positionNumber),
    text: p.text,
    discount: p.discount,
    taxRate: p.taxRate,
    sumDiscount: sums.sumDiscount.toFixed(2),
    sumNet: sums.sumNet.toFixed(2),
    sumTax: sums.sumTax.toFixed(2),
    sumGross: sums.sumGross.toFixed(2),
    priceNet: fourPlaces(sums.priceNet),
    priceGross: fourPlaces(sums.priceGross),
    priceTax: fourPlaces(sums.priceTax),
  };
}
