/**
 * Typed calls of the card backend (docs/api.md "Deal card", "Contact and company cards"). Every
 * answer is checked before a component sees it; `locale` asks the backend for reasons in our language.
 */
import { anything, arrayOf, bool, nullable, num, object, oneOf, optional, str, type Infer } from '@apiup/ui-shared/guards';
import { ApiError, requestJson } from '@apiup/ui-shared/http';
import type { Lang } from '@apiup/ui-shared/origin';

const Features = object({ invoicing: bool, sync: bool, writeBack: bool, conditions: bool, texts: bool });
const Connection = nullable(object({ provider: str, accountName: str, connectedAt: num }));
const Totals = object({ net: str, tax: str, gross: str });

export const InvoiceStatuses = ['pending', 'creating', 'created', 'sent', 'paid', 'skipped', 'failed', 'needs_attention', 'cancelled'] as const;

const InvoiceView = object({
  status: oneOf(...InvoiceStatuses),
  kind: nullable(oneOf('invoice', 'quotation')),
  provider: nullable(str),
  /** The vendor's name from the backend's registry; the card names no vendor itself. */
  providerLabel: nullable(str),
  number: nullable(str),
  date: nullable(str),
  currency: nullable(str),
  totals: nullable(Totals),
  paidDate: nullable(str),
  documentUrl: nullable(str),
  pdfUrl: nullable(str),
  /** The e-invoice XML (lexoffice XRechnung, sevDesk getXml) through our signed link, once the e-invoice is final. */
  eInvoiceXmlUrl: optional(nullable(str)),
  reason: nullable(object({ code: str, retryable: bool, message: str })),
  history: arrayOf(object({ at: num, status: str, code: nullable(str) })),
  /** Shown although the document exists: vendor totals that differ from the prediction, lines on the default tax rate. */
  warnings: arrayOf(object({ code: str, message: str })),
  updatedAt: num,
  /** The vendor can cancel this invoice through its API (credit note, cancellation invoice or status). */
  canCancel: optional(bool),
  /** The quotation this invoice was made from. */
  quotation: optional(nullable(object({ number: nullable(str) }))),
  cancellation: optional(nullable(object({ kind: str, number: nullable(str), cancelledAt: num }))),
});

const DealInvoice = object({
  dealId: str,
  portal: object({ status: oneOf('active', 'needs_reauth', 'not_connected') }),
  connection: Connection,
  features: Features,
  invoice: nullable(InvoiceView),
  job: nullable(object({ state: str, attempts: num, lastError: nullable(object({ code: str, message: str })) })),
});

const Preview = object({
  customer: object({ name: str, action: oneOf('use', 'create', 'ambiguous', 'none'), vendorId: optional(str) }),
  currency: str,
  priceBasis: oneOf('net', 'gross'),
  lines: arrayOf(
    object({
      name: str,
      quantity: str,
      unitPrice: str,
      taxRatePercent: str,
      discountPercent: optional(str),
      net: str,
      taxRateSource: oneOf('hubspot', 'product_rule', 'default'),
    }),
  ),
  totals: nullable(Totals),
  conditions: arrayOf(object({ code: str, passed: bool, message: str })),
  skip: nullable(object({ code: str, message: str })),
  notices: arrayOf(object({ code: str, blocking: bool, message: str })),
  /** What "create now" makes, and whether the deal's stage triggers it by itself (per-pipeline choice). */
  document: optional(object({ kind: oneOf('invoice', 'quotation'), triggeredByStage: bool })),
});

const Accepted = object({ jobId: anything, alreadyQueued: optional(bool) });

const RecordSync = object({
  portal: object({ status: oneOf('active', 'needs_reauth', 'not_connected') }),
  link: nullable(object({ provider: str, providerLabel: str, vendorId: str, lastSyncedAt: nullable(num) })),
  conflict: nullable(object({ id: anything, candidates: arrayOf(object({ vendorId: str, name: str, email: optional(str) })) })),
  features: Features,
  connection: Connection,
});

export type DealInvoice = Infer<typeof DealInvoice>;

const liveJobStates = new Set(['queued', 'running', 'retrying']);
/** The invoice job is waiting or at work: the card polls until this is false. */
export function isJobLive(job: DealInvoice['job']): boolean {
  return job !== null && liveJobStates.has(job.state);
}
export type InvoiceView = Infer<typeof InvoiceView>;
export type InvoicePreview = Infer<typeof Preview>;
export type RecordSync = Infer<typeof RecordSync>;
export type RecordKind = 'contacts' | 'companies';

export function createCardApi(origin: string, lang: Lang) {
  const query = { locale: lang };
  return {
    /** `null` when the deal has no invoice run yet (404): the card then shows the preview. */
    async dealInvoice(dealId: string): Promise<DealInvoice | null> {
      try {
        return await requestJson(origin, { method: 'GET', path: `/api/v1/deals/${dealId}/invoice`, guard: DealInvoice, query });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404 && error.code === 'not_found') return null;
        throw error;
      }
    },
    invoicePreview: (dealId: string) => requestJson(origin, { method: 'GET', path: `/api/v1/deals/${dealId}/invoice/preview`, guard: Preview, query }),
    createInvoice: (dealId: string) => requestJson(origin, { method: 'POST', path: `/api/v1/deals/${dealId}/invoice`, guard: Accepted, body: {}, query }),
    cancelInvoice: (dealId: string) =>
      requestJson(origin, { method: 'POST', path: `/api/v1/deals/${dealId}/invoice/cancel`, guard: Accepted, body: {}, query }),
    retryInvoice: (dealId: string) => requestJson(origin, { method: 'POST', path: `/api/v1/deals/${dealId}/invoice/retry`, guard: Accepted, body: {}, query }),
    recordSync: (kind: RecordKind, id: string) => requestJson(origin, { method: 'GET', path: `/api/v1/${kind}/${id}/sync`, guard: RecordSync, query }),
    syncRecord: (kind: RecordKind, id: string) => requestJson(origin, { method: 'POST', path: `/api/v1/${kind}/${id}/sync`, guard: Accepted, body: {}, query }),
    /** The conflict list lives with the settings API; the card resolves one conflict the same way. */
    resolveConflict: (conflictId: string, vendorId: string | null) =>
      requestJson(origin, {
        method: 'POST',
        path: `/api/v1/settings/conflicts/${conflictId}/resolve`,
        guard: object({ resolved: anything }),
        body: vendorId ? { vendorId } : { create: true },
        query,
      }),
  };
}

export type CardApi = ReturnType<typeof createCardApi>;
