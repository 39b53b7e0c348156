/**
 * zod schemas for what we read from sevDesk (only the fields we use) and for our credentials.
 * Fact sheet: docs/reference/accounting.md §2; spec: server/specs/sevdesk/openapi.yaml (SVS).
 * Ids and amounts arrive as strings in responses (§2.2, SVS `Model_*Response`); we accept numbers too.
 */
import { z } from 'zod';

/** §2.1: the raw 32-hex API token of a sevDesk user; it never expires but dies with the user. */
export const sevdeskCredentialsSchema = z.object({
  apiToken: z.string().regex(/^[0-9a-fA-F]{32}$/, 'sevDesk API token: 32 hexadecimal characters'),
});
export type SevdeskCredentials = z.infer<typeof sevdeskCredentialsSchema>;

const idString = z.union([z.string(), z.number()]).transform(String);
const decimalString = z.union([z.string(), z.number()]).transform(String);
const ref = z.object({ id: idString, objectName: z.string() });

/** §2.2: lists come as `{ objects: [...] }`; single reads and factory answers often as `{ objects: {...} }`. */
export function objectsList<T extends z.ZodType>(item: T) {
  return z.object({ objects: z.array(item) });
}

/** SVS `Model_ContactResponse` (subset). */
export const contactSchema = z.object({
  id: idString,
  objectName: z.literal('Contact'),
  name: z.string().nullish(),
  surename: z.string().nullish(),
  familyname: z.string().nullish(),
  customerNumber: z.string().nullish(),
  vatNumber: z.string().nullish(),
  parent: ref.nullish(),
  update: z.string().nullish(),
});
export type SevdeskContact = z.infer<typeof contactSchema>;

/** SVS `Model_ContactAddressResponse` (subset). */
export const contactAddressSchema = z.object({
  id: idString,
  street: z.string().nullish(),
  zip: z.string().nullish(),
  city: z.string().nullish(),
  country: ref.nullish(),
  contact: ref.nullish(),
  update: z.string().nullish(),
});
export type SevdeskContactAddress = z.infer<typeof contactAddressSchema>;

/** SVS `Model_CommunicationWayResponse` (subset); `main` is "0"/"1" on reads. */
export const communicationWaySchema = z.object({
  id: idString,
  type: z.enum(['EMAIL', 'PHONE', 'WEB', 'MOBILE']),
  value: z.string(),
  main: z.union([z.string(), z.boolean(), z.number()]).nullish(),
  contact: ref.nullish(),
  update: z.string().nullish(),
});
export type SevdeskCommunicationWay = z.infer<typeof communicationWaySchema>;

/** SVS `Model_InvoiceResponse` (subset); status 100 draft, 200 open, 750 partially paid, 1000 paid (§2.6). */
export const invoiceSchema = z.object({
  id: idString,
  objectName: z.literal('Invoice'),
  invoiceNumber: z.string().nullish(),
  invoiceDate: z.string().nullish(),
  status: idString,
  currency: z.string().nullish(),
  sumNet: decimalString,
  sumTax: decimalString,
  sumGross: decimalString,
  payDate: z.string().nullish(),
  paidAmount: decimalString.nullish(),
  customerInternalNote: z.string().nullish(),
  /** RE normal, SR cancellation invoice (SVS Invoice tag). */
  invoiceType: z.string().nullish(),
  /** The order or invoice this one was made from (createInvoiceFromOrder, cancelInvoice). */
  origin: z.object({ id: idString, objectName: z.string() }).nullish(),
  contact: z.object({ id: idString }).nullish(),
});
export type SevdeskInvoice = z.infer<typeof invoiceSchema>;

/** SVS `Model_OrderResponse` (subset); orderType AN is an estimate/proposal; status 100 draft, 200 sent (SVS Order tag). */
export const orderSchema = z.object({
  id: idString,
  objectName: z.literal('Order'),
  orderNumber: z.string().nullish(),
  orderDate: z.string().nullish(),
  orderType: z.string(),
  status: idString,
  currency: z.string().nullish(),
  sumNet: decimalString,
  sumTax: decimalString,
  sumGross: decimalString,
  customerInternalNote: z.string().nullish(),
});
export type SevdeskOrder = z.infer<typeof orderSchema>;

/** SVS `saveOrderResponse`: `{ order, orderPos[] }`. */
export const saveOrderResultSchema = z.object({ order: orderSchema });

/** SVS `saveInvoiceResponse`: `{ invoice, invoicePos[] }`. */
export const saveInvoiceResultSchema = z.object({ invoice: invoiceSchema });

/** SVS `invoiceGetPdf`: `{ filename, mimeType, base64encoded, content }` (runtime wraps it in `objects`, SVQ). */
export const pdfSchema = z.object({
  filename: z.string().optional(),
  mimeType: z.string().optional(),
  base64encoded: z.boolean(),
  content: z.string(),
});

/**
 * `GET /SevUser` is not in SVS. §2.4: `invoice.contactPerson` must be a sevDesk user; community
 * clients take the first object of `GET /SevUser` (codecell-germany/sevdesk-agent-skill, capture scripts).
 */
export const sevUserSchema = z.object({ id: idString, objectName: z.literal('SevUser') });
export const sevUserListSchema = objectsList(sevUserSchema);

/**
 * `GET /SevClient` is not in SVS either: the account (company) behind the token, read by
 * community clients for `name` and `smallSettlement` (§2.1, testConnection). UNCONFIRMED field set.
 */
export const sevClientSchema = z.object({ id: idString, objectName: z.literal('SevClient'), name: z.string() });
export const sevClientListSchema = objectsList(sevClientSchema);

/** §2.2 error body: `{ error: { message, exceptionUUID } }`; some answers carry a `code`. */
export const errorBodySchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    code: z.union([z.string(), z.number()]).nullish(),
    exceptionUUID: z.string().nullish(),
  }),
});
