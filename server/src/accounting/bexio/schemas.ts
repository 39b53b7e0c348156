/**
 * zod schemas for what we read from bexio (only the fields we use), the credentials shape, and the
 * contract for operations the assembled spec (specs/bexio/openapi.assembled.json) lacks. Those
 * cite reference/accounting.md §3 or the docs page (BXD: gigerIT/bexio-api-client
 * `docs/Bexio API Description.md`), and the contract test checks them where the spec is silent.
 */
import { z } from 'zod';

/** A Personal Access Token or an OAuth access token; both go in `Authorization: Bearer` (accounting.md §3.1). */
export const bexioCredentialsSchema = z.object({
  accessToken: z.string().min(1),
});
export type BexioCredentials = z.infer<typeof bexioCredentialsSchema>;

/** Money and quantity strings, at most 6 decimals (accounting.md §3.2). */
export const bexioDecimalString = z.string().regex(/^-?\d+(\.\d{1,6})?$/, 'a decimal string with at most 6 decimals');

/** bexio's timestamps: `"2019-04-08 13:17:32"`, local time (Europe/Zurich per community; UNCONFIRMED, §8 #5). */
export const bexioTimestamp = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

/** Every error bexio documents: `{ error_code, message }` (accounting.md §3.2). */
export const bexioErrorSchema = z.object({ error_code: z.number().int(), message: z.string() });

export const bexioContactSchema = z.object({
  id: z.number().int(),
  nr: z.string().nullable().optional(),
  contact_type_id: z.number().int(),
  name_1: z.string(),
  name_2: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  street_name: z.string().nullable().optional(),
  house_number: z.string().nullable().optional(),
  postcode: z.union([z.string(), z.number()]).nullable().optional(),
  city: z.string().nullable().optional(),
  country_id: z.number().int().nullable().optional(),
  mail: z.string().nullable().optional(),
  phone_fixed: z.string().nullable().optional(),
  phone_mobile: z.string().nullable().optional(),
  updated_at: bexioTimestamp.optional(),
});
export type BexioContact = z.infer<typeof bexioContactSchema>;

/** Invoices (`kb_invoice`) and quotes (`kb_offer`) share this shape; quotes say `is_valid_until`. */
export const bexioDocumentSchema = z.object({
  id: z.number().int(),
  document_nr: z.string().nullable().optional(),
  contact_id: z.number().int().nullable().optional(),
  currency_id: z.number().int(),
  is_valid_from: z.string().nullable().optional(),
  total_net: bexioDecimalString,
  total_taxes: bexioDecimalString,
  total: bexioDecimalString,
  total_remaining_payments: bexioDecimalString.optional(),
  total_rounding_difference: z.number().optional(),
  kb_item_status_id: z.number().int(),
  api_reference: z.string().nullable().optional(),
  network_link: z.string().nullable().optional(),
});
export type BexioDocument = z.infer<typeof bexioDocumentSchema>;

/**
 * `/2.0/contact_relation`: two contacts linked, `contact_id` the main one and `contact_sub_id` the related one
 * (docs.bexio.com "Contact Relations", saved text of 2024 in gigerIT/bexio-api-client `docs/Bexio API Description.md`:
 * sample `{ "id": 1, "contact_id": 2, "contact_sub_id": 3, "description": "", "updated_at": "2019-04-08 13:17:32" }`).
 */
export const bexioContactRelationSchema = z.object({
  id: z.number().int(),
  contact_id: z.number().int().nullable(),
  contact_sub_id: z.number().int().nullable(),
  description: z.string().nullable().optional(),
  updated_at: bexioTimestamp.optional(),
});
export type BexioContactRelation = z.infer<typeof bexioContactRelationSchema>;

/** Create and edit body of a contact relation: both ids required ("integer or null"), `description` optional (same docs). */
const bexioContactRelationWriteSchema = z.object({
  contact_id: z.number().int().nullable(),
  contact_sub_id: z.number().int().nullable(),
  description: z.string().nullable().optional(),
});

export const bexioPaymentSchema = z.object({ id: z.number().int(), date: z.string(), value: bexioDecimalString });
export const bexioPdfSchema = z.object({ name: z.string(), mime: z.string(), content: z.string() });
export const bexioSuccessSchema = z.object({ success: z.boolean() });
export const bexioUserSchema = z.object({ id: z.number().int(), email: z.string() });

/** `GET /2.0/company_profile` — "each account currently has only one company profile" (BXD §Company Profile). */
export const bexioCompanyProfileListSchema = z.array(z.object({ id: z.number().int(), name: z.string() }).loose());

/** `GET /3.0/currencies` — `{ id, name: "CHF", round_factor: 0.05 }` (BXD §Currencies; money.md §5.1). */
export const bexioCurrencySchema = z.object({ id: z.number().int(), name: z.string(), round_factor: z.number() });

/** `GET /3.0/taxes?types=sales_tax&scope=active&date=` — rate in `value` (number) (BXD §Taxes; money.md BX-R6). */
export const bexioTaxSchema = z.object({ id: z.number().int(), code: z.string(), value: z.number(), type: z.string(), is_active: z.boolean() }).loose();

/** `GET /2.0/country` — `{ id, name, name_short, iso3166_alpha2 }` (BXD §Countries). */
export const bexioCountrySchema = z.object({ id: z.number().int(), name: z.string(), name_short: z.string(), iso3166_alpha2: z.string() });

const searchCriterion = z.object({ field: z.string().max(255), value: z.string().max(255), criteria: z.string().optional() });

/**
 * Request bodies of `kb_offer` (quotes), absent from the assembled spec: the same fields as an invoice
 * with `is_valid_until` instead of `is_valid_to` (BXD §Quotes "Create quote").
 */
export const bexioQuoteWriteSchema = z
  .object({
    contact_id: z.number().int(),
    user_id: z.number().int(),
    currency_id: z.number().int().optional(),
    mwst_type: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    mwst_is_net: z.boolean().optional(),
    is_valid_from: z.iso.date().optional(),
    is_valid_until: z.iso.date().optional(),
    api_reference: z.string().nullable().optional(),
    positions: z.array(z.object({ type: z.string() }).loose()).optional(),
  })
  .loose();

/**
 * The contract for operations and statuses the assembled spec does not declare, keyed by
 * `METHOD path-template`. Error statuses the spec leaves out (401, 404, 411, 415, 429, 5xx) all use
 * `bexioErrorSchema` (accounting.md §3.2).
 */
export const bexioSupplementContract: Record<string, { request?: z.ZodType; response: z.ZodType }> = {
  'GET /2.0/company_profile': { response: bexioCompanyProfileListSchema },
  'GET /3.0/currencies': { response: z.array(bexioCurrencySchema) },
  'GET /3.0/taxes': { response: z.array(bexioTaxSchema) },
  'GET /2.0/country': { response: z.array(bexioCountrySchema) },
  'GET /2.0/kb_offer': { response: z.array(bexioDocumentSchema) },
  'POST /2.0/kb_offer': { request: bexioQuoteWriteSchema, response: bexioDocumentSchema },
  'POST /2.0/kb_offer/search': { request: z.array(searchCriterion), response: z.array(bexioDocumentSchema) },
  'GET /2.0/kb_offer/{id}': { response: bexioDocumentSchema },
  'POST /2.0/kb_offer/{id}/issue': { response: bexioSuccessSchema },
  'GET /2.0/kb_offer/{id}/pdf': { response: bexioPdfSchema },
  // Contact relations are not in the assembled spec (its contact part is the Contacts tag only); docs text as above.
  'GET /2.0/contact_relation': { response: z.array(bexioContactRelationSchema) },
  'POST /2.0/contact_relation': { request: bexioContactRelationWriteSchema, response: bexioContactRelationSchema },
  'POST /2.0/contact_relation/search': { request: z.array(searchCriterion), response: z.array(bexioContactRelationSchema) },
  'DELETE /2.0/contact_relation/{id}': { response: bexioSuccessSchema },
  'POST /2.0/kb_offer/{id}/send': {
    request: z.object({ recipient_email: z.email(), subject: z.string(), message: z.string().includes('[Network Link]'), mark_as_open: z.boolean() }),
    response: bexioSuccessSchema,
  },
};
