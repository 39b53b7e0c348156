/**
 * Lexware Office (lexoffice) public API client: base URL, Bearer auth, the 2 req/s limit per key,
 * paging and error classification. Fact sheet: docs/reference/accounting.md §1 (and §7, §8);
 * contract: server/specs/lexoffice/openapi.from-docs.json.
 */
import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../errors';
import { bodyText, createVendorHttp, fingerprint, parseRetryAfter, type VendorHttp, type VendorRequest, type VendorResponse } from '../http';
import type { ProviderDeps } from '../provider';
import {
  actionResultSchema,
  contactPageSchema,
  contactSchema,
  eventSubscriptionListSchema,
  eventSubscriptionSchema,
  gatewayErrorSchema,
  creditNoteSchema,
  invoiceSchema,
  legacyErrorSchema,
  lexofficeCredentialsSchema,
  paymentSchema,
  profileSchema,
  quotationSchema,
  regularErrorSchema,
  voucherlistPageSchema,
} from './schemas';

export const lexofficeBaseUrl = 'https://api.lexware.io';
/** accounting.md §1.2: 2 requests per second per key, shared by all endpoints (token bucket). */
export const lexofficeRateLimit = { requests: 2, perMs: 1000 };
export type SalesVoucherKind = 'invoice' | 'quotation';
const voucherPath: Record<SalesVoucherKind, string> = { invoice: '/v1/invoices', quotation: '/v1/quotations' };

/** One classification for every failed Lexware response (accounting.md §1.2, §1.3). */
export function classifyLexofficeResponse(response: VendorResponse): ProviderError {
  const { status } = response;
  const body = parseJson(bodyText(response));
  const legacy = legacyErrorSchema.safeParse(body);
  const regular = regularErrorSchema.safeParse(body);
  const gateway = gatewayErrorSchema.safeParse(body);
  const issue = legacy.success ? legacy.data.IssueList[0] : undefined;
  const detail = regular.success ? regular.data.details?.[0] : undefined;
  const vendorCode = issue?.i18nKey ?? detail?.violation ?? undefined;
  const message = (gateway.success ? gateway.data.message : undefined) ?? (regular.success ? regular.data.message : undefined) ?? `HTTP ${status}`;
  const make = (kind: ProviderErrorKind, retryAfterMs?: number) =>
    new ProviderError(kind, `lexoffice ${status}: ${message}`, { provider: 'lexoffice', status, vendorCode, retryAfterMs });

  if (status === 401) return make('auth');
  if (status === 402 || status === 403) return make('forbidden');
  if (status === 404) return make('not_found');
  // Live sandbox (LX26 LIVE_FINDINGS §2.2): a stale contact `version` comes back as 406 with
  // IssueList source "version", not the documented 409 — both mean someone else changed it.
  if (status === 409 || (status === 406 && legacy.success && legacy.data.IssueList.some((i) => i.source === 'version'))) return make('conflict');
  if (status === 400 || status === 406 || status === 415) return make('validation');
  // No Retry-After is documented (§1.2, §8.1); honour one if it ever appears.
  if (status === 429) return make('rate_limited', parseRetryAfter(response.headers));
  // §1.2 / LX26: the gateway may report throttling as 500 "Internal server error or rate limit exceeded".
  if (status === 500 && /rate limit/i.test(message)) return make('rate_limited', parseRetryAfter(response.headers));
  if (status === 500 || status === 502 || status === 503 || status === 504) return make('unavailable');
  return make('unexpected');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * `name`/`email` filters match substrings with `_`/`%` wildcards, and `&`, `<`, `>` must be
 * HTML-encoded before URL-encoding (accounting.md §1.9 "Contacts"; LX26 contacts.md).
 */
export function toNameFilter(name: string): string {
  return name
    .replace(/[\\_%]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export interface VoucherlistQuery {
  voucherType: string;
  voucherStatus: string;
  createdDateFrom?: string;
  /** Only this customer's vouchers (spec: voucherlist contactId). */
  contactId?: string;
  sort?: string;
  page?: number;
  size?: number;
}

export type LexofficeClient = ReturnType<typeof createLexofficeClient>;

export function createLexofficeClient(deps: ProviderDeps) {
  const { apiKey } = lexofficeCredentialsSchema.parse(deps.credentials);
  const limiter = deps.limiters.get(`lexoffice:${fingerprint(apiKey)}`, deps.rateLimit ?? lexofficeRateLimit);
  const http: VendorHttp = createVendorHttp({
    provider: 'lexoffice',
    baseUrl: deps.baseUrl,
    authHeaders: () => ({ authorization: `Bearer ${apiKey}` }),
    classify: classifyLexofficeResponse,
    limiter,
    log: deps.log,
    observer: deps.observer,
    timeoutMs: deps.timeoutMs,
    maxAttempts: deps.maxAttempts,
  });

  async function read<S extends z.ZodType>(schema: S, request: VendorRequest): Promise<z.infer<S>> {
    const body = await http.json(request);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError(
        'unexpected',
        `lexoffice answered ${request.method} ${request.path} with an unexpected shape`,
        { provider: 'lexoffice' },
        { cause: parsed.error },
      );
    }
    return parsed.data;
  }

  async function orNull<T>(call: () => Promise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'not_found') return null;
      throw error;
    }
  }

  return {
    getProfile: () => read(profileSchema, { method: 'GET', path: '/v1/profile' }),
    /** Contacts page; sort is fixed to name (§1.5), size max 250 (§1.4). */
    listContacts: (query: { name?: string; email?: string; customer?: boolean; page: number; size: number }) =>
      read(contactPageSchema, { method: 'GET', path: '/v1/contacts', query: { ...query, name: query.name && toNameFilter(query.name) } }),
    getContact: (id: string) => orNull(() => read(contactSchema, { method: 'GET', path: `/v1/contacts/${encodeURIComponent(id)}` })),
    createContact: (body: unknown) => read(actionResultSchema, { method: 'POST', path: '/v1/contacts', json: body }),
    updateContact: (id: string, body: unknown) => read(actionResultSchema, { method: 'PUT', path: `/v1/contacts/${encodeURIComponent(id)}`, json: body }),
    /** Finalizing is only possible here (§1.6: `?finalize=true`); without it the voucher stays a draft. */
    /** `precedingSalesVoucherId`: the invoice pursues that quotation, and Lexware links the two (§1.6). */
    createVoucher: (kind: SalesVoucherKind, body: unknown, finalize: boolean, precedingSalesVoucherId?: string) =>
      read(actionResultSchema, {
        method: 'POST',
        path: voucherPath[kind],
        query: { finalize: finalize ? true : undefined, precedingSalesVoucherId },
        json: body,
      }),
    getInvoice: (id: string) => read(invoiceSchema, { method: 'GET', path: `/v1/invoices/${encodeURIComponent(id)}` }),
    /**
     * `POST /v1/credit-notes?finalize=true&precedingSalesVoucherId=<invoice>` ("Pursue to a Credit Note"):
     * finalized, it is paid off at once and reduces the invoice's open amount (accounting.md §1.6).
     */
    createCreditNote: (body: unknown, invoiceId: string) =>
      read(actionResultSchema, { method: 'POST', path: '/v1/credit-notes', query: { finalize: true, precedingSalesVoucherId: invoiceId }, json: body }),
    getCreditNote: (id: string) => read(creditNoteSchema, { method: 'GET', path: `/v1/credit-notes/${encodeURIComponent(id)}` }),
    getQuotation: (id: string) => read(quotationSchema, { method: 'GET', path: `/v1/quotations/${encodeURIComponent(id)}` }),
    /** `/file` replaced the deprecated `/document` + `/v1/files` pair on 13.08.2025 (§1.9); drafts → 409. */
    downloadFile: (kind: SalesVoucherKind, id: string) =>
      http.bytes({ method: 'GET', path: `${voucherPath[kind]}/${encodeURIComponent(id)}/file`, headers: { accept: 'application/pdf' } }),
    /** The XRechnung XML (`Accept: application/xml`); null (404) for any other invoice (docs2025 `/file` table). */
    downloadXml: (id: string) =>
      orNull(async () =>
        (await http.bytes({ method: 'GET', path: `${voucherPath.invoice}/${encodeURIComponent(id)}/file`, headers: { accept: 'application/xml' } })).toString(
          'utf8',
        ),
      ),
    getPayment: (voucherId: string) => read(paymentSchema, { method: 'GET', path: `/v1/payments/${encodeURIComponent(voucherId)}` }),
    listVouchers: (query: VoucherlistQuery) => read(voucherlistPageSchema, { method: 'GET', path: '/v1/voucherlist', query: { ...query } }),
    listEventSubscriptions: () => read(eventSubscriptionListSchema, { method: 'GET', path: '/v1/event-subscriptions' }),
    getEventSubscription: (id: string) =>
      orNull(() => read(eventSubscriptionSchema, { method: 'GET', path: `/v1/event-subscriptions/${encodeURIComponent(id)}` })),
    /** Same type + URL twice is a 409 (§1.8); there is no update, only delete and create. */
    createEventSubscription: (body: { eventType: string; callbackUrl: string }) =>
      read(actionResultSchema, { method: 'POST', path: '/v1/event-subscriptions', json: body }),
    deleteEventSubscription: async (id: string): Promise<void> => {
      await http.json({ method: 'DELETE', path: `/v1/event-subscriptions/${encodeURIComponent(id)}` });
    },
  };
}
