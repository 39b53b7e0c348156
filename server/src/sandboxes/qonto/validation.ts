/**
 * The emulator's own checks of Qonto request bodies, written from the field tables and samples of
 * docs.qonto.com (create-a-client, update-a-client, create-a-client-invoice, mark-a-client-invoice-as-paid,
 * webhooks) and accounting.md §4. Unknown fields are refused (`unknown_attribute`) so a misspelt field
 * fails in tests instead of vanishing; every documented field is therefore listed, processed or not.
 */
import { z } from 'zod';
import { qontoLimits } from './limits';

const decimal = /^\d+(\.\d+)?$/;
const decimalString = z.string().regex(decimal, 'must be a decimal number as a string, e.g. "1.5"');
/** VAT rate and percentage discount are ratios: "0.1" = 10 % (QD create-a-client-invoice sample). */
const ratioString = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1, e.g. "0.2"');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date in the format YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a valid date');
const text = (max: number | undefined) => (max === undefined ? z.string() : z.string().max(max, `is too long (maximum is ${max} characters)`));
const email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'is not a valid email');
const documented = z.unknown().optional();

const address = z
  .object({
    street_address: text(qontoLimits.client.streetAddress).optional(),
    city: text(qontoLimits.client.city).optional(),
    zip_code: text(qontoLimits.client.zipCode).optional(),
    province_code: z.string().optional(),
    country_code: z.string().regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code'),
  })
  .strict();

const clientKind = z.enum(['company', 'individual', 'freelancer']);

const clientFields = {
  kind: clientKind.optional(),
  type: clientKind.optional(),
  name: text(qontoLimits.client.name).min(1).optional(),
  first_name: text(qontoLimits.client.firstName).min(1).optional(),
  last_name: text(qontoLimits.client.lastName).min(1).optional(),
  email: email.optional(),
  extra_emails: z.array(email).max(100).optional(),
  phone: z
    .object({ country_code: z.string().regex(/^\+\d{1,4}$/, 'must be like "+33"'), number: z.string().min(1) })
    .strict()
    .optional(),
  vat_number: text(qontoLimits.client.vatNumber).optional(),
  tax_identification_number: text(qontoLimits.client.taxIdentificationNumber).optional(),
  billing_address: address.optional(),
  delivery_address: address.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
    .optional(),
  locale: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be a 2-letter language code')
    .optional(),
  e_invoicing_address: documented,
  recipient_code: documented,
};

/** POST /v2/clients: a company needs `name`, a person `first_name` and `last_name` (QD create-a-client). */
export const createClientBody = z
  .object(clientFields)
  .strict()
  .superRefine((body, ctx) => {
    const kind = body.kind ?? body.type;
    if (!kind) return ctx.addIssue({ code: 'custom', path: ['kind'], message: "can't be blank", input: undefined });
    if (kind === 'company' && !body.name) ctx.addIssue({ code: 'custom', path: ['name'], message: "can't be blank", input: undefined });
    if (kind !== 'company') {
      if (!body.first_name) ctx.addIssue({ code: 'custom', path: ['first_name'], message: "can't be blank", input: undefined });
      if (!body.last_name) ctx.addIssue({ code: 'custom', path: ['last_name'], message: "can't be blank", input: undefined });
    }
  });
/** PATCH /v2/clients/{id}: "you can only update the fields in the request body" (QD update-a-client). */
export const patchClientBody = z.object(clientFields).strict();
export type ClientWriteBody = z.infer<typeof patchClientBody>;

/**
 * `unit_price.value`: Qonto answers every line with `unit_price_cents`, an integer, so a unit price
 * finer than a cent has no representation in its answer. The docs name no precision; the emulator
 * refuses more than 2 decimals instead of rounding silently (money.md §6.2 Q-R4 [U], §9 test 13).
 */
const unitPrice = z
  .object({
    value: decimalString.refine((v) => (v.split('.')[1] ?? '').replace(/0+$/, '').length <= 2, 'must have at most 2 decimal places'),
    currency: z.literal('EUR', 'must be EUR'),
  })
  .strict();

const item = z
  .object({
    title: text(qontoLimits.invoice.itemTitle).min(1, "can't be blank"),
    description: text(qontoLimits.invoice.itemDescription).optional(),
    quantity: decimalString.refine((v) => Number(v) > 0, 'must be greater than 0'),
    unit: z.string().optional(),
    unit_price: unitPrice,
    vat_rate: ratioString,
    vat_exemption_reason: z.string().min(1).optional(),
    discount: z
      .object({ type: z.enum(['percentage', 'absolute']), value: decimalString })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((line, ctx) => {
    // The docs sample pairs a 0 rate with an exemption reason code ("N1"); money.md §6.1 [M].
    if (Number(line.vat_rate) === 0 && !line.vat_exemption_reason) {
      ctx.addIssue({ code: 'custom', path: ['vat_exemption_reason'], message: "can't be blank when vat_rate is 0", input: undefined });
    }
    if (line.discount?.type === 'percentage' && !ratioString.safeParse(line.discount.value).success) {
      ctx.addIssue({ code: 'custom', path: ['discount', 'value'], message: 'must be a ratio between 0 and 1, e.g. "0.1"', input: line.discount.value });
    }
  });
export type ItemBody = z.infer<typeof item>;

/**
 * POST /v2/credit_notes (https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/credit-notes/create-a-credit-note):
 * `invoice_id`, `issue_date`, `reason` (≤ 500), `currency`, `items` with positive quantities ("the system will
 * negate them"), `number` (≤ 40; optional with automatic numbering, which this organisation has).
 */
export const createCreditNoteBody = z
  .object({
    invoice_id: z.string().min(1, "can't be blank"),
    issue_date: isoDate,
    reason: text(500).optional(),
    currency: z.literal('EUR', 'must be EUR'),
    items: z.array(item).min(1, "can't be blank"),
    number: text(40).optional(),
    terms_and_conditions: text(525).optional(),
    contact_email: z.string().email().optional(),
  })
  .strict();
export type CreditNoteBody = z.infer<typeof createCreditNoteBody>;

/**
 * POST /v2/quotes (https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/quotes/create-a-quote):
 * client, issue and expiry dates, `terms_and_conditions` ≤ 3000, currency, at least one item, `number` ≤ 40
 * (optional with automatic numbering), `header`/`footer` ≤ 1000, optional `settings` and global `discount`.
 */
export const createQuoteBody = z
  .object({
    client_id: z.string().min(1, "can't be blank"),
    issue_date: isoDate,
    expiry_date: isoDate,
    terms_and_conditions: text(3000).optional(),
    currency: z.literal('EUR', 'only EUR is allowed'),
    items: z.array(item).min(1, "can't be blank"),
    number: text(40).optional(),
    header: text(1000).optional(),
    footer: text(1000).optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((q) => q.expiry_date >= q.issue_date, { path: ['expiry_date'], message: 'must be on or after the issue date' });
export type QuoteBody = z.infer<typeof createQuoteBody>;

/** POST /v2/client_invoices, fields at top level as in the docs sample (QD create-a-client-invoice). */
export const createInvoiceBody = z
  .object({
    client_id: z.string().min(1, "can't be blank"),
    issue_date: isoDate,
    due_date: isoDate,
    currency: z.literal('EUR', 'only EUR is allowed'),
    payment_methods: z.object({ iban: z.string().min(15).max(34) }).strict(),
    status: z.enum(['draft', 'unpaid']).optional(),
    number: z.string().optional(),
    items: z
      .array(item)
      .min(1, "can't be blank")
      .max(qontoLimits.invoice.maxItems ?? Number.MAX_SAFE_INTEGER),
    header: text(qontoLimits.invoice.header).optional(),
    footer: text(qontoLimits.invoice.footer).optional(),
    terms_and_conditions: text(qontoLimits.invoice.termsAndConditions).optional(),
    purchase_order: z.string().optional(),
    performance_date: isoDate.optional(),
    performance_start_date: isoDate.optional(),
    performance_end_date: isoDate.optional(),
    settings: documented,
    upload_id: documented,
    quote_id: documented,
    report_einvoicing: documented,
    payment_reporting: documented,
    welfare_fund: documented,
    withholding_tax: documented,
    stamp_duty_amount: documented,
    discount: documented,
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.due_date < b.issue_date) ctx.addIssue({ code: 'custom', path: ['due_date'], message: 'must be on or after issue_date', input: b.due_date });
    // QD create-a-client-invoice: performance_start_date is required with an end date and not after it.
    if (b.performance_end_date && !b.performance_start_date)
      ctx.addIssue({ code: 'custom', path: ['performance_start_date'], message: "can't be blank", input: undefined });
    if (b.performance_start_date && b.performance_end_date && b.performance_start_date > b.performance_end_date) {
      ctx.addIssue({ code: 'custom', path: ['performance_start_date'], message: 'must be on or before performance_end_date', input: b.performance_start_date });
    }
  });
export type InvoiceBody = z.infer<typeof createInvoiceBody>;

/** POST /v2/client_invoices/{id}/send (accounting.md §4.4). */
export const sendBody = z
  .object({
    send_to: z.array(email).min(1),
    email_title: z.string().min(1),
    email_body: z.string().optional(),
    copy_to_self: z.boolean().optional(),
  })
  .strict();

/** POST /v2/client_invoices/{id}/mark_as_paid: optional `paid_at` (QD mark-a-client-invoice-as-paid). */
export const markPaidBody = z.object({ paid_at: isoDate.optional() }).strict();

/**
 * POST and PUT /v2/webhook_subscriptions (QD create-a-webhook-subscription): `callback_url` up to 512,
 * at least one type, `secret` 32–128 characters, `description` up to 256; PUT needs callback_url again.
 */
export const webhookSubscriptionBody = z
  .object({
    callback_url: z.url({ message: 'CallbackURL is missing' }).max(512, 'is too long (maximum is 512 characters)'),
    types: z.array(z.string().regex(/^v\d+\/[a-z-]+$/)).min(1),
    secret: z.string().min(32, 'must be between 32 and 128 characters').max(128, 'must be between 32 and 128 characters').optional(),
    description: text(256).optional(),
  })
  .strict();
