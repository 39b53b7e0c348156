/**
 * bexio HTTP client: base URL, Bearer auth, limit/offset paging, RateLimit-* headers and the one
 * function that turns bexio failures into ProviderError. Facts: reference/accounting.md §3
 * (bexio), contract: server/specs/bexio/openapi.assembled.json.
 */
import { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../errors';
import { bodyText, createVendorHttp, fingerprint, parseRetryAfter, type VendorHttp, type VendorResponse } from '../http';
import type { DocumentDraft, ProviderDeps } from '../provider';
import type { RateLimit } from '../../lib/rate-limit';
import * as s from './schemas';

export const bexioBaseUrl = 'https://api.bexio.com';

/**
 * bexio limits per company per minute but does not publish the number (accounting.md §3.2;
 * docs.maesn.com/rate-limits says the same). 120/min is our conservative guess; the vendor's
 * `RateLimit-Remaining`/`RateLimit-Reset` headers are what really steer us (see `onResponse`).
 */
export const bexioDefaultRateLimit: RateLimit = { requests: 120, perMs: 60_000 };

/** bexio's maximum page size (`limit`, max 2000; accounting.md §3.2). */
export const bexioMaxPageSize = 2000;

export type SearchCriterion = { field: string; value: string; criteria: string };

/** One classification for every bexio failure (error body `{ error_code, message }`, §3.2). */
export function classifyBexioError(response: VendorResponse): ProviderError {
  const parsed = s.bexioErrorSchema.safeParse(safeJson(bodyText(response)));
  const vendorMessage = parsed.success ? parsed.data.message : undefined;
  const status = response.status;
  const kind: ProviderErrorKind =
    status === 401
      ? 'auth'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 409
            ? 'conflict'
            : status === 400 || status === 422
              ? 'validation'
              : status === 429
                ? 'rate_limited'
                : status >= 500
                  ? 'unavailable'
                  : 'unexpected'; // 411/415 mean our request was malformed (§3.1, §5), not the user's data
  const retryAfterMs = status === 429 ? (readRateLimit(response.headers).resetMs ?? parseRetryAfter(response.headers)) : undefined;
  return new ProviderError(kind, `bexio ${status}: ${vendorMessage ?? 'request failed'}`, {
    provider: 'bexio',
    status,
    vendorCode: parsed.success ? String(parsed.data.error_code) : undefined,
    retryAfterMs,
  });
}

/** `RateLimit-Remaining` and `RateLimit-Reset` (seconds until the window resets), §3.2. */
export function readRateLimit(headers: Headers): { remaining?: number; resetMs?: number } {
  const remaining = Number(headers.get('ratelimit-remaining') ?? NaN);
  const reset = Number(headers.get('ratelimit-reset') ?? NaN);
  return { remaining: Number.isFinite(remaining) ? remaining : undefined, resetMs: Number.isFinite(reset) ? Math.max(0, reset * 1000) : undefined };
}

const documentPath = { invoice: '/2.0/kb_invoice', quotation: '/2.0/kb_offer' } as const satisfies Record<DocumentDraft['kind'], string>;

export type BexioClient = ReturnType<typeof createBexioClient>;

export function createBexioClient(deps: ProviderDeps) {
  const { accessToken } = s.bexioCredentialsSchema.parse(deps.credentials);
  const limiter = deps.limiters.get(`bexio:${fingerprint(accessToken)}`, deps.rateLimit ?? bexioDefaultRateLimit);
  const http: VendorHttp = createVendorHttp({
    provider: 'bexio',
    baseUrl: deps.baseUrl,
    authHeaders: () => ({ authorization: `Bearer ${accessToken}` }),
    classify: classifyBexioError,
    limiter,
    log: deps.log,
    observer: deps.observer,
    timeoutMs: deps.timeoutMs,
    maxAttempts: deps.maxAttempts,
    onResponse: (response) => {
      // The window is used up: hold every request on this credential until bexio says it resets.
      const { remaining, resetMs } = readRateLimit(response.headers);
      if (remaining === 0 && resetMs !== undefined) limiter.blockFor(resetMs);
    },
  });

  async function read<T extends z.ZodType>(schema: T, request: Parameters<VendorHttp['json']>[0]): Promise<z.infer<T>> {
    const body = await http.json(request);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError(
        'unexpected',
        `bexio answered ${request.method} ${request.path} with an unexpected body`,
        { provider: 'bexio' },
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  const search = <T extends z.ZodType>(path: string, item: T, criteria: SearchCriterion[], page: Page = {}) =>
    // A search changes nothing, so it may be resent after a 5xx.
    read(z.array(item), { method: 'POST', path: `${path}/search`, json: criteria, query: pageQuery(page), idempotent: true });

  return {
    companyProfiles: () => read(s.bexioCompanyProfileListSchema, { method: 'GET', path: '/2.0/company_profile' }),
    me: () => read(s.bexioUserSchema, { method: 'GET', path: '/3.0/users/me' }),
    currencies: () => read(z.array(s.bexioCurrencySchema), { method: 'GET', path: '/3.0/currencies' }),
    /** Only active sales taxes are valid on documents (§3.4 `tax_id`); `date` picks the rates valid then (BX-R6). */
    salesTaxes: (date: string) =>
      read(z.array(s.bexioTaxSchema), { method: 'GET', path: '/3.0/taxes', query: { types: 'sales_tax', scope: 'active', date, limit: bexioMaxPageSize } }),
    countries: () => read(z.array(s.bexioCountrySchema), { method: 'GET', path: '/2.0/country', query: { limit: bexioMaxPageSize } }),

    listContacts: (page: Page) => read(z.array(s.bexioContactSchema), { method: 'GET', path: '/2.0/contact', query: pageQuery(page) }),
    searchContacts: (criteria: SearchCriterion[], page?: Page) => search('/2.0/contact', s.bexioContactSchema, criteria, page),
    getContact: (id: string) => nullOn404(() => read(s.bexioContactSchema, { method: 'GET', path: `/2.0/contact/${intId(id)}` })),
    createContact: (body: Record<string, unknown>) => read(s.bexioContactSchema, { method: 'POST', path: '/2.0/contact', json: body }),
    /** Edit is POST, not PUT/PATCH (§3.3; PATCH 404s per §5). Same body, same result: safe to resend. */
    editContact: (id: string, body: Record<string, unknown>) =>
      read(s.bexioContactSchema, { method: 'POST', path: `/2.0/contact/${intId(id)}`, json: body, idempotent: true }),
    deleteContact: (id: string) => nullOn404(() => read(s.bexioSuccessSchema, { method: 'DELETE', path: `/2.0/contact/${intId(id)}` })),

    /** Contact relations (docs.bexio.com "Contact Relations": v2ListContactRelations … v2DeleteContactRelation). */
    listContactRelations: (page: Page) => read(z.array(s.bexioContactRelationSchema), { method: 'GET', path: '/2.0/contact_relation', query: pageQuery(page) }),
    /** Searchable fields: `contact_id`, `contact_sub_id`, `updated_at` (same docs). */
    searchContactRelations: (criteria: SearchCriterion[], page?: Page) => search('/2.0/contact_relation', s.bexioContactRelationSchema, criteria, page),
    createContactRelation: (contactId: string, subContactId: string, description?: string) =>
      read(s.bexioContactRelationSchema, {
        method: 'POST',
        path: '/2.0/contact_relation',
        json: { contact_id: intId(contactId), contact_sub_id: intId(subContactId), ...(description ? { description } : {}) },
      }),
    /** "permanently deletes a contact relation" → `{ success: true }`; one already gone answers 404 (null here). */
    deleteContactRelation: (id: string) => nullOn404(() => read(s.bexioSuccessSchema, { method: 'DELETE', path: `/2.0/contact_relation/${intId(id)}` })),

    createDocument: (kind: DocumentDraft['kind'], body: Record<string, unknown>) =>
      read(s.bexioDocumentSchema, { method: 'POST', path: documentPath[kind], json: body }),
    getDocument: (kind: DocumentDraft['kind'], id: string) => read(s.bexioDocumentSchema, { method: 'GET', path: `${documentPath[kind]}/${intId(id)}` }),
    listDocuments: (kind: DocumentDraft['kind'], page: Page) =>
      read(z.array(s.bexioDocumentSchema), { method: 'GET', path: documentPath[kind], query: pageQuery(page) }),
    searchDocuments: (kind: DocumentDraft['kind'], criteria: SearchCriterion[]) => search(documentPath[kind], s.bexioDocumentSchema, criteria),
    issueDocument: (kind: DocumentDraft['kind'], id: string) =>
      read(s.bexioSuccessSchema, { method: 'POST', path: `${documentPath[kind]}/${intId(id)}/issue` }),
    /** JSON `{ name, size, mime, content }` with base64 content (§3.4). */
    pdf: (kind: DocumentDraft['kind'], id: string) => read(s.bexioPdfSchema, { method: 'GET', path: `${documentPath[kind]}/${intId(id)}/pdf` }),
    send: (kind: DocumentDraft['kind'], id: string, body: Record<string, unknown>) =>
      read(s.bexioSuccessSchema, { method: 'POST', path: `${documentPath[kind]}/${intId(id)}/send`, json: body }),
    /** "Cancels an already issued invoice" (spec v2CancelInvoice); the invoice becomes 19 cancelled. */
    cancelInvoice: (id: string) => read(s.bexioSuccessSchema, { method: 'POST', path: `/2.0/kb_invoice/${intId(id)}/cancel` }),
    /**
     * An invoice from the quote with all its positions when the body names none: `POST /2.0/kb_offer/{id}/invoice`
     * (bexio web app "Rechnung erstellen" on an offer; seen only in a Go bexio client's CreateInvoiceFromQuote,
     * UNCONFIRMED in bexio's published spec copy, which lacks the kb_offer paths).
     */
    invoiceFromQuote: (quoteId: string) => read(s.bexioDocumentSchema, { method: 'POST', path: `/2.0/kb_offer/${intId(quoteId)}/invoice`, json: {} }),
    invoicePayments: (id: string) =>
      read(z.array(s.bexioPaymentSchema.loose()), { method: 'GET', path: `/2.0/kb_invoice/${intId(id)}/payment`, query: { limit: bexioMaxPageSize } }),
  };
}

export interface Page {
  limit?: number;
  offset?: number;
  /** e.g. `id`, `updated_at_desc` (§3.2). */
  orderBy?: string;
}

function pageQuery(page: Page): Record<string, string | number | undefined> {
  return { order_by: page.orderBy, limit: page.limit, offset: page.offset };
}

/** bexio ids are integers; anything else can only be a 404, so say so without a request. */
function intId(id: string): number {
  if (!/^\d+$/.test(id)) throw new ProviderError('not_found', `not a bexio id: ${id}`, { provider: 'bexio' });
  return Number(id);
}

async function nullOn404<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'not_found') return null;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
