/**
 * What the bexio emulator accepts, per the spec's write schemas (Contact_write, InvoiceWithDetails,
 * v2Search, NetworkSendRequest, Payment) and accounting.md §3: wrong bodies get bexio's 422.
 */
import { z } from 'zod';

/**
 * Money and quantities are strings with at most 6 decimals (docs.bexio.com FAQ; PositionCustom
 * `amount`/`unit_price` are `string` in the spec); a JSON number is refused.
 */
const bexioDecimalString = z.string().regex(/^-?\d+(\.\d{1,6})?$/, 'must be a decimal string with at most 6 decimals');

/**
 * `discount_in_percent` is read back with four decimals by a live company ("0.0000",
 * github codebar-ag/laravel-bexio tests/Fixtures/Saloon/Invoices/fetch-an-invoice.json@b68256a4), so bexio
 * keeps four; what it does with a fifth is not recorded, and the emulator refuses it rather than round.
 */
const bexioPercentString = z.string().regex(/^-?\d+(\.\d{1,4})?$/, 'must be a decimal string with at most 4 decimals');

const text = z.string().nullable().optional();
const id = z.number().int().nullable().optional();
const emailOrEmpty = z
  .union([z.email(), z.literal('')])
  .nullable()
  .optional();

export const contactWriteSchema = z
  .object({
    contact_type_id: z.union([z.literal(1), z.literal(2)]),
    // No maximum length is documented for any contact field (docs.bexio.com Contacts; OpenAPI 3.0.2 export).
    name_1: z.string().trim().min(1),
    name_2: text,
    // "If set to null, the number will be assigned automatically. Must be a number" (Contact.nr).
    nr: z
      .union([z.string().regex(/^\d+$/), z.number().int()])
      .nullable()
      .optional(),
    salutation_id: id,
    salutation_form: id,
    titel_id: id,
    title_id: id,
    birthday: z.iso.date().nullable().optional(),
    street_name: text,
    house_number: text,
    address_addition: text,
    postcode: z.union([z.string(), z.number()]).nullable().optional(),
    city: text,
    country_id: id,
    mail: emailOrEmpty,
    mail_second: emailOrEmpty,
    phone_fixed: text,
    phone_fixed_second: text,
    phone_mobile: text,
    fax: text,
    url: text,
    skype_name: text,
    remarks: text,
    language_id: id,
    contact_group_ids: text,
    contact_branch_ids: text,
    user_id: z.number().int(),
    owner_id: z.number().int(),
    // `address` is read-only: a create with it is refused with 422 (live company, 2026-07-03,
    // PromptPartner/bexio-mcp-server issue #17); the writable fields are street_name/house_number.
    address: z.undefined({ error: 'address is not writable, use street_name and house_number' }).optional(),
  })
  .refine((c) => c.street_name || (!c.house_number && !c.address_addition), {
    message: '`street_name` is required if `house_number` or `address_addition` are not NULL',
    path: ['street_name'],
  });

const customPosition = z.object({
  type: z.literal('KbPositionCustom'),
  amount: bexioDecimalString,
  unit_price: bexioDecimalString,
  discount_in_percent: bexioPercentString.optional().default('0'),
  tax_id: z.number().int(),
  text: z.string().optional().default(''),
  unit_id: z.number().int().optional(),
  account_id: z.number().int().optional(),
});
const textPosition = z.object({ type: z.literal('KbPositionText'), text: z.string(), show_pos_nr: z.boolean().optional().default(false) });

/** Header fields of kb_invoice / kb_offer; defaults are what an account's document settings would fill in. */
const documentWriteSchema = z.object({
  title: z.string().nullable().optional().default(null),
  contact_id: z.number().int(),
  contact_sub_id: id.default(null),
  user_id: z.number().int(),
  pr_project_id: id,
  language_id: z.number().int().optional().default(1),
  bank_account_id: z.number().int().optional().default(1),
  currency_id: z.number().int().optional().default(1),
  payment_type_id: z.number().int().optional().default(1),
  header: z.string().optional().default(''),
  footer: z.string().optional().default(''),
  mwst_type: z
    .union([z.literal(0), z.literal(1), z.literal(2)])
    .optional()
    .default(0),
  mwst_is_net: z.boolean().optional().default(true),
  show_position_taxes: z.boolean().optional().default(false),
  is_valid_from: z.iso.date().optional(),
  api_reference: z.string().nullable().optional().default(null),
  template_slug: z.string().nullable().optional().default(null),
  positions: z
    .array(
      z.discriminatedUnion('type', [customPosition, textPosition], {
        error: 'this sandbox emulates only KbPositionCustom and KbPositionText positions',
      }),
    )
    .optional()
    .default([]),
});

/** Invoices carry the due date in `is_valid_to`, quotes in `is_valid_until` (BXD §Quotes). */
export const invoiceWriteSchema = documentWriteSchema.extend({ is_valid_to: z.iso.date().optional() });
export const quoteWriteSchema = documentWriteSchema.extend({ is_valid_until: z.iso.date().optional() });

/** Contact relation create/edit: "contact_id required integer or null", same for `contact_sub_id`, "description string or null". */
export const relationWriteSchema = z.object({
  contact_id: z.number().int().nullable(),
  contact_sub_id: z.number().int().nullable(),
  description: z.string().nullable().optional(),
});

export const searchCriteria = [
  '=',
  'equal',
  '!=',
  'not_equal',
  '>',
  'greater_than',
  '>=',
  'greater_equal',
  '<',
  'less_than',
  '<=',
  'less_equal',
  'like',
  'not_like',
  'is_null',
  'not_null',
  'in',
  'not_in',
] as const;

export const searchSchema = z
  .array(z.object({ field: z.string().max(255), value: z.string().max(255), criteria: z.enum(searchCriteria).optional().default('like') }))
  .min(1);

export const sendSchema = z.object({
  recipient_email: z.email(),
  subject: z.string().min(1),
  message: z.string().includes('[Network Link]', { message: 'The placeholder "[Network Link]" must be part of the text.' }),
  mark_as_open: z.boolean(),
  attach_pdf: z.boolean().optional(),
});

export const paymentWriteSchema = z.object({
  date: z.iso.date().optional(),
  value: bexioDecimalString.refine((v) => Number(v) > 0, 'value must be positive'),
  bank_account_id: id.default(null),
  payment_service_id: id.default(null),
});

/** Searchable fields per resource (accounting.md §3.3/§3.4; BXD §Quotes has no `api_reference`). */
export const searchableFields = {
  contact: [
    'id',
    'name_1',
    'name_2',
    'nr',
    'address',
    'mail',
    'mail_second',
    'postcode',
    'city',
    'country_id',
    'contact_group_ids',
    'contact_type_id',
    'updated_at',
    'user_id',
    'phone_fixed',
    'phone_mobile',
    'fax',
  ],
  contact_relation: ['contact_id', 'contact_sub_id', 'updated_at'],
  kb_invoice: [
    'id',
    'kb_item_status_id',
    'document_nr',
    'title',
    'api_reference',
    'contact_id',
    'contact_sub_id',
    'user_id',
    'currency_id',
    'total_gross',
    'total_net',
    'total',
    'is_valid_from',
    'is_valid_to',
    'updated_at',
  ],
  kb_offer: [
    'id',
    'kb_item_status_id',
    'document_nr',
    'title',
    'contact_id',
    'contact_sub_id',
    'user_id',
    'currency_id',
    'total_gross',
    'total_net',
    'total',
    'is_valid_from',
    'is_valid_to',
    'is_valid_until',
    'updated_at',
  ],
} as const;

/**
 * bexio's 422 `message` starts "The form could not be saved due to the following errors:" (observed live,
 * PromptPartner/bexio-mcp-server issue #19, 2026-07-18); the emulator lists the fields after it.
 */
export function describeIssues(error: z.ZodError): string {
  const details = error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  return `The form could not be saved due to the following errors: ${details}.`;
}
