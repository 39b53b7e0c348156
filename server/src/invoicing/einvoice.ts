/**
 * E-invoices for business customers (German B2B duty from 1 January 2027): whether a deal's invoice is
 * one, the data it carries, and the pre-flight that lists each missing piece, and where to fix it, before
 * anything is sent. The vendor decides what it needs (ProviderEInvoicing); this file only asks.
 */
import type { AccountingProvider, EInvoiceData } from '../accounting/provider';
import type { DealData } from './deal-data';
import type { InvoiceMessageCode } from './messages';
import type { InvoiceSettings } from './settings';

export interface EInvoiceNotice {
  code: Extract<InvoiceMessageCode, `einvoice_${string}`>;
  blocking: boolean;
  params: Record<string, string | number>;
}

/**
 * The e-invoice data for this deal, or undefined when its invoice is an ordinary one: the setting is off,
 * the document is a quotation, or the customer is a person (B2C: no e-invoice duty).
 */
export function eInvoiceRequest(deal: DealData, settings: InvoiceSettings): EInvoiceData | undefined {
  if (!settings.eInvoiceForBusinessCustomers || settings.documentType !== 'invoice' || !deal.company) return undefined;
  const data: EInvoiceData = { ...deal.company.eInvoice };
  // A HubSpot company has no e-mail of its own: the deal's contact is the customer's electronic address.
  const email = deal.company.customer.email ?? deal.contact?.customer.email;
  if (email) data.email = email;
  return data;
}

/** What the preview shows and the run refuses on: each gap blocks; how the vendor handles it is said once. */
export async function eInvoicePreflight(provider: AccountingProvider, deal: DealData, data: EInvoiceData): Promise<EInvoiceNotice[]> {
  const { capabilities, eInvoicing } = provider;
  if (capabilities.eInvoice === 'not_supported') return [{ code: 'einvoice_not_supported', blocking: false, params: {} }];
  if (capabilities.eInvoice === 'automatic' || !eInvoicing) return [{ code: 'einvoice_automatic', blocking: false, params: { formats: 'Factur-X' } }];
  const seller = await eInvoicing.sellerGaps();
  const customer = eInvoicing.customerGaps(deal.company!.customer, data);
  const gaps = [...seller.gaps, ...customer].map((g): EInvoiceNotice => ({
    code: 'einvoice_missing',
    blocking: true,
    params: { gap: g.code, fixIn: g.fixIn },
  }));
  const info: EInvoiceNotice[] = [{ code: 'einvoice_planned', blocking: false, params: { formats: eInvoicing.formats.join(', ') } }];
  if (seller.checkedByVendor) info.push({ code: 'einvoice_seller_checked_by_vendor', blocking: false, params: {} });
  return [...gaps, ...info];
}
