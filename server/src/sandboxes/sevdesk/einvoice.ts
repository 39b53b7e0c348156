/**
 * sevDesk e-invoices in the emulator. What a valid e-invoice needs is the list SVS gives under
 * `propertyIsEInvoice` (server/specs/sevdesk/openapi.yaml, Model_Invoice; https://api.sevdesk.de/ "e-invoice"):
 * sevClient addressStreet, addressZip, addressCity, bankIban, bankBic, contactEmail, contactPhone, taxNumber,
 * vatNumber; contact buyerReference and e-mail; invoice paymentMethod, addressStreet, addressZip, addressCity,
 * addressCountry, contact. The sandbox refuses the creation with 422 (sevDesk's status for validations, API news
 * 2024-04-08) naming every missing field; sevDesk's own wording is UNCONFIRMED.
 * The XML is a CII document (ZUGFeRD/XRechnung use UN/CEFACT CII; SVS: "Both XML files are identical").
 */
import type { SaveInvoiceBody } from './validation';
import { SevdeskHttpError } from './validation';
import type { SevdeskStore, StoredInvoice } from './store';

const sevClientFields = [
  'addressStreet',
  'addressZip',
  'addressCity',
  'bankIban',
  'bankBic',
  'contactEmail',
  'contactPhone',
  'taxNumber',
  'vatNumber',
] as const;

function contactEmail(store: SevdeskStore, contactId: string): string | undefined {
  return [...store.ways.values()].find((w) => w.contactId === contactId && w.type === 'EMAIL')?.value;
}

export function checkEInvoice(store: SevdeskStore, body: SaveInvoiceBody): void {
  const { invoice } = body;
  const missing: string[] = [];
  for (const field of sevClientFields) if (!store.client[field]) missing.push(`sevClient.${field}`);
  const contact = store.contacts.get(invoice.contact.id);
  if (!contact?.buyerReference) missing.push('contact.buyerReference');
  if (!contactEmail(store, invoice.contact.id)) missing.push('contact.email');
  if (!invoice.paymentMethod) missing.push('invoice.paymentMethod');
  for (const field of ['addressStreet', 'addressZip', 'addressCity'] as const) if (!invoice[field]) missing.push(`invoice.${field}`);
  if (missing.length > 0) throw new SevdeskHttpError(422, `E-invoice data missing: ${missing.join(', ')}`);
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A CII (EN 16931) invoice with the parties, buyer reference, lines and the totals the sandbox computed. */
export function eInvoiceXml(store: SevdeskStore, invoice: StoredInvoice): string {
  const c = store.client;
  const contact = store.contacts.get(invoice.contactId);
  const buyer = contact?.name ?? [contact?.surename, contact?.familyname].filter(Boolean).join(' ');
  const lines = invoice.positions
    .map(
      (p, i) =>
        `<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>${escape(p.name ?? '')}</ram:Name></ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:RateApplicablePercent>${p.taxRate}</ram:RateApplicablePercent></ram:ApplicableTradeTax><ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${invoice.totals.positions[i].sumNet.toFixed(2)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>`,
    )
    .join('');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">',
    '<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>',
    `<rsm:ExchangedDocument><ram:ID>${escape(invoice.invoiceNumber ?? '')}</ram:ID><ram:TypeCode>380</ram:TypeCode></rsm:ExchangedDocument>`,
    '<rsm:SupplyChainTradeTransaction>',
    lines,
    `<ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>${escape(contact?.buyerReference ?? '')}</ram:BuyerReference>`,
    `<ram:SellerTradeParty><ram:Name>${escape(c.name)}</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>${escape(c.addressZip ?? '')}</ram:PostcodeCode><ram:LineOne>${escape(c.addressStreet ?? '')}</ram:LineOne><ram:CityName>${escape(c.addressCity ?? '')}</ram:CityName><ram:CountryID>DE</ram:CountryID></ram:PostalTradeAddress><ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${escape(c.vatNumber ?? '')}</ram:ID></ram:SpecifiedTaxRegistration></ram:SellerTradeParty>`,
    `<ram:BuyerTradeParty><ram:Name>${escape(buyer)}</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>${escape(invoice.address?.zip ?? '')}</ram:PostcodeCode><ram:LineOne>${escape(invoice.address?.street ?? '')}</ram:LineOne><ram:CityName>${escape(invoice.address?.city ?? '')}</ram:CityName></ram:PostalTradeAddress><ram:URIUniversalCommunication><ram:URIID schemeID="EM">${escape(contactEmail(store, invoice.contactId) ?? '')}</ram:URIID></ram:URIUniversalCommunication></ram:BuyerTradeParty>`,
    '</ram:ApplicableHeaderTradeAgreement>',
    `<ram:ApplicableHeaderTradeSettlement><ram:InvoiceCurrencyCode>${invoice.currency}</ram:InvoiceCurrencyCode><ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>${escape(c.bankIban ?? '')}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>`,
    `<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:TaxBasisTotalAmount>${invoice.totals.sumNet.toFixed(2)}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID="${invoice.currency}">${invoice.totals.sumTax.toFixed(2)}</ram:TaxTotalAmount><ram:GrandTotalAmount>${invoice.totals.sumGross.toFixed(2)}</ram:GrandTotalAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>`,
    '</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>',
  ].join('\n');
}
