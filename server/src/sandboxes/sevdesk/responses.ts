/**
 * What the sevDesk emulator sends back, shaped like sevDesk's recorded answers: every field of the
 * object, `null` where it is unset (not left out), ids, flags and amounts as strings, amounts without
 * trailing zeros ("260", "49.4", "1.3"), date-times in Berlin time with their offset. Recorded
 * answers: GET /Contact, GET /ContactAddress and GET /Order?embed=positions of a real account in
 * TomDixon63/OrderManager2 (front/src/app/model/{contact,contactAddress,order}.ts, 2022–2023).
 * Invoices and their positions carry the fields of SVS `Model_InvoiceResponse` / `Model_InvoicePosResponse`.
 */
import { berlinDateTime, berlinMidnight } from './dates';
import type { SevMoney } from './money';
import type { StoredAddress, StoredContact, StoredInvoice, StoredOrder, StoredPosition, StoredWay } from './store';

const sevClientId = '501';
const sevClient = { id: sevClientId, objectName: 'SevClient' };
const iso = berlinDateTime;
const ref = (id: string | undefined, objectName: string) => (id === undefined ? null : { id, objectName });
/** sevDesk's amount strings: exact decimals in plain notation, no trailing zeros. */
const amount = (value: SevMoney) => value.toFixed();

/** Keys and order of the recorded GET /Contact answer; `parent` only on persons under an organisation. */
export function contactJson(c: StoredContact) {
  return {
    id: c.id,
    objectName: 'Contact',
    additionalInformation: null,
    create: iso(c.createdMs),
    update: iso(c.updatedMs),
    name: c.name ?? null,
    status: c.status,
    customerNumber: c.customerNumber ?? null,
    ...(c.parentId ? { parent: { id: c.parentId, objectName: 'Contact' } } : {}),
    surename: c.surename ?? null,
    familyname: c.familyname ?? null,
    titel: c.titel ?? null,
    category: { id: c.categoryId, objectName: 'Category' },
    description: c.description ?? null,
    academicTitle: null,
    gender: null,
    sevClient,
    name2: c.name2 ?? null,
    birthday: null,
    vatNumber: c.vatNumber ?? null,
    bankAccount: null,
    bankNumber: null,
    defaultCashbackTime: null,
    defaultCashbackPercent: null,
    defaultTimeToPay: null,
    taxNumber: null,
    taxOffice: null,
    exemptVat: '0',
    taxType: null,
    defaultDiscountAmount: null,
    defaultDiscountPercentage: '0',
    buyerReference: c.buyerReference ?? null,
    governmentAgency: '0',
    defaultShowVat: '1',
  };
}

/** Keys of the recorded GET /ContactAddress answer: ids as strings (SVS types them integer; the runtime does not). */
export function addressJson(a: StoredAddress) {
  return {
    id: a.id,
    objectName: 'ContactAddress',
    additionalInformation: null,
    create: iso(a.createdMs),
    update: iso(a.updatedMs),
    contact: { id: a.contactId, objectName: 'Contact' },
    street: a.street ?? null,
    zip: a.zip ?? null,
    city: a.city ?? null,
    country: { id: a.countryId, objectName: 'StaticCountry' },
    category: ref(a.categoryId, 'Category'),
    name: null,
    sevClient,
  };
}

export function wayJson(w: StoredWay) {
  return {
    id: w.id,
    objectName: 'CommunicationWay',
    additionalInformation: null,
    create: iso(w.createdMs),
    update: iso(w.updatedMs),
    contact: { id: w.contactId, objectName: 'Contact' },
    type: w.type,
    value: w.value,
    key: { id: w.keyId, objectName: 'CommunicationWayKey' },
    main: w.main ? '1' : '0',
    sevClient,
  };
}

/**
 * SVS `Model_InvoiceResponse`, every field. `paidAmount` is the number 0 until paid (SVS example)
 * and the paid amount as a string after (emuuu/sevDesk.NET ApiDeserializationTests: "99.98").
 */
export function invoiceJson(i: StoredInvoice) {
  const sums = i.totals;
  return {
    id: i.id,
    objectName: 'Invoice',
    invoiceNumber: i.invoiceNumber ?? null,
    contact: { id: i.contactId, objectName: 'Contact' },
    create: iso(i.createdMs),
    update: iso(i.updatedMs),
    sevClient,
    invoiceDate: berlinMidnight(i.invoiceDate),
    header: i.header ?? null,
    headText: i.headText ?? null,
    footText: i.footText ?? null,
    timeToPay: i.timeToPay === undefined ? null : String(i.timeToPay),
    discountTime: String(i.discountTime ?? 0),
    discount: String(i.cashDiscountPercent ?? 0),
    addressCountry: { id: i.addressCountryId, objectName: 'StaticCountry' },
    payDate: i.payDate ? berlinMidnight(i.payDate) : null,
    createUser: { id: i.contactPersonId, objectName: 'SevUser' },
    deliveryDate: null,
    status: i.status,
    smallSettlement: '0',
    contactPerson: { id: i.contactPersonId, objectName: 'SevUser' },
    taxRate: '0',
    taxRule: ref(i.taxRuleId, 'TaxRule'),
    taxText: i.taxText,
    dunningLevel: null,
    taxType: i.taxType ?? null,
    paymentMethod: i.paymentMethodId === undefined ? null : { id: i.paymentMethodId, objectName: 'PaymentMethod' },
    costCentre: null,
    sendDate: i.sendDateMs === undefined ? null : iso(i.sendDateMs),
    origin: i.origin ?? null,
    invoiceType: i.invoiceType,
    accountIntervall: null,
    accountNextInvoice: null,
    reminderTotal: null,
    reminderDebit: null,
    reminderDeadline: null,
    reminderCharge: null,
    taxSet: null,
    address: null,
    currency: i.currency,
    sumNet: amount(sums.sumNet),
    sumTax: amount(sums.sumTax),
    sumGross: amount(sums.sumGross),
    sumDiscounts: amount(sums.sumDiscounts),
    sumNetForeignCurrency: '0',
    sumTaxForeignCurrency: '0',
    sumGrossForeignCurrency: '0',
    sumDiscountsForeignCurrency: '0',
    sumNetAccounting: '0',
    sumTaxAccounting: '0',
    sumGrossAccounting: '0',
    paidAmount: i.paidAmount ?? 0,
    customerInternalNote: i.customerInternalNote ?? null,
    showNet: i.showNet ? '1' : '0',
    enshrined: null,
    sendType: i.sendType ?? null,
    deliveryDateUntil: null,
    datevConnectOnline: null,
    sendPaymentReceivedNotificationDate: null,
  };
}

/**
 * SVS `Model_InvoicePosResponse` plus the position sums the runtime sends (`sumNet`, `sumTax`,
 * `sumGross`, as on the recorded OrderPos and emuuu/sevDesk.NET's embedded InvoicePos). `priceGross`
 * and `priceTax` stay unrounded, as recorded (1.3 → 1.547 / 0.247; 42.01 → 49.9919 / 7.9819).
 */
export function positionJson(invoice: StoredInvoice, p: StoredPosition, index: number) {
  const sums = invoice.totals.positions[index];
  const fourPlaces = (d: SevMoney) => d.toDecimalPlaces(4).toFixed();
  return {
    id: p.id,
    objectName: 'InvoicePos',
    create: iso(invoice.createdMs),
    update: iso(invoice.updatedMs),
    invoice: { id: invoice.id, objectName: 'Invoice' },
    part: null,
    quantity: p.quantity,
    price: p.price,
    name: p.name ?? null,
    unity: { id: p.unityId, objectName: 'Unity' },
    sevClient,
    positionNumber: String(p.positionNumber),
    text: p.text ?? null,
    discount: p.discount ?? '0',
    taxRate: p.taxRate,
    sumDiscount: amount(sums.sumDiscount),
    sumNet: amount(sums.sumNet),
    sumTax: amount(sums.sumTax),
    sumGross: amount(sums.sumGross),
    sumNetAccounting: '0',
    sumTaxAccounting: '0',
    sumGrossAccounting: '0',
    priceNet: fourPlaces(sums.priceNet),
    priceGross: fourPlaces(sums.priceGross),
    priceTax: fourPlaces(sums.priceTax),
  };
}

/**
 * GET /Order as recorded from a real account (TomDixon63/OrderManager2 front/src/app/model/order.ts,
 * 2023-12: keys, order and types, `null` where unset, numbers as strings; the address parts stay null as
 * there when no address was given).
 */
export function orderJson(o: StoredOrder) {
  const sums = o.totals;
  return {
    id: o.id,
    objectName: 'Order',
    additionalInformation: null,
    create: iso(o.createdMs),
    update: iso(o.updatedMs),
    orderNumber: o.orderNumber,
    contact: { id: o.contactId, objectName: 'Contact' },
    orderDate: berlinMidnight(o.orderDate),
    status: o.status,
    header: o.header,
    headText: o.headText ?? null,
    footText: o.footText ?? null,
    addressName: null,
    addressStreet: null,
    addressZip: null,
    addressCity: null,
    addressCountry: { id: o.addressCountryId, objectName: 'StaticCountry' },
    createUser: { id: o.contactPersonId, objectName: 'SevUser' },
    sevClient,
    deliveryTerms: null,
    paymentTerms: null,
    version: String(o.version),
    smallSettlement: '0',
    contactPerson: { id: o.contactPersonId, objectName: 'SevUser' },
    taxRate: '0',
    taxText: o.taxText,
    addressParentName: null,
    taxType: o.taxType ?? null,
    orderType: o.orderType,
    sendDate: o.sendDateMs === undefined ? null : iso(o.sendDateMs),
    addressParentName2: null,
    addressName2: null,
    addressGender: null,
    address: null,
    currency: o.currency,
    sumNet: amount(sums.sumNet),
    sumTax: amount(sums.sumTax),
    sumGross: amount(sums.sumGross),
    sumDiscounts: amount(sums.sumDiscounts),
    sumNetForeignCurrency: '0',
    sumTaxForeignCurrency: '0',
    sumGrossForeignCurrency: '0',
    sumDiscountsForeignCurrency: '0',
    weight: '0',
    customerInternalNote: o.customerInternalNote ?? null,
    showNet: o.showNet ? '1' : '0',
    sendType: o.sendType ?? null,
    sumDiscountNet: '0',
    sumDiscountGross: '0',
    sumDiscountNetForeignCurrency: '0',
    sumDiscountGrossForeignCurrency: '0',
  };
}

/** An OrderPos as in the same recorded answer (`part` null: our positions name no article). */
export function orderPositionJson(o: StoredOrder, p: StoredPosition, index: number) {
  const sums = o.totals.positions[index];
  const fourPlaces = (d: SevMoney) => d.toDecimalPlaces(4).toFixed();
  return {
    id: p.id,
    objectName: 'OrderPos',
    additionalInformation: null,
    create: iso(o.createdMs),
    update: iso(o.updatedMs),
    order: { id: o.id, objectName: 'Order' },
    part: null,
    quantity: p.quantity,
    price: p.price,
    priceNet: fourPlaces(sums.priceNet),
    priceTax: fourPlaces(sums.priceTax),
    priceGross: fourPlaces(sums.priceGross),
    name: p.name ?? null,
    priority: '100',
    unity: { id: p.unityId, objectName: 'Unity' },
    sevClient,
    positionNumber: String(p.positionNumber),
    text: p.text ?? null,
    discount: p.discount ?? '0',
    isPercentage: '1',
    discountedValue: null,
    optional: '0',
    optionalChargeable: '0',
    taxRate: p.taxRate,
    sumNet: amount(sums.sumNet),
    sumGross: amount(sums.sumGross),
    sumTax: amount(sums.sumTax),
    sumDiscount: amount(sums.sumDiscount),
    sumNetForeignCurrency: '0',
    sumTaxForeignCurrency: '0',
    sumGrossForeignCurrency: '0',
    sumDiscountForeignCurrency: '0',
    createNextPart: null,
  };
}
