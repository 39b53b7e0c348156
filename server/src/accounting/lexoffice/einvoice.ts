/**
 * Lexware Office e-invoices (accounting.md §1.6, §1.9). XRechnung for public bodies: the contact carries
 * `xRechnung.buyerReference` (Leitweg-ID) and `vendorNumberAtCustomer`, both required together (docs "Contact
 * Properties"); the invoice may name the buyer reference again. Any other finalized invoice is a ZUGFeRD
 * (`electronicDocumentProfile` EN16931) where the account has e-invoices enabled; Lexware decides that, the API
 * has no switch for it. The XML of an XRechnung comes from `GET /v1/invoices/{id}/file` with `application/xml`.
 * The seller's company data (tax number, bank account, address) is not in any API answer (GET /v1/profile has
 * none of it); Lexware checks it when an XRechnung is finalized (change log 01.08.2024).
 */
import type { CustomerInput, EInvoiceData, EInvoiceGap, ProviderEInvoicing } from '../provider';
import type { LexofficeClient } from './client';
import type { LexofficeContact } from './schemas';

export function createLexofficeEInvoicing(client: LexofficeClient): ProviderEInvoicing {
  return {
    formats: ['XRechnung', 'ZUGFeRD'],
    sellerGaps: async () => ({ gaps: [], checkedByVendor: true }),
    customerGaps(customer: CustomerInput, data: EInvoiceData) {
      const gaps: EInvoiceGap[] = [];
      const a = customer.address;
      if (!a?.street || !a.zip || !a.city || !a.countryCode) gaps.push({ code: 'customer_address', fixIn: 'hubspot_company' });
      if (!data.email) gaps.push({ code: 'customer_email', fixIn: 'hubspot_contact' });
      if (data.buyerReference && !data.vendorNumberAtCustomer) gaps.push({ code: 'vendor_number_at_customer', fixIn: 'hubspot_company' });
      if (data.vendorNumberAtCustomer && !data.buyerReference) gaps.push({ code: 'buyer_reference', fixIn: 'hubspot_company' });
      return gaps;
    },
    fetchXml: (invoiceId) => client.downloadXml(invoiceId),
    // The XRechnung pair on the invoice makes it an XRechnung, whose XML is the `/file` download; a ZUGFeRD carries it in the PDF.
    hasSeparateXml: (data) => Boolean(data.buyerReference && data.vendorNumberAtCustomer),
  };
}

/**
 * The contact fields an e-invoice needs that it lacks, as the whole-contact PUT body (§1.5: full replacement with the
 * current version), or null when nothing changes: the XRechnung pair and a business e-mail.
 */
export function eInvoiceContactUpdate(contact: LexofficeContact, data: EInvoiceData): Record<string, unknown> | null {
  const { id: _id, archived: _archived, ...body } = contact as LexofficeContact & { archived?: boolean };
  let changed = false;
  if (data.buyerReference && data.vendorNumberAtCustomer) {
    const wanted = { buyerReference: data.buyerReference, vendorNumberAtCustomer: data.vendorNumberAtCustomer };
    if (contact.xRechnung?.buyerReference !== wanted.buyerReference || contact.xRechnung?.vendorNumberAtCustomer !== wanted.vendorNumberAtCustomer) {
      Object.assign(body, { xRechnung: wanted });
      changed = true;
    }
  }
  const emails = contact.emailAddresses;
  const hasEmail = Boolean(emails?.business?.[0] ?? emails?.office?.[0] ?? emails?.other?.[0] ?? emails?.private?.[0]);
  if (!hasEmail && data.email) {
    Object.assign(body, { emailAddresses: { ...(emails ?? {}), business: [data.email] } });
    changed = true;
  }
  if (!changed) return null;
  const roles = (body as { roles?: { customer?: unknown; vendor?: unknown } }).roles;
  // Role numbers are read-only (§1.5): the role is kept as the empty object a write sends.
  return { ...body, roles: { ...(roles?.customer ? { customer: {} } : {}), ...(roles?.vendor ? { vendor: {} } : {}) } };
}
