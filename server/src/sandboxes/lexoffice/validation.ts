/**
 * What the Lexware emulator accepts: the write shapes of specs/lexoffice/openapi.from-docs.json
 * (ContactCreate/ContactUpdate, InvoiceCreate, QuotationCreate) plus the documented semantic rules,
 * so a client bug gets the vendor's 406 instead of passing (accounting.md §1.5, §1.6; money.md §3).
 */
import Decimal from 'decimal.js';
import { z } from 'zod';

/**
 * Text and list limits Lexware documents, and only those: the API FAQ "Are there any text length
 * limits?" (23.05.2023, https://developers.lexware.io/docs/#faq) for voucher texts and line items,
 * the change log of 20.09.2023 for 300 line items, the contact tables for `salutation` (25, change
 * log 02.11.2020) and `note` (1000). Names, addresses, e-mail and phone have no documented limit.
 */
export const documentedLimits = {
  voucherTitle: 25,
  voucherIntroduction: 2000,
  voucherRemark: 2000,
  lineItemName: 255,
  lineItemDescription: 2000,
  lineItems: 300,
  contactSalutation: 25,
  contactNote: 1000,
} as const;

const bucket = z.array(z.string()).max(1).optional();
const address = z.object({
  supplement: z.string().optional(),
  street: z.string().optional(),
  zip: z.string().optional(),
  city: z.string().optional(),
  countryCode: z.string().min(1),
});

export const contactWriteSchema = z
  .object({
    version: z.number().int().min(0),
    roles: z
      .object({ customer: z.object({}).loose().optional(), vendor: z.object({}).loose().optional() })
      .refine((r) => r.customer || r.vendor, 'at least one role'),
    company: z
      .object({
        name: z.string().min(1),
        taxNumber: z.string().optional(),
        vatRegistrationId: z.string().optional(),
        allowTaxFreeInvoices: z.boolean().optional(),
        contactPersons: z
          .array(
            z.object({
              salutation: z.string().max(documentedLimits.contactSalutation).optional(),
              firstName: z.string().optional(),
              lastName: z.string().min(1),
              primary: z.boolean().optional(),
              emailAddress: z.string().optional(),
              phoneNumber: z.string().optional(),
            }),
          )
          .max(1)
          .optional(),
      })
      .optional(),
    person: z
      .object({ salutation: z.string().max(documentedLimits.contactSalutation).optional(), firstName: z.string().optional(), lastName: z.string().min(1) })
      .optional(),
    addresses: z.object({ billing: z.array(address).max(1).optional(), shipping: z.array(address).max(1).optional() }).optional(),
    xRechnung: z.object({ buyerReference: z.string().optional(), vendorNumberAtCustomer: z.string().optional() }).optional(),
    emailAddresses: z.object({ business: bucket, office: bucket, private: bucket, other: bucket }).optional(),
    phoneNumbers: z.object({ business: bucket, office: bucket, mobile: bucket, private: bucket, fax: bucket, other: bucket }).optional(),
    note: z.string().max(documentedLimits.contactNote).optional(),
  })
  .refine((c) => Boolean(c.company) !== Boolean(c.person), { message: 'exactly one of company and person', path: ['company'] });
export type ContactWrite = z.infer<typeof contactWriteSchema>;

/** docs2025 FAQ: exactly `yyyy-MM-ddTHH:mm:ss.SSSXXX`, else 406. */
const lxDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/);
const decimals = (max: number) => z.number().refine((n) => Number.isFinite(n) && new Decimal(n).decimalPlaces() <= max, `at most ${max} decimals`);
const taxTypes = [
  'net',
  'gross',
  'vatfree',
  'intraCommunitySupply',
  'constructionService13b',
  'externalService13b',
  'thirdPartyCountryService',
  'thirdPartyCountryDelivery',
  'photovoltaicEquipment',
] as const;

/**
 * Line items as "Line Items Details" documents them (https://developers.lexware.io/docs/#invoices-endpoint-line-items-details):
 * quantity and unit prices with up to 4 decimals, `discountPercentage` up to 2, `currency` "Currently only EUR".
 * A value beyond these is refused with the regular 406 naming the field (docs error sample); the wording of
 * the `message` for these two cases is not published and is ours (UNCONFIRMED).
 * Negative unit prices and quantities: the docs neither allow nor forbid them for sales vouchers, so the
 * emulator accepts them and prices them by the same rules, rounding half away from zero (UNCONFIRMED);
 * our provider never sends them (Lexware's help centre enters credits positive on a separate voucher).
 */
const lineItem = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('custom'),
    name: z.string().min(1).max(documentedLimits.lineItemName),
    description: z.string().max(documentedLimits.lineItemDescription).optional(),
    quantity: decimals(4),
    unitName: z.string().min(1),
    unitPrice: z.object({ currency: z.literal('EUR'), netAmount: decimals(4).optional(), grossAmount: decimals(4).optional(), taxRatePercentage: z.number() }),
    discountPercentage: decimals(2).min(0).max(100).optional(),
  }),
  z.object({
    type: z.literal('text'),
    name: z.string().min(1).max(documentedLimits.lineItemName),
    description: z.string().max(documentedLimits.lineItemDescription).optional(),
  }),
]);

const voucherBase = z.object({
  language: z.enum(['de', 'en']).optional(),
  voucherDate: lxDateTime,
  address: z
    .object({ contactId: z.uuid().optional(), name: z.string().optional(), countryCode: z.string().optional() })
    .loose()
    .refine((a) => a.contactId || (a.name && a.countryCode), 'contactId or name + countryCode'),
  lineItems: z.array(lineItem).min(1).max(documentedLimits.lineItems),
  totalPrice: z.object({ currency: z.literal('EUR'), totalDiscountAbsolute: decimals(2).optional(), totalDiscountPercentage: decimals(2).optional() }),
  taxConditions: z.object({ taxType: z.enum(taxTypes), taxSubType: z.string().nullable().optional(), taxTypeNote: z.string().optional() }),
  paymentConditions: z.object({ paymentTermLabel: z.string().optional(), paymentTermDuration: z.number().int().optional() }).loose().optional(),
  title: z.string().max(documentedLimits.voucherTitle).optional(),
  introduction: z.string().max(documentedLimits.voucherIntroduction).optional(),
  remark: z.string().max(documentedLimits.voucherRemark).optional(),
});

export const invoiceCreateSchema = voucherBase.extend({
  /** Overrides the contact's Leitweg-ID; "" makes a standard invoice for an XRechnung contact (einvoice.ts). */
  xRechnung: z.object({ buyerReference: z.string() }).optional(),
  shippingConditions: z
    .object({
      shippingType: z.enum(['service', 'serviceperiod', 'delivery', 'deliveryperiod', 'none']),
      shippingDate: lxDateTime.optional(),
      shippingEndDate: lxDateTime.optional(),
    })
    .refine((s) => s.shippingType === 'none' || s.shippingDate, { message: 'darf nicht leer sein', path: ['shippingDate'] }),
});
export const quotationCreateSchema = voucherBase.extend({ expirationDate: lxDateTime });
/** Credit notes take the invoice's fields without shipping conditions (docs "Credit Notes Endpoint"). */
export const creditNoteCreateSchema = voucherBase;
export type VoucherCreate = z.infer<typeof voucherBase> & {
  shippingConditions?: { shippingType: string; shippingDate?: string };
  expirationDate?: string;
  xRechnung?: { buyerReference: string };
};

export interface FieldProblem {
  field: string;
  missing: boolean;
  message: string;
  /** The regular family's `violation`; default NOTNULL when missing, else INVALID. */
  violation?: string;
}

export function problemsOf(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join(''),
    missing: issue.code === 'invalid_type' && /received undefined/.test(issue.message),
    ...(issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array') ? tooLong(issue.maximum) : { message: issue.message }),
  }));
}

/**
 * A value over its limit. The docs show no such answer; the `violation` codes Lexware does send are the
 * bean-validation constraint names (NOTNULL in the docs sample; NOTEMPTY, VALIDGTIN measured live,
 * benethos-hub/lexware-office-mcp SPECS.md), so a length limit answers SIZE with that library's German
 * text (UNCONFIRMED against a live over-long title).
 */
function tooLong(maximum: number | bigint): { violation: string; message: string } {
  return { violation: 'SIZE', message: `Größe muss zwischen 0 und ${String(maximum)} sein` };
}

/**
 * Rules beyond the shape (accounting.md §1.6, money.md LX-R5/LX-R6): the price field that matches the
 * tax type, and the tax rates valid on the relevant date (shipping date, else voucher date).
 */
export function semanticProblems(body: VoucherCreate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const taxType = body.taxConditions.taxType;
  const relevant = (body.shippingConditions?.shippingType !== 'none' && body.shippingConditions?.shippingDate) || body.voucherDate;
  const day = relevant.slice(0, 10);
  const allowed = taxType !== 'net' && taxType !== 'gross' ? [0] : day >= '2020-07-01' && day <= '2020-12-31' ? [0, 5, 16] : [0, 7, 19];
  body.lineItems.forEach((line, i) => {
    if (line.type !== 'custom') return;
    const priceField = taxType === 'gross' ? 'grossAmount' : 'netAmount';
    if (line.unitPrice[priceField] === undefined)
      problems.push({ field: `lineItems[${i}].unitPrice.${priceField}`, missing: true, message: 'darf nicht leer sein' });
    if (!allowed.includes(line.unitPrice.taxRatePercentage)) {
      problems.push({
        field: `lineItems[${i}].unitPrice.taxRatePercentage`,
        missing: false,
        message: `Steuersatz ${line.unitPrice.taxRatePercentage} ist nicht gültig`,
      });
    }
  });
  return problems;
}

/** Event types a subscription may name (docs "Event Types" table, docs2025 with article.* and delivery-note.*). */
const eventTypes = [
  ...['article', 'contact', 'recurring-template'].flatMap((r) => [`${r}.created`, `${r}.changed`, `${r}.deleted`]),
  'dunning.created',
  'dunning.changed',
  'dunning.deleted',
  ...['credit-note', 'delivery-note', 'down-payment-invoice', 'invoice', 'order-confirmation', 'quotation', 'voucher'].flatMap((r) => [
    `${r}.created`,
    `${r}.changed`,
    `${r}.deleted`,
    `${r}.status.changed`,
  ]),
  'payment.changed',
  'token.revoked',
];

/** `POST /v1/event-subscriptions` (docs "Create an Event Subscription"): both fields required. */
export const eventSubscriptionCreateSchema = z.object({
  eventType: z.string().refine((t) => eventTypes.includes(t), 'unknown event type'),
  callbackUrl: z.url(),
});
