/**
 * Request validation of the sevDesk emulator, written from the spec (SVS `Model_Contact`,
 * `Model_Invoice`, `Model_InvoicePos`, `saveInvoice`, …) and accounting.md §2, independently of the
 * connector's own schemas, so a client bug cannot pass. sevDesk answers structural problems with 400
 * and rule violations (status, tax rule vs rate) with 422 (§2.4; SVS "sevdesk-Update 2.0").
 */
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { parseVendorDate } from './dates';

export class SevdeskHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** SVS `components.schemas.validationError`: `{ error: { message, exceptionUUID } }`, the id support asks for. */
export function writeError(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { message, exceptionUUID: randomUUID() } });
}

/** Ids are integers in SVS requests; numeric strings are accepted as sevDesk (PHP) does. */
const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).transform(String);
export const refSchema = (objectName?: string) =>
  z.object({ id: numericId, objectName: objectName ? z.literal(objectName) : z.string() }, { error: 'expected array with id and objectName' });

const text = z.string().nullish();

export const contactCreateSchema = z.object({
  name: text,
  surename: text,
  familyname: text,
  titel: text,
  description: text,
  name2: text,
  customerNumber: text,
  vatNumber: text,
  buyerReference: text,
  status: z.number().int().nullish(),
  category: refSchema('Category'),
  parent: refSchema('Contact').nullish(),
});
export const contactUpdateSchema = contactCreateSchema.partial();

export const addressCreateSchema = z.object({
  contact: refSchema('Contact'),
  street: text,
  zip: text,
  city: text,
  country: refSchema('StaticCountry'),
  category: refSchema('Category'),
});
export const addressUpdateSchema = addressCreateSchema.partial();

export const wayCreateSchema = z.object({
  contact: refSchema('Contact'),
  type: z.enum(['EMAIL', 'PHONE', 'WEB', 'MOBILE']),
  value: z.string().min(1),
  key: refSchema('CommunicationWayKey'),
  main: z.boolean().nullish(),
});
export const wayUpdateSchema = wayCreateSchema.partial();

/** `invoiceDate`: a Unix timestamp or `dd.mm.yyyy` (§2.4). Returns `YYYY-MM-DD`. */
const invoiceDate = z.union([z.number().int(), z.string()]).transform((value, ctx) => {
  const date = parseVendorDate(value);
  if (date) return date;
  ctx.addIssue({ code: 'custom', message: 'invoiceDate must be a timestamp or dd.mm.yyyy' });
  return z.NEVER;
});

const invoiceSchema = z.object({
  id: z.unknown().optional(),
  objectName: z.literal('Invoice', { error: 'expected array with id and objectName' }),
  mapAll: z.boolean({ error: 'expected array with id and objectName' }),
  invoiceNumber: text,
  contact: refSchema('Contact'),
  contactPerson: refSchema('SevUser'),
  invoiceDate,
  header: text,
  headText: text,
  footText: text,
  timeToPay: z.number().int().nullish(),
  discount: z.number(),
  discountTime: z.number().int().nullish(),
  status: z.union([z.string(), z.number()]).transform(String),
  invoiceType: z.enum(['RE', 'WKR', 'SR', 'MA', 'TR', 'ER']),
  /** Checked with the rules: a missing currency is a 422 (see invoices.ts). */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code')
    .nullish(),
  showNet: z.boolean().optional(),
  taxRate: z.number(),
  taxRule: z.object({ id: z.union([z.string(), z.number()]).transform(String), objectName: z.literal('TaxRule') }).optional(),
  taxType: z.enum(['default', 'eu', 'noteu', 'custom', 'ss']).optional(),
  taxText: z.string(),
  addressCountry: refSchema('StaticCountry'),
  customerInternalNote: text,
  // e-invoice fields (SVS Model_Invoice `propertyIsEInvoice` and the invoice data it lists)
  propertyIsEInvoice: z.boolean().nullish(),
  paymentMethod: refSchema('PaymentMethod').nullish(),
  addressStreet: text,
  addressZip: text,
  addressCity: text,
});

const positionSchema = z.object({
  objectName: z.literal('InvoicePos', { error: 'expected array with id and objectName' }),
  mapAll: z.boolean({ error: 'expected array with id and objectName' }),
  name: text,
  text: text,
  quantity: z.number().positive(),
  price: z.number().nullish(),
  taxRate: z.number().min(0),
  discount: z.number().min(0).max(100).nullish(),
  unity: refSchema('Unity'),
  positionNumber: z.number().int().nullish(),
});

/** SVS `Model_Order` fields the factory reads; `orderNumber` is required there and in live use (codecell-germany/sevdesk-agent-skill knowledge/SEVDESK_ORDER_WRITE_LEARNINGS.md). */
const orderSchema = z.object({
  id: z.unknown().optional(),
  objectName: z.literal('Order', { error: "order expected array with 'id' and 'objectName'. array given" }),
  mapAll: z.boolean({ error: "order expected array with 'id' and 'objectName'. array given" }),
  orderNumber: z.string().min(1, 'orderNumber is required'),
  contact: refSchema('Contact'),
  contactPerson: refSchema('SevUser'),
  orderDate: invoiceDate,
  status: z.union([z.string(), z.number()]).transform(String),
  header: z.string(),
  headText: text,
  footText: text,
  orderType: z.enum(['AN', 'AB', 'LI']),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code')
    .nullish(),
  showNet: z.boolean().optional(),
  taxRate: z.number(),
  taxRule: z.object({ id: z.union([z.string(), z.number()]).transform(String), objectName: z.literal('TaxRule') }).optional(),
  taxType: z.enum(['default', 'eu', 'noteu', 'custom', 'ss']).optional(),
  taxText: z.string(),
  addressCountry: refSchema('StaticCountry'),
  customerInternalNote: text,
  version: z.number().int(),
});

const orderPositionSchema = positionSchema.extend({
  objectName: z.literal('OrderPos', { error: "orderPosSave expected array with 'id' and 'objectName'. array given" }),
});

/** SVS `saveOrder`: `{ order, orderPosSave[], orderPosDelete }`. */
export const saveOrderSchema = z.object({
  order: orderSchema,
  orderPosSave: z.array(orderPositionSchema).nullish(),
  orderPosDelete: z.unknown().optional(),
});
export type SaveOrderBody = z.infer<typeof saveOrderSchema>;

/** SVS `Model_CreateInvoiceFromOrder`: only `order` is required; `partialType` RE makes the final (full) invoice. */
export const createInvoiceFromOrderSchema = z.object({
  order: z.object({ id: z.union([z.string(), z.number()]).transform(String), objectName: z.literal('Order') }),
  type: z.enum(['percentage', 'net', 'gross']).nullish(),
  amount: z.number().nullish(),
  partialType: z.enum(['RE', 'TR', 'AR']).nullish(),
});

/** PHP-style flags: SVS types them boolean but shows `'true'` as the example. */
const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/** SVS `saveInvoice.discountSave[]`: a discount (`discount: true`) or surcharge, in percent or absolute. */
const discountSchema = z.object({
  discount: flag,
  text: z.string(),
  percentage: flag,
  value: z.number().nonnegative(),
  objectName: z.literal('Discounts', { error: 'expected array with id and objectName' }),
  mapAll: z.boolean({ error: 'expected array with id and objectName' }),
});

export const saveInvoiceSchema = z.object({
  invoice: invoiceSchema,
  invoicePosSave: z.array(positionSchema).nullish(),
  invoicePosDelete: z.unknown().optional(),
  discountSave: z.array(discountSchema).nullish(),
  discountDelete: z.unknown().optional(),
});
export type SaveInvoiceBody = z.infer<typeof saveInvoiceSchema>;

export const sendBySchema = z.object({ sendType: z.enum(['VPR', 'VP', 'VM', 'VPDF']), sendDraft: z.boolean() });

export const sendViaEmailSchema = z.object({
  toEmail: z.email(),
  subject: z.string().min(1),
  text: z.string(),
  copy: z.boolean().optional(),
  ccEmail: z.string().optional(),
  bccEmail: z.string().optional(),
});

/** Allowed position rates per tax rule on 2.0 accounts (SVS Invoice tag, §2.4). */
export const ratesByTaxRule: Record<string, string[]> = {
  '1': ['0', '7', '19'],
  '2': ['0'],
  '3': ['0', '7', '19'],
  '4': ['0'],
  '5': ['0'],
  '11': ['0'],
  '17': ['0'],
};

/** Parses with `schema` or throws the 400 sevDesk would give, naming the first offending field. */
export function parseOr400<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new SevdeskHttpError(400, `${issue.path.join('.') || 'body'}: ${issue.message}`);
}
