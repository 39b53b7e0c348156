/**
 * E-invoices in the Lexware emulator.
 * - XRechnung: a contact "for German public authorities" carries `xRechnung.buyerReference` (Leitweg-ID) and
 *   `vendorNumberAtCustomer`; "if a customer's buyerReference is set, its vendorNumberAtCustomer needs to be set
 *   as well" (docs "Contact Properties", XRechnung; server/specs/lexoffice/openapi.from-docs.json ContactXRechnung).
 *   An invoice for such a contact is an XRechnung unless its own `xRechnung.buyerReference` is "" ("to create a
 *   standard invoice for an XRechnung enabled contact, set the buyerReference to an empty string"); an invoice
 *   naming a buyer reference for a contact without both fields is refused with 406 (docs "Invoices › XRechnung",
 *   as the Rust crate lexoffice quotes them: https://docs.rs/lexoffice/latest/lexoffice/model/invoices/struct.XRechnung.html).
 * - Since 01.08.2024 the company data of an XRechnung is checked when the invoice is finalized (change log).
 *   Which fields Lexware checks is UNCONFIRMED; the sandbox checks what EN 16931/XRechnung make mandatory for the
 *   seller (tax number or VAT id BT-31/32, address BT-35..40, payment account BT-84 for a transfer) and the
 *   buyer's electronic address BT-49 (XRechnung 3.0), answering 406 in the regular error shape.
 * - `electronicDocumentProfile`: NONE for drafts, XRechnung, or EN16931 (ZUGFeRD) where the organisation has
 *   e-invoices on (docs "Invoices Properties", 13.01.2025). That Lexware makes every finalized invoice a ZUGFeRD
 *   when the account setting is on is the sandbox's reading (UNCONFIRMED); `store.company.zugferd` switches it.
 */
import type { FieldProblem, VoucherCreate } from './validation';
import type { LexofficeStore, StoredContact } from './store';

export type ElectronicDocumentProfile = 'NONE' | 'EN16931' | 'XRechnung';

export const isXRechnungContact = (c: StoredContact | undefined): boolean => Boolean(c?.xRechnung?.buyerReference && c.xRechnung.vendorNumberAtCustomer);

/** The contact's own rule: a buyer reference needs the vendor number. */
export function contactXRechnungProblems(xRechnung: { buyerReference?: string; vendorNumberAtCustomer?: string } | undefined): FieldProblem[] {
  if (xRechnung?.buyerReference && !xRechnung.vendorNumberAtCustomer)
    return [{ field: 'xRechnung.vendorNumberAtCustomer', missing: true, message: 'darf nicht leer sein' }];
  return [];
}

/** Whether this invoice becomes an XRechnung, or the problems that refuse it. */
export function xRechnungOf(
  store: LexofficeStore,
  body: VoucherCreate & { xRechnung?: { buyerReference?: string } },
  finalize: boolean,
): { xRechnung: boolean; problems: FieldProblem[] } {
  const contact = body.address.contactId ? store.contacts.get(body.address.contactId) : undefined;
  const own = body.xRechnung?.buyerReference;
  if (own && !isXRechnungContact(contact)) {
    return {
      xRechnung: false,
      problems: [{ field: 'xRechnung.buyerReference', missing: false, message: 'Kontakt hat keine Leitweg-ID und keine Lieferantennummer' }],
    };
  }
  const xRechnung = isXRechnungContact(contact) && own !== '';
  if (!xRechnung || !finalize) return { xRechnung, problems: [] };
  const problems: FieldProblem[] = [];
  const c = store.company;
  if (!c.taxNumber && !c.vatRegistrationId)
    problems.push({ field: 'organization.taxNumber', missing: true, message: 'Steuernummer oder USt-IdNr. fehlt in den Firmendaten' });
  if (!c.street || !c.zip || !c.city) problems.push({ field: 'organization.address', missing: true, message: 'Anschrift fehlt in den Firmendaten' });
  if (!c.iban) problems.push({ field: 'organization.bankAccount', missing: true, message: 'Bankverbindung fehlt in den Firmendaten' });
  const email = contact?.emailAddresses?.business?.[0] ?? contact?.emailAddresses?.office?.[0] ?? contact?.emailAddresses?.other?.[0];
  if (!email) problems.push({ field: 'address.contactId', missing: true, message: 'E-Mail-Adresse des Kunden fehlt' });
  return { xRechnung, problems };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XRechnung (CII syntax) `GET /v1/invoices/{id}/file` serves for `*\/*` or `application/xml`. */
export function xRechnungXml(store: LexofficeStore, rendered: Record<string, any>): string {
  const c = store.company;
  const contact = store.contacts.get(rendered.address?.contactId);
  const lines = (rendered.lineItems as any[])
    .filter((l) => l.type !== 'text')
    .map(
      (l, i) =>
        `<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>${escape(l.name)}</ram:Name></ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:RateApplicablePercent>${l.unitPrice.taxRatePercentage}</ram:RateApplicablePercent></ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${Number(l.lineItemAmount).toFixed(2)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>`,
    )
    .join('');
  const buyerReference = rendered.xRechnung?.buyerReference || contact?.xRechnung?.buyerReference || '';
  const t = rendered.totalPrice;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">',
    '<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>',
    `<rsm:ExchangedDocument><ram:ID>${escape(rendered.voucherNumber)}</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>`,
    '<rsm:SupplyChainTradeTransaction>',
    lines,
    `<ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>${escape(buyerReference)}</ram:BuyerReference>`,
    `<ram:SellerTradeParty><ram:Name>${escape(store.companyName)}</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>${escape(c.zip ?? '')}</ram:PostcodeCode><ram:LineOne>${escape(c.street ?? '')}</ram:LineOne><ram:CityName>${escape(c.city ?? '')}</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${escape(c.vatRegistrationId ?? '')}</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>`,
    `<ram:BuyerTradeParty><ram:Name>${escape(rendered.address?.name ?? '')}</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>${escape(rendered.address?.zip ?? '')}</ram:PostcodeCode><ram:LineOne>${escape(rendered.address?.street ?? '')}</ram:LineOne><ram:CityName>${escape(rendered.address?.city ?? '')}</ram:CityName><ram:CountryID>${escape(rendered.address?.countryCode ?? '')}</ram:CountryID></ram:PostalTradeAddress></ram:BuyerTradeParty>`,
    `<ram:SellerOrderReferencedDocument><ram:IssuerAssignedID>${escape(contact?.xRechnung?.vendorNumberAtCustomer ?? '')}</ram:IssuerAssignedID></ram:SellerOrderReferencedDocument>`,
    '</ram:ApplicableHeaderTradeAgreement>',
    `<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode><ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${escape(c.iban ?? '')}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>`,
    `<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>${Number(t.totalNetAmount).toFixed(2)}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="EUR">${Number(t.totalTaxAmount).toFixed(2)}</ram:TaxTotalAmount><ram:GrandTotalAmount>${Number(t.totalGrossAmount).toFixed(2)}</ram:GrandTotalAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>`,
    '</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>',
  ].join('\n');
}
