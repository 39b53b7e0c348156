/**
 * zod schemas for what we read from Lexware Office, only the fields we use (STYLE.md), plus the
 * credential shape. Field names and enums follow specs/lexoffice/openapi.from-docs.json; where that
 * file has no operation (quotation read, accounting.md §1.9 "Missing"), the schema cites its source.
 */
import { z } from 'zod';

/** Stored per portal, encrypted. A public-API key from app.lexware.de/addons/public-api (accounting.md §1.1). */
export const lexofficeCredentialsSchema = z.object({ apiKey: z.string().trim().min(1) });
export type LexofficeCredentials = z.infer<typeof lexofficeCredentialsSchema>;

const lxDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T/);
const amount = z.number();

/** POST/PUT answer with this stub instead of the resource (accounting.md §1.5, §1.6). */
export const actionResultSchema = z.object({
  id: z.string(),
  resourceUri: z.string().optional(),
  createdDate: lxDateTime.optional(),
  updatedDate: lxDateTime.optional(),
  version: z.number().int(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

const stringList = z.array(z.string()).optional();
const contactAddress = z.object({
  supplement: z.string().optional(),
  street: z.string().optional(),
  zip: z.string().optional(),
  city: z.string().optional(),
  countryCode: z.string().optional(),
});

/** GET /v1/contacts/{id} (operationId getContact). No timestamps on the object (§1.5). */
export const contactSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  roles: z.object({ customer: z.object({ number: z.number().int().optional() }).optional(), vendor: z.object({}).loose().optional() }).optional(),
  company: z
    .object({
      name: z.string().optional(),
      taxNumber: z.string().optional(),
      vatRegistrationId: z.string().optional(),
      allowTaxFreeInvoices: z.boolean().optional(),
      contactPersons: z
        .array(
          z.object({
            salutation: z.string().optional(),
            firstName: z.string().optional(),
            lastName: z.string().optional(),
            primary: z.boolean().optional(),
            emailAddress: z.string().optional(),
            phoneNumber: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  person: z.object({ salutation: z.string().optional(), firstName: z.string().optional(), lastName: z.string().optional() }).optional(),
  addresses: z.object({ billing: z.array(contactAddress).optional(), shipping: z.array(contactAddress).optional() }).optional(),
  xRechnung: z.object({ buyerReference: z.string().optional(), vendorNumberAtCustomer: z.string().optional() }).optional(),
  emailAddresses: z.object({ business: stringList, office: stringList, private: stringList, other: stringList }).optional(),
  phoneNumbers: z.object({ business: stringList, office: stringList, mobile: stringList, private: stringList, fax: stringList, other: stringList }).optional(),
  note: z.string().optional(),
  archived: z.boolean().optional(),
});
export type LexofficeContact = z.infer<typeof contactSchema>;

/** Spring "Pageable" wrapper, `page` 0-based (§1.4). */
function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ content: z.array(item), last: z.boolean(), number: z.number().int(), totalPages: z.number().int().optional() });
}
export const contactPageSchema = pageOf(contactSchema);

const totalPrice = z.object({
  currency: z.literal('EUR'),
  totalNetAmount: amount,
  totalGrossAmount: amount,
  totalTaxAmount: amount,
  totalDiscountAbsolute: amount.nullable().optional(),
  totalDiscountPercentage: amount.nullable().optional(),
});

const salesVoucherBase = {
  id: z.string(),
  version: z.number().int(),
  voucherNumber: z.string().optional(),
  voucherDate: lxDateTime,
  address: z.object({ contactId: z.string().nullable().optional(), name: z.string().optional() }).optional(),
  lineItems: z.array(
    z.object({
      type: z.enum(['service', 'material', 'custom', 'text']),
      name: z.string(),
      description: z.string().optional(),
      quantity: amount.optional(),
      unitName: z.string().optional(),
      unitPrice: z.object({ currency: z.literal('EUR'), netAmount: amount.optional(), grossAmount: amount.optional(), taxRatePercentage: amount }).optional(),
      discountPercentage: amount.optional(),
      lineItemAmount: amount.optional(),
    }),
  ),
  totalPrice,
  taxAmounts: z.array(z.object({ taxRatePercentage: amount, taxAmount: amount, netAmount: amount })).optional(),
  taxConditions: z.object({ taxType: z.string() }),
  title: z.string().optional(),
  introduction: z.string().optional(),
  remark: z.string().optional(),
  /** Vouchers linked to this one, e.g. the credit note pursued from an invoice (docs `RelatedVoucher`). */
  relatedVouchers: z.array(z.object({ id: z.string(), voucherNumber: z.string().optional(), voucherType: z.string() })).optional(),
};

/** GET /v1/invoices/{id} (operationId getInvoice). */
export const invoiceSchema = z.object({ ...salesVoucherBase, voucherStatus: z.enum(['draft', 'open', 'paid', 'voided']) });

/**
 * GET /v1/quotations/{id}: absent from openapi.from-docs.json (accounting.md §1.9 lists only quotation
 * create). Shape per the Lexware docs' "Quotations Endpoint" as captured in LX26
 * (alexander-zierhut/agent-tool-lexware-office-cli spike/research/sales-docs.md): the invoice's
 * sales-voucher fields plus `expirationDate`, status `draft|open|accepted|rejected|voided`.
 */
export const quotationSchema = z.object({
  ...salesVoucherBase,
  voucherStatus: z.enum(['draft', 'open', 'accepted', 'rejected', 'voided']),
  expirationDate: lxDateTime,
});
export type LexofficeSalesVoucher = z.infer<typeof invoiceSchema> | z.infer<typeof quotationSchema>;
export type LexofficeInvoice = z.infer<typeof invoiceSchema>;

/** GET /v1/credit-notes/{id}: the sales-voucher fields; status draft, open, paidoff or voided. */
export const creditNoteSchema = z.object({ ...salesVoucherBase, voucherStatus: z.enum(['draft', 'open', 'paidoff', 'voided']) });

/** GET /v1/payments/{voucherId} (getPayment); `openAmount` may be a string in the docs sample (§1.7). */
export const paymentSchema = z.object({
  openAmount: z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).optional(),
  currency: z.string().optional(),
  paymentStatus: z.enum(['balanced', 'openRevenue', 'openExpense']),
  voucherStatus: z.string(),
  paidDate: lxDateTime.optional(),
});

/** GET /v1/profile (getProfile). */
export const profileSchema = z.object({ organizationId: z.string(), companyName: z.string() });

/** GET /v1/voucherlist (getVoucherlist): the rows we scan for an earlier attempt's document. */
export const voucherlistPageSchema = pageOf(
  z.object({
    id: z.string(),
    voucherType: z.string(),
    voucherStatus: z.string(),
    createdDate: lxDateTime.optional(),
    contactId: z.string().nullable().optional(),
  }),
);

/** GET /v1/event-subscriptions[/{id}] (list/getEventSubscription): keyed `subscriptionId`, not `id` (§1.8). */
export const eventSubscriptionSchema = z.object({ subscriptionId: z.string(), eventType: z.string(), callbackUrl: z.string() });
/** Not paged: only `content` (§1.8). */
export const eventSubscriptionListSchema = z.object({ content: z.array(eventSubscriptionSchema) });
export type LexofficeEventSubscription = z.infer<typeof eventSubscriptionSchema>;

/** The three error shapes (accounting.md §1.3), read loosely: they only steer classification. */
export const gatewayErrorSchema = z.object({ message: z.string().nullable() });
export const legacyErrorSchema = z.object({
  IssueList: z.array(z.object({ i18nKey: z.string().optional(), source: z.string().nullable().optional(), type: z.string().optional() })),
});
export const regularErrorSchema = z.object({
  status: z.union([z.number(), z.string()]).optional(),
  message: z.string().nullable().optional(),
  details: z.array(z.object({ violation: z.string().optional(), field: z.string().optional(), message: z.string().optional() })).optional(),
});
