/**
 * sevDesk e-invoices (accounting.md §2.5): `propertyIsEInvoice: true` on the invoice makes sevDesk embed the
 * XML in the PDF (ZUGFeRD); `GET /Invoice/{id}/getXml` gives the XML alone (XRechnung). What a valid e-invoice
 * needs is listed in SVS under `propertyIsEInvoice` (https://api.sevdesk.de/, Model_Invoice): the account's
 * (sevClient) address, IBAN, BIC, e-mail, phone, tax number and VAT id; the contact's buyer reference and
 * e-mail; the invoice's payment method and address.
 */
import { z } from 'zod';
import type { CustomerInput, EInvoiceData, EInvoiceGap, ProviderEInvoicing } from '../provider';
import type { SevdeskClient } from './client';
import { objectsList } from './schemas';

/** `GET /SevClient` with the e-invoice fields SVS names (the endpoint itself is not in SVS; schemas.ts). */
const sevClientEInvoiceSchema = z.object({
  addressStreet: z.string().nullish(),
  addressZip: z.string().nullish(),
  addressCity: z.string().nullish(),
  bankIban: z.string().nullish(),
  bankBic: z.string().nullish(),
  contactEmail: z.string().nullish(),
  contactPhone: z.string().nullish(),
  taxNumber: z.string().nullish(),
  vatNumber: z.string().nullish(),
});

/** SVS `invoiceGetXml` types the answer `{ object: string }`; sevDesk wraps answers in `objects` (§2.2): either is read. */
const xmlSchema = z.union([z.object({ objects: z.string() }).transform((b) => b.objects), z.object({ object: z.string() }).transform((b) => b.object)]);

export function createSevdeskEInvoicing(client: SevdeskClient): ProviderEInvoicing {
  return {
    formats: ['ZUGFeRD', 'XRechnung'],

    async sellerGaps() {
      const account = (await client.request({ method: 'GET', path: '/SevClient' }, objectsList(sevClientEInvoiceSchema))).objects[0];
      const gaps: EInvoiceGap[] = [];
      const add = (code: EInvoiceGap['code']) => gaps.push({ code, fixIn: 'accounting_settings' });
      if (!account?.taxNumber || !account.vatNumber) add('seller_tax_id');
      if (!account?.bankIban) add('seller_iban');
      if (!account?.bankBic) add('seller_bic');
      if (!account?.addressStreet || !account.addressZip || !account.addressCity) add('seller_address');
      if (!account?.contactEmail) add('seller_email');
      if (!account?.contactPhone) add('seller_phone');
      return { gaps, checkedByVendor: false };
    },

    customerGaps(customer: CustomerInput, data: EInvoiceData) {
      const gaps: EInvoiceGap[] = [];
      const a = customer.address;
      if (!a?.street || !a.zip || !a.city || !a.countryCode) gaps.push({ code: 'customer_address', fixIn: 'hubspot_company' });
      if (!data.email) gaps.push({ code: 'customer_email', fixIn: 'hubspot_contact' });
      if (!data.buyerReference) gaps.push({ code: 'buyer_reference', fixIn: 'hubspot_company' });
      return gaps;
    },

    async fetchXml(invoiceId) {
      return client.request({ method: 'GET', path: `/Invoice/${encodeURIComponent(invoiceId)}/getXml` }, xmlSchema);
    },

    // Every sevDesk e-invoice (`propertyIsEInvoice`) has its XML at getXml (SVS operationId invoiceGetXml).
    hasSeparateXml: () => true,
  };
}
