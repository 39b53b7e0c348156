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

/**
 * Key set and order of the retrieve-a-client sample (https://docs.qonto.com/api-reference/business-api/clients/retrieve-a-client),
 * plus `updated_at` (shown by another version of the same page). Unset fields are null.
 */
export interface QontoClientRecord {
  id: string;
  name: string | null;
  first_name: string | null;
  last_name: string | null;
  /** `country_code` + `number` joined, e.g. "+33123456789". */
  phone_number: string | null;
  phone: { country_code: string; number: string } | null;
  kind: QontoClientKind;
  /** Mirror of `kind` ("This field is identical to kind", QD create-a-client). */
  type: QontoClientKind;
  email: string | null;
  extra_emails: string[];
  currency: string | null;
  e_invoicing_address: string | null;
  vat_number: string | null;
  tax_identification_number: string | null;
  /** Deprecated root address fields, still answered next to `billing_address` (QD update-a-client). */
  address: string | null;
  city: string | null;
  zip_code: string | null;
  province_code: string | null;
  country_code: string | null;
  billing_address: QontoAddress | null;
  delivery_address: QontoAddress | null;
  recipient_code: string | null;
  created_at: string;
  updated_at: string;
  locale: string | null;
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
  discount: { type: QontoDiscountType; value: string; amount: QontoAmount } | null;
  subtotal: QontoAmount;
  subtotal_cents: number;
  total_vat: QontoAmount;
  total_vat_cents: number;
  total_amount: QontoAmount;
  total_amount_cents: number;
}

export type QontoInvoiceStatus = 'draft' | 'unpaid' | 'paid' | 'canceled';

/** Key set and order of the QD retrieve-a-client-invoice sample (see invoice-model.ts for the tail). */
export interface QontoInvoiceRecord {
  id: string;
  organization_id: string;
  attachment_id: string | null;
  number: string | null;
  purchase_order: string | null;
  status: QontoInvoiceStatus;
  invoice_url: string;
  contact_email: string | null;
  terms_and_conditions: string | null;
  discount_conditions: string | null;
  late_payment_penalties: string | null;
  legal_fixed_compensation: string | null;
  header: string | null;
  footer: string | null;
  currency: string;
  total_amount: QontoAmount;
  total_amount_cents: number;
  vat_amount: QontoAmount;
  vat_amount_cents: number;
  issue_date: string;
  due_date: string;
  performance_date: string | null;
  performance_start_date: string | null;
  performance_end_date: string | null;
  created_at: string;
  finalized_at: string | null;
  paid_at: string | null;
  invoice_number: string | null;
  client_id: string;
  amount_paid: QontoAmount | null;
  updated_at: string;
  items: QontoItemRecord[];
}
