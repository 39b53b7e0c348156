import type { CustomerInput } from '../accounting/provider';

/** What invoicing reads from HubSpot for one deal (strings as HubSpot gives them). */
export interface DealData {
  dealId: string;
  name: string;
  /** Decimal string or undefined. */
  amount?: string;
  /** ISO 4217 from `deal_currency_code`; undefined → the HubSpot account's company currency (hubspot/account-currency.ts). */
  currency?: string;
  closeDate?: string;
  stageId?: string;
  pipelineId?: string;
  lineItems: LineItemData[];
  company?: HubspotParty;
  contact?: HubspotParty;
  hasQuote: boolean;
}

export interface LineItemData {
  id: string;
  name: string;
  description?: string;
  sku?: string;
  productId?: string;
  quantity?: string;
  price?: string;
  /** Percent, `hs_discount_percentage`. */
  discountPercent?: string;
  /** Currency amount per unit, `discount` (money.md §2 H-1). */
  discountPerUnit?: string;
  /** From HubSpot's tax rate library (`hs_tax_rate_group_id` → percentageRate). */
  taxRatePercent?: string;
}

export interface HubspotParty {
  id: string;
  objectType: 'company' | 'contact';
  customer: CustomerInput;
  /** Company only: buyer reference (Leitweg-ID) and our supplier number there, from our APIUP company properties. */
  eInvoice?: { buyerReference?: string; vendorNumberAtCustomer?: string };
}
