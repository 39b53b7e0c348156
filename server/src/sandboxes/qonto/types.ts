/**
 * The Qonto objects the emulator stores and answers with, typed from the samples on docs.qonto.com
 * (create-a-client, retrieve-a-client, list-client-invoices, retrieve-a-client-invoice). Written for
 * the emulator only; the product has its own reading of the same pages.
 */

/** `{ value, currency }`, the value a decimal string (QD list-client-invoices sample: `"10.0"`, `"12.52"`). */
export interface QontoAmount {
  value: string;
  currency: string;
}

export interface QontoAddress {
  street_address?: string | null;
  city?: string | null;
  zip_code?: string | null;
  province_code?: string | null;
  country_code?: string | null;
}

export type QontoClientKind = 'company' | 'individual' | 'freelancer';

export interface QontoClientRecord {
  id: string;
  kind: QontoClientKind;
  /** Mirror of `kind` (QD create-a-client: "This field is identical to kind"). */
  type: QontoClientKind;
  name: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  extra_emails?: string[];
  phone?: { country_code: string; number: string } | null;
  /** `country_code` + `number` joined, e.g. "+33123456789" (QD create-a-client response sample). */
  phone_number: string | null;
  vat_number?: string | null;
  tax_identification_number?: string | null;
  billing_address?: QontoAddress | null;
  delivery_address?: QontoAddress | null;
  currency?: string | null;
  locale?: string | null;
  created_at: string;
  updated_at: string;
}

export type QontoDiscountType = 'percentage' | 'absolute';

export interface QontoItemRecord {
  title: string;
  description: string | null;
  quantity: string;
  unit: string | null;
  unit_price: QontoAmount;
  unit_price_cents: number;
  vat_rate: string;
  vat_exemption_reason: string | null;
  discount: { type: QontoDiscountType; value: string; amount: QontoAmount; amount_cents: number } | null;
  subtotal: QontoAmount;
  subtotal_cents: number;
  total_vat: QontoAmount;
  total_vat_cents: number;
  total_amount: QontoAmount;
  total_amount_cents: number;
}

export type QontoInvoiceStatus = 'draft' | 'unpaid' | 'paid' | 'canceled';

export interface QontoInvoiceRecord {
  id: string;
  organization_id: string;
  number: string | null;
  invoice_number: string | null;
  status: QontoInvoiceStatus;
  client_id: string;
  currency: string;
  total_amount: QontoAmount;
  total_amount_cents: number;
  vat_amount: QontoAmount;
  vat_amount_cents: number;
  amount_paid: QontoAmount | null;
  issue_date: string;
  due_date: string;
  purchase_order: string | null;
  attachment_id: string | null;
  invoice_url: string;
  created_at: string;
  updated_at: string;
  finalized_at: string | null;
  paid_at: string | null;
  header: string | null;
  footer: string | null;
  terms_and_conditions: string | null;
  items: QontoItemRecord[];
}
