/**
 * zod schemas for the Qonto Business API, written from docs/reference/accounting.md §4 (the spec file
 * `specs/qonto/openapi.assembled.json` has paths only, no payload schemas). They serve three readers:
 * the provider (parse what we read), the sandbox (reject what Qonto would reject), and the contract test
 * (every recorded request and response must match). Request schemas are strict on purpose, so a typo
 * in a field name fails in tests instead of being silently dropped.
 */
import { z } from 'zod';

/** API-key credentials (accounting.md §4.1): `Authorization: {login}:{secret-key}`, no scheme, no base64. */
export const qontoCredentialsSchema = z.object({
  /** Organisation login (slug-like identifier shown next to the secret key). */
  login: z.string().min(1),
  secretKey: z.string().min(1),
  /** Only for Qonto's own sandbox host: sent as `X-Qonto-Staging-Token` on every request (§4.1). */
  stagingToken: z.string().min(1).optional(),
  /** IBAN printed on invoices (`payment_methods.iban`); default: the organisation's main account. */
  iban: z.string().min(15).max(34).optional(),
});
export type QontoCredentials = z.infer<typeof qontoCredentialsSchema>;

const decimalString = z.string().regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string');
/** VAT and percentage discounts are ratio strings: "0.19" = 19 % (§4.4; money.md §6.1). */
const ratioString = z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a ratio between 0 and 1, e.g. "0.19"');
const isoDate = z.iso.date();
const nullableString = z.string().nullable().optional();

// ---------- requests (§4.3, §4.4) ----------

const addressWrite = z
  .object({
    // QD create-a-client / update-a-client: `address` 250 and `city` 50 (on the deprecated root fields
    // `billing_address` replaces); zip and province show no limit.
    street_address: z.string().max(250).optional(),
    city: z.string().max(50).optional(),
    zip_code: z.string().optional(),
    province_code: z.string().optional(),
    country_code: z.string().regex(/^[A-Za-z]{2}$/, 'must be ISO 3166-1 alpha-2'),
  })
  .strict();

const clientKind = z.enum(['company', 'individual', 'freelancer']);

const clientWriteFields = {
  kind: clientKind.optional(),
  type: clientKind.optional(),
  name: z.string().min(1).max(250).optional(),
  first_name: z.string().min(1).max(60).optional(),
  last_name: z.string().min(1).max(60).optional(),
  email: z.email().optional(),
  extra_emails: z.array(z.email()).max(100).optional(),
  phone: z
    .object({ country_code: z.string().regex(/^\+\d{1,4}$/), number: z.string().regex(/^\d{3,15}$/) })
    .strict()
    .optional(),
  vat_number: z.string().max(20).optional(),
  tax_identification_number: z.string().max(30).optional(),
  billing_address: addressWrite.optional(),
  delivery_address: addressWrite.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  locale: z
    .string()
    .regex(/^[a-z]{2}$/)
    .optional(),
};

/** POST /v2/clients: a company needs `name`, a person `first_name` + `last_name` (QD create-a-client). */
export const qontoClientCreateSchema = z
  .object(clientWriteFields)
  .strict()
  .superRefine((body, ctx) => {
    const kind = body.kind ?? body.type;
    if (!kind) return ctx.addIssue({ code: 'custom', path: ['kind'], message: 'kind is required' });
    if (kind === 'company' && !body.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'name is required for a company' });
    if (kind !== 'company') {
      if (!body.first_name) ctx.addIssue({ code: 'custom', path: ['first_name'], message: 'first_name is required' });
      if (!body.last_name) ctx.addIssue({ code: 'custom', path: ['last_name'], message: 'last_name is required' });
    }
  });
/** PATCH /v2/clients/{id}: partial update (§4.3). */
export const qontoClientPatchSchema = z.object(clientWriteFields).strict();
export type QontoClientWrite = z.infer<typeof qontoClientPatchSchema>;

/** Amounts are `{ value, currency }` strings; which currencies Qonto takes is `qontoMoneyRules.currencies` (EUR). */
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code');
const amountWrite = z.object({ value: decimalString, currency: currencyCode }).strict();

const itemWrite = z
  .object({
    // QD create-a-client-invoice shows no length limit on item texts (accounting.md §4.4).
    title: z.string().min(1),
    description: z.string().optional(),
    quantity: decimalString.refine((v) => Number(v) > 0, 'must be greater than 0'),
    unit: z.string().optional(),
    unit_price: amountWrite,
    vat_rate: ratioString,
    vat_exemption_reason: z.string().min(1).optional(),
    discount: z
      .object({ type: z.enum(['percentage', 'absolute']), value: decimalString })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    // A 0-rate line names its exemption reason (money.md §6.1, [M]).
    if (Number(item.vat_rate) === 0 && !item.vat_exemption_reason) {
      ctx.addIssue({ code: 'custom', path: ['vat_exemption_reason'], message: 'is required when vat_rate is 0' });
    }
    if (item.discount?.type === 'percentage' && !ratioString.safeParse(item.discount.value).success) {
      ctx.addIssue({ code: 'custom', path: ['discount', 'value'], message: 'a percentage discount is a ratio, e.g. "0.1"' });
    }
  });
export type QontoItemWrite = z.infer<typeof itemWrite>;

/** POST /v2/client_invoices, fields at top level as in the docs sample (§4.4; envelope UNCONFIRMED). */
export const qontoInvoiceCreateSchema = z
  .object({
    client_id: z.string().min(1),
    issue_date: isoDate,
    due_date: isoDate,
    currency: currencyCode,
    payment_methods: z.object({ iban: z.string().min(15).max(34) }).strict(),
    status: z.enum(['draft', 'unpaid']).optional(),
    // No documented limits on the texts below (QD create-a-client-invoice; qontoFieldLimits leaves them open).
    number: z.string().optional(),
    items: z.array(itemWrite).min(1),
    header: z.string().optional(),
    footer: z.string().optional(),
    terms_and_conditions: z.string().optional(),
    purchase_order: z.string().optional(),
    performance_start_date: isoDate.optional(),
    performance_end_date: isoDate.optional(),
    /** The quote this invoice follows; Qonto links the two (QD create-a-client-invoice `quote_id`). */
    quote_id: z.string().optional(),
  })
  .strict()
  .refine((b) => b.due_date >= b.issue_date, { path: ['due_date'], message: 'must be on or after issue_date' });
export type QontoInvoiceCreate = z.infer<typeof qontoInvoiceCreateSchema>;

/** POST /v2/quotes (https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/quotes/create-a-quote). */
export const qontoQuoteCreateSchema = z
  .object({
    client_id: z.string().min(1),
    issue_date: isoDate,
    expiry_date: isoDate,
    currency: currencyCode,
    items: z.array(itemWrite).min(1),
    /** Documented limits: header and footer 1000, terms_and_conditions 3000. */
    header: z.string().max(1000).optional(),
    footer: z.string().max(1000).optional(),
    terms_and_conditions: z.string().max(3000).optional(),
  })
  .strict();
export type QontoQuoteCreate = z.infer<typeof qontoQuoteCreateSchema>;

/** POST /v2/client_invoices/{id}/send: body required; an empty body is a 422 `invalid_body` (§4.4). */
export const qontoSendSchema = z
  .object({
    send_to: z.array(z.email()).min(1),
    email_title: z.string().min(1),
    email_body: z.string().optional(),
    copy_to_self: z.boolean().optional(),
  })
  .strict();

/** POST /v2/client_invoices/{id}/mark_as_paid: optional `paid_at`, not in the future (QD mark-as-paid). */
export const qontoMarkPaidSchema = z.object({ paid_at: isoDate.optional() }).strict();

// ---------- responses (what we read, plus what the sandbox must return) ----------

const amountRead = z.object({ value: z.string(), currency: z.string() });
const addressRead = z.object({
  street_address: nullableString,
  city: nullableString,
  zip_code: nullableString,
  province_code: nullableString,
  country_code: nullableString,
});

export const qontoClientSchema = z.object({
  id: z.string(),
  kind: clientKind.optional(),
  type: clientKind.optional(),
  name: nullableString,
  first_name: nullableString,
  last_name: nullableString,
  email: nullableString,
  phone: z.object({ country_code: z.string(), number: z.string() }).nullable().optional(),
  phone_number: nullableString,
  vat_number: nullableString,
  billing_address: addressRead.nullable().optional(),
  currency: nullableString,
  locale: nullableString,
  created_at: z.string(),
  updated_at: z.string().optional(),
});
export type QontoClient = z.infer<typeof qontoClientSchema>;

/** Paging meta (§4.2). */
const metaSchema = z.object({
  current_page: z.number().int(),
  next_page: z.number().int().nullable(),
  prev_page: z.number().int().nullable(),
  total_pages: z.number().int(),
  total_count: z.number().int(),
  per_page: z.number().int(),
});

export const qontoClientResponseSchema = z.object({ client: qontoClientSchema });
export const qontoClientListSchema = z.object({ clients: z.array(qontoClientSchema), meta: metaSchema });

const discountRead = z.object({
  type: z.enum(['percentage', 'absolute', 'amount']),
  value: z.string(),
  amount: amountRead.optional(),
  amount_cents: z.number().int().optional(),
});

const itemRead = z.object({
  title: z.string(),
  description: nullableString,
  quantity: z.string(),
  unit: nullableString,
  unit_price: amountRead,
  unit_price_cents: z.number().int(),
  vat_rate: z.string(),
  vat_exemption_reason: nullableString,
  discount: discountRead.nullable().optional(),
  subtotal: amountRead,
  subtotal_cents: z.number().int(),
  total_vat: amountRead,
  total_vat_cents: z.number().int(),
  total_amount: amountRead,
  total_amount_cents: z.number().int(),
});

/** Read-out fields per §4.4 (QCTL types from live responses; `number` preferred over legacy `invoice_number`). */
export const qontoInvoiceSchema = z.object({
  id: z.string(),
  organization_id: z.string(),
  number: nullableString,
  invoice_number: nullableString,
  status: z.enum(['draft', 'unpaid', 'paid', 'canceled', 'pending']),
  client_id: z.string().optional(),
  currency: z.string(),
  total_amount: amountRead,
  total_amount_cents: z.number().int(),
  vat_amount: amountRead,
  vat_amount_cents: z.number().int(),
  amount_paid: amountRead.nullable().optional(),
  issue_date: z.string().nullable(),
  due_date: z.string().nullable(),
  purchase_order: nullableString,
  attachment_id: nullableString,
  invoice_url: nullableString,
  created_at: z.string(),
  updated_at: z.string(),
  finalized_at: nullableString,
  paid_at: nullableString,
  header: nullableString,
  footer: nullableString,
  terms_and_conditions: nullableString,
  items: z.array(itemRead),
});
export type QontoInvoice = z.infer<typeof qontoInvoiceSchema>;

export const qontoInvoiceResponseSchema = z.object({ client_invoice: qontoInvoiceSchema });
export const qontoInvoiceListSchema = z.object({ client_invoices: z.array(qontoInvoiceSchema), meta: metaSchema });

/** GET /v2/organization (QD retrieve-the-authenticated-organization-and-list-bank-accounts). */
export const qontoOrganizationResponseSchema = z.object({
  organization: z.object({
    id: z.string(),
    slug: z.string(),
    legal_name: z.string().nullable(),
    bank_accounts: z.array(z.object({ iban: z.string(), currency: z.string(), status: z.string().optional(), main: z.boolean().optional() })),
  }),
});

/** GET /v2/attachments/{id}: `url` is a download link valid 30 minutes (QD retrieve-an-attachment). */
export const qontoAttachmentResponseSchema = z.object({
  attachment: z.object({
    id: z.string(),
    created_at: z.string(),
    file_name: z.string(),
    file_size: z.string(),
    file_content_type: z.string(),
    url: z.url(),
  }),
});

/** JSON:API error body (§4.2; QD get-started/general/errors): `trace_id` is always present on the Business API. */
export const qontoErrorBodySchema = z.object({
  errors: z
    .array(
      z.object({
        code: z.string(),
        detail: z.string(),
        source: z.object({ pointer: z.string().optional(), parameter: z.string().optional() }).optional(),
      }),
    )
    .min(1),
  trace_id: z.string(),
});
export type QontoErrorBody = z.infer<typeof qontoErrorBodySchema>;

// ---------- the contract per operation (used by the contract test; spec file has paths only) ----------

export interface QontoOperationContract {
  /** Body our client sends; absent = no body. */
  request?: z.ZodType;
  /** 2xx body; absent = empty answer (204). Error answers always use `qontoErrorBodySchema`. */
  response?: z.ZodType;
}

/** Keyed `METHOD template`, templates spelled as in `specs/qonto/openapi.assembled.json`. */
export const qontoOperationContracts: Record<string, QontoOperationContract> = {
  'GET /v2/organization': { response: qontoOrganizationResponseSchema },
  'GET /v2/clients': { response: qontoClientListSchema },
  'POST /v2/clients': { request: qontoClientCreateSchema, response: qontoClientResponseSchema },
  'GET /v2/clients/{id}': { response: qontoClientResponseSchema },
  'PATCH /v2/clients/{id}': { request: qontoClientPatchSchema, response: qontoClientResponseSchema },
  'DELETE /v2/clients/{id}': {},
  'GET /v2/client_invoices': { response: qontoInvoiceListSchema },
  'POST /v2/client_invoices': { request: qontoInvoiceCreateSchema, response: qontoInvoiceResponseSchema },
  'GET /v2/client_invoices/{id}': { response: qontoInvoiceResponseSchema },
  'POST /v2/client_invoices/{id}/finalize': { response: qontoInvoiceResponseSchema },
  'POST /v2/client_invoices/{id}/send': { request: qontoSendSchema },
  'POST /v2/client_invoices/{id}/mark_as_paid': { request: qontoMarkPaidSchema, response: qontoInvoiceResponseSchema },
  'POST /v2/client_invoices/{id}/mark_as_canceled': { response: qontoInvoiceResponseSchema },
  'GET /v2/attachments/{id}': { response: qontoAttachmentResponseSchema },
};

/**
 * A credit note (https://docs.qonto.com/api-reference/business-api/endpoints/credit-notes/retrieve-a-credit-note):
 * linked to its invoice by `invoice_id`; only the fields we read.
 */
export const qontoCreditNoteSchema = z.object({
  id: z.string(),
  invoice_id: z.string(),
  number: nullableString,
  issue_date: z.string().nullable(),
  total_amount: amountRead,
});
export const qontoCreditNoteResponseSchema = z.object({ credit_note: qontoCreditNoteSchema });
export const qontoCreditNoteListSchema = z.object({ credit_notes: z.array(qontoCreditNoteSchema), meta: metaSchema });

/** A quote as the docs show it (…/quotes/patch-a-quote, …/endpoints/quotes/list-quotes); only what we read. */
export const qontoQuoteSchema = z.object({
  id: z.string(),
  number: nullableString,
  status: z.enum(['pending_approval', 'approved', 'canceled']),
  currency: z.string(),
  total_amount: amountRead,
  vat_amount: amountRead,
  issue_date: z.string().nullable(),
  attachment_id: nullableString,
  quote_url: nullableString,
  terms_and_conditions: nullableString,
});
export type QontoQuote = z.infer<typeof qontoQuoteSchema>;
/** The docs' PATCH answer is the bare quote; a `{ quote }` envelope on create or retrieve is read as well (UNCONFIRMED which). */
export const qontoQuoteResponseSchema = z.union([qontoQuoteSchema, z.object({ quote: qontoQuoteSchema }).transform((b) => b.quote)]);
export const qontoQuoteListSchema = z.object({ quotes: z.array(qontoQuoteSchema), meta: metaSchema });
