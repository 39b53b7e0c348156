/**
 * The invoice run for one deal. Exactly once: the per-deal record is claimed (`creating`, with our
 * reference) and committed before the vendor call; any later attempt that finds it `creating` looks
 * the document up by reference before it would create one. The job's dedupe key keeps concurrent
 * triggers (duplicate webhooks, "create now") to one run at a time; the claim itself is decided by
 * the database (the deal_invoices primary key, or a conditional update: `InvoiceRecords.claim`), so
 * two runs on any number of processes never both reach the vendor call.
 */
import type { Logger } from 'pino';
import type { AccountingConnections } from '../accounting/connections';
import { isProviderError } from '../accounting/errors';
import type { AccountingProvider, DocumentDraft, DocumentRef, DraftLine } from '../accounting/provider';
import type { Subscriptions } from '../billing/subscriptions';
import type { Db } from '../db/client';
import type { DefaultTaxRateLine } from '../db/schema';
import type { HubspotClients } from '../hubspot/client';
import type { PipelineCache, StageInfo } from '../hubspot/pipelines';
import { HubspotRuleRefused } from '../hubspot/required-rules';
import type { TaxRateCache } from '../hubspot/tax-rates';
import { JobError, JobWaitError } from '../lib/errors';
import type { KeyedLock } from '../lib/keyed-lock';
import type { AccountCurrencyCache } from '../hubspot/account-currency';
import { resolveCustomer } from './customer';
import { writeDealNotes } from './deal-timeline';
import { decideDraft, type TaxRateSource } from './draft';
import { eInvoicePreflight, eInvoiceRequest } from './einvoice';
import { checkAccountCurrency } from './account-currency-check';
import { checkMoney } from './money-check';
import { fitDraft, noticeParams } from './fit';
import { DealNotFound, gatherDeal } from './gather';
import type { InvoiceMessageCode } from './messages';
import { invoiceAfterQuotation, invoiceReference, type InvoiceRecord, type InvoiceRecords } from './records';
import { withDefaultTaxRate, type InvoiceSettings } from './settings';
import { documentTriggeredBy, triggerStageIds } from './triggers';
import { totalsDiffer } from './warnings';
import { writeBackDocument, writeOutcome } from './write-back';

/** A run that lost the claim to another tries again after this long (without using up an attempt). */
const claimRetryMs = 5_000;

export interface InvoicingDeps {
  db: Db;
  hubspot: HubspotClients;
  pipelines: PipelineCache;
  taxRates: TaxRateCache;
  /** The HubSpot account's company currency, for deals without one. */
  accountCurrency: AccountCurrencyCache;
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  /** The portal's invoice rules (settings/portal-settings.ts implements it; invoicing does not import the store). */
  settings: { get(portalId: string): Promise<{ invoice: InvoiceSettings }> };
  records: InvoiceRecords;
  log: Logger;
  now: () => number;
  /** Called when an invoice exists and can be watched for payment (enqueues the payment check). */
  schedulePaymentCheck: (portalId: string, dealId: string) => Promise<unknown>;
  /** Shared with the contact sync: one creator of a HubSpot record's accounting customer at a time. */
  customerLock: KeyedLock;
  /** Called once per new document with the time since the deal was won (metrics). */
  onInvoiced?: (latencyMs: number) => void;
}

/**
 * `quote_added`: a quote appeared on a deal that waited for one; like a stage change, only a deal at a trigger stage runs.
 * `manual` ("create now" on the card) and `workflow` (our workflow action) are explicit requests: they run at any stage.
 */
export type InvoiceTrigger = 'stage_change' | 'quote_added' | 'manual' | 'workflow';

/**
 * The deal left the stage its document came from. On a pipeline with the user's own trigger stages that
 * stage is named (the stages chosen for the document's kind; the one it came from is not stored), on
 * the default pipeline it is "won".
 */
async function leftTriggerReason(deps: InvoicingDeps, portalId: string, settings: InvoiceSettings, stage: StageInfo | undefined, existing: InvoiceRecord) {
  const number = existing.documentNumber ?? existing.documentId;
  const stageIds = stage ? triggerStageIds(settings, stage.pipelineId, existing.kind ?? 'invoice') : undefined;
  if (!stageIds?.length) return { reasonCode: 'left_won_after_invoice', reasonDetail: number };
  const labels = await Promise.all(stageIds.map(async (id) => (await deps.pipelines.stage(portalId, id))?.label ?? id));
  return { reasonCode: 'left_trigger_stage_after_invoice', reasonDetail: JSON.stringify({ detail: number, stage: labels.join(' / ') }) };
}

/**
 * @param requestedKind what an explicit request asked for (the workflow action's document type); else the
 *   trigger stage's kind or the settings' default.
 */
export async function processDeal(
  deps: InvoicingDeps,
  portalId: string,
  dealId: string,
  trigger: InvoiceTrigger,
  log: Logger,
  occurredAt?: number,
  requestedKind?: DocumentDraft['kind'],
): Promise<InvoiceRecord | undefined> {
  const explicit = trigger === 'manual' || trigger === 'workflow';
  const { records } = deps;
  let existing = await records.get(portalId, dealId);
  const deal = await gatherDeal(deps.hubspot, deps.taxRates, portalId, dealId).catch((error: unknown) => {
    if (error instanceof DealNotFound) throw new JobError('deal_not_found', error.message, { retryable: false });
    throw error;
  });
  const stage = deal.stageId ? await deps.pipelines.stage(portalId, deal.stageId) : undefined;
  const settings = (await deps.settings.get(portalId)).invoice;
  // The user's per-pipeline choice (default: every won stage), see triggers.ts.
  const triggered = documentTriggeredBy(settings, deal.stageId, stage);

  // A cancelled invoice stays cancelled; a triggered deal gets a new one, under a reference of its own.
  if (existing?.status === 'cancelled') {
    if (!triggered && !explicit) return existing;
    existing = await records.startAfterCancellation(portalId, dealId);
  }
  // An invoice after the deal's quotation ("create invoice" on the card, or an invoice stage reached) follows it.
  const followsQuotation =
    existing?.kind === 'quotation' && Boolean(existing.documentId) && ((explicit && requestedKind !== 'quotation') || triggered === 'invoice');
  if (existing?.documentId && !followsQuotation) {
    if (!triggered && trigger === 'stage_change') {
      return outcome(deps, await records.set(portalId, dealId, 'needs_attention', await leftTriggerReason(deps, portalId, settings, stage, existing)));
    }
    return finishDocument(deps, existing, log);
  }
  // Webhooks arrive out of order: the deal's stage now decides, not the event's value.
  if (!explicit && !triggered && existing?.status !== 'creating') return existing;

  const features = await deps.subscriptions.features(portalId);
  const reference = existing?.reference ?? invoiceReference(portalId, dealId);
  // A run resumed after a crash keeps the kind it claimed; "create now" outside a trigger stage makes the default kind.
  const kind = existing?.status === 'creating' && existing.kind ? existing.kind : (requestedKind ?? triggered ?? settings.documentType);
  const defaultCurrency = deal.currency ? undefined : await deps.accountCurrency.companyCurrency(portalId);
  const connection = await deps.connections.providerFor(portalId);
  // A line without a tax rate takes the portal's default, else the connected vendor's standard rate (bexio 8.1).
  const draftSettings = withDefaultTaxRate({ ...settings, documentType: kind }, connection?.provider.defaultTaxRatePercent);
  const decision = decideDraft({ deal, settings: draftSettings, features, reference, today: isoDate(deps.now()), defaultCurrency });
  if (decision.kind === 'skip') return skip(deps, portalId, dealId, decision.code, decision.params);
  // "Create invoice" on a deal that has its quotation: the invoice follows the quotation.
  if (followsQuotation || existing?.quotationId) decision.draft.kind = 'invoice';
  if (!connection) return skip(deps, portalId, dealId, 'no_accounting_connection');
  const { provider, id: providerId } = connection;
  if (decision.draft.kind === 'quotation' && !provider.capabilities.quotations) {
    return skip(deps, portalId, dealId, 'vendor_failed', { detail: 'quotations are not supported by this accounting system' });
  }

  const fitted = fitDraft(decision.draft, provider.fieldLimits.document);
  const unfit = fitted.notices.find((n) => n.blocking);
  if (unfit) return skip(deps, portalId, dealId, unfit.code, noticeParams(unfit));
  // Money is never changed silently: what the vendor would round, reject or change is refused here (money-check.ts).
  const money = checkMoney(fitted.draft, provider.moneyRules, (d) => provider.predictTotals(d));
  const refused = money.notices[0];
  if (refused) return skip(deps, portalId, dealId, refused.code, refused.params);
  // A currency the connected account has not set up is refused here, as in the preview (a resumed run looks its document up first).
  const noCurrency =
    existing?.status !== 'creating'
      ? await checkAccountCurrency(provider, money.draft.currency).catch(async (error: unknown) => {
          throw await classifyVendorFailure(deps, portalId, dealId, error);
        })
      : undefined;
  if (noCurrency) return skip(deps, portalId, dealId, noCurrency.code, noCurrency.params);
  // E-invoice pre-flight: what the vendor would refuse is named on the deal before anything is sent.
  const eInvoice = eInvoiceRequest(deal, settings);
  // A run resuming `creating` may already have made the document: it is looked up below, never skipped here.
  const preflight =
    eInvoice && existing?.status !== 'creating'
      ? await eInvoicePreflight(provider, deal, eInvoice).catch(async (error: unknown) => {
          throw await classifyVendorFailure(deps, portalId, dealId, error);
        })
      : [];
  const missing = preflight.find((n) => n.blocking);
  if (missing) return skip(deps, portalId, dealId, missing.code, missing.params);
  const draft = eInvoice && provider.capabilities.eInvoice === 'api' ? { ...money.draft, eInvoice } : money.draft;
  const predicted = provider.predictTotals(draft);

  const customer = await resolveCustomer(deps.customerLock, {
    db: deps.db,
    portalId,
    providerId,
    provider,
    source: decision.customerSource,
    customer: decision.customer,
    now: deps.now(),
  }).catch(async (error: unknown) => {
    throw await classifyVendorFailure(deps, portalId, dealId, error);
  });
  if (customer.kind === 'ambiguous') {
    return outcome(
      deps,
      await records.set(portalId, dealId, 'needs_attention', { reasonCode: 'ambiguous_customer', reasonDetail: customer.name, provider: providerId }),
    );
  }
  if (customer.kind === 'unfit') return skip(deps, portalId, dealId, customer.notice.code, noticeParams(customer.notice));

  const wasCreating = existing?.status === 'creating';
  // The claim: the database lets one run through (records.ts); a run that lost it tries again once the other is done.
  const claimed = await records.claim(portalId, dealId, existing, {
    ...(followsQuotation && existing ? invoiceAfterQuotation(existing) : {}),
    provider: providerId,
    kind: draft.kind,
    customerId: customer.customerId,
    predictedNet: predicted.net,
    predictedTax: predicted.tax,
    predictedGross: predicted.gross,
    defaultTaxRateLines: defaultRateLines(draft.lines, decision.taxRateSources),
    eInvoiceXml: 'eInvoice' in draft && draft.eInvoice ? (provider.eInvoicing?.hasSeparateXml(draft.eInvoice) ?? false) : null,
  });
  if (!claimed) throw new JobWaitError('invoice_claimed', "another run is creating this deal's document", claimRetryMs);
  const fromQuotationId = claimed.quotationId && provider.capabilities.invoiceFromQuotation ? claimed.quotationId : undefined;
  let doc: DocumentRef | null = null;
  if (wasCreating) doc = await provider.findDocumentByReference(claimed.reference, decision.draft.kind, { customerId: customer.customerId });
  if (doc) log.info({ documentId: doc.id }, 'document from an earlier attempt found by reference');
  if (!doc) {
    try {
      doc = await provider.createDocument({ ...draft, customerId: customer.customerId, fromQuotationId });
    } catch (error) {
      throw await classifyVendorFailure(deps, portalId, dealId, error);
    }
    log.info({ documentId: doc.id, provider: providerId }, 'document created');
  }
  const record = await records.documentCreated(portalId, dealId, doc);
  if (totalsDiffer(record)) log.warn({ documentId: doc.id, predicted, actual: doc.totals }, 'vendor totals differ from the prediction');
  const finished = await finishDocument(deps, record, log, provider, doc);
  if (occurredAt) deps.onInvoiced?.(deps.now() - occurredAt);
  return finished;
}

/** Finalize, e-mail, write back and watch for payment: each step idempotent, recorded as it completes. */
async function finishDocument(
  deps: InvoicingDeps,
  record: InvoiceRecord,
  log: Logger,
  known?: AccountingProvider,
  /** The document as this run created or found it just now (finalizing then skips reading it again). */
  fresh?: DocumentRef,
): Promise<InvoiceRecord> {
  const { records } = deps;
  const { portalId, dealId } = record;
  const provider = known ?? (await deps.connections.providerFor(portalId))?.provider;
  if (!provider || !record.documentId || !record.kind) return record;
  const settings = (await deps.settings.get(portalId)).invoice;
  const features = await deps.subscriptions.features(portalId);
  try {
    if (settings.finalize && !record.finalizedAt && provider.capabilities.separateFinalize) {
      const doc = await provider.finalizeDocument(record.documentId, record.kind, fresh);
      record = await records.documentCreated(portalId, dealId, doc, { status: record.status });
    }
    if (record.kind === 'invoice' && settings.sendEmail && provider.capabilities.emailDelivery && record.finalizedAt && !record.emailAttemptedAt) {
      record = await sendEmail(deps, record, provider, log);
    }
  } catch (error) {
    throw await classifyVendorFailure(deps, portalId, dealId, error);
  }
  if (features.writeBack && !record.writtenBackAt) {
    await writeBackDocument(deps.hubspot, record).catch(async (error: unknown) => {
      // The document exists; only the deal refused our data. The card says what the admin must change, the job retries.
      if (error instanceof HubspotRuleRefused) {
        const detail = { properties: error.refusal.properties.join(', '), because: error.refusal.because.join(', ') };
        await records.patch(portalId, dealId, { reasonCode: 'hubspot_required_property', reasonDetail: JSON.stringify(detail), retryable: true });
      }
      throw error;
    });
    await records.patch(portalId, dealId, { writtenBackAt: deps.now() });
    record = (await records.get(portalId, dealId))!;
  }
  await writeDealNotes(deps, record);
  if (record.kind === 'invoice' && provider.capabilities.paymentStatus && !record.paidDate) await deps.schedulePaymentCheck(portalId, dealId);
  return record;
}

async function sendEmail(deps: InvoicingDeps, record: InvoiceRecord, provider: AccountingProvider, log: Logger): Promise<InvoiceRecord> {
  const customer = record.customerId ? await provider.getCustomer(record.customerId) : null;
  if (!customer?.email) return record;
  // At most once: marked before the call, so a crash mid-send never sends a second e-mail.
  await deps.records.patch(record.portalId, record.dealId, { emailAttemptedAt: deps.now() });
  try {
    await provider.sendByEmail(record.documentId!, 'invoice', {
      to: customer.email,
      subject: `Rechnung ${record.documentNumber ?? ''}`.trim(),
      message: 'Anbei erhalten Sie Ihre Rechnung. / Please find your invoice attached.',
    });
  } catch (error) {
    log.warn({ err: error }, 'invoice e-mail not confirmed');
    return deps.records.set(record.portalId, record.dealId, 'created', { reasonCode: 'email_not_sent' });
  }
  return deps.records.set(record.portalId, record.dealId, 'sent', { emailSentAt: deps.now() });
}

async function skip(
  deps: InvoicingDeps,
  portalId: string,
  dealId: string,
  code: InvoiceMessageCode,
  params?: Record<string, string | number>,
): Promise<InvoiceRecord> {
  return outcome(deps, await deps.records.set(portalId, dealId, 'skipped', { reasonCode: code, reasonDetail: params ? JSON.stringify(params) : null }));
}

/** Every outcome is written to the deal (status and reason), so HubSpot lists, reports and workflows see it. */
async function outcome(deps: InvoicingDeps, record: InvoiceRecord): Promise<InvoiceRecord> {
  await writeOutcome(deps.hubspot, record, (await deps.settings.get(record.portalId)).invoice.language);
  return record;
}

/** Records a vendor failure on the deal and returns the error the job should throw. */
async function classifyVendorFailure(deps: InvoicingDeps, portalId: string, dealId: string, error: unknown): Promise<unknown> {
  if (!isProviderError(error)) return error;
  const current = await deps.records.get(portalId, dealId);
  const keep = current?.status === 'creating' ? 'creating' : (current?.status ?? 'failed');
  if (error.retryable) {
    // The vendor may have committed: stay `creating`, so the retry looks the document up first.
    await deps.records.patch(portalId, dealId, { reasonCode: 'vendor_unavailable', reasonDetail: error.message, retryable: true });
    await outcomeBestEffort(deps, portalId, dealId);
    return error;
  }
  await deps.records.set(portalId, dealId, keep === 'creating' ? 'failed' : keep, {
    reasonCode: 'vendor_failed',
    reasonDetail: error.message,
    retryable: false,
  });
  await outcomeBestEffort(deps, portalId, dealId);
  return new JobError('vendor_failed', error.message, { retryable: false, cause: error });
}

/**
 * A run that ends in a failure writes its outcome too; where HubSpot itself is what fails, the
 * original error still decides the job's fate and the card shows the reason from our record.
 */
async function outcomeBestEffort(deps: InvoicingDeps, portalId: string, dealId: string): Promise<void> {
  const record = await deps.records.get(portalId, dealId);
  if (!record) return;
  await outcome(deps, record).catch((error: unknown) => deps.log.warn({ err: error, dealId }, 'invoice outcome not written to the deal'));
}

/** The invoice job is dead (attempts used up, or an error that cannot be retried): the deal says so. */
export async function recordDeadRun(deps: InvoicingDeps, portalId: string, dealId: string, error: { code: string; message: string }): Promise<void> {
  const current = await deps.records.get(portalId, dealId);
  if (current?.status === 'failed' || current?.status === 'skipped' || current?.status === 'needs_attention') return;
  const status = current?.documentId ? current.status : 'failed';
  await deps.records.set(portalId, dealId, status, { reasonCode: 'job_failed', reasonDetail: error.message, retryable: true });
  await outcomeBestEffort(deps, portalId, dealId);
}

function defaultRateLines(lines: DraftLine[], sources: TaxRateSource[]): DefaultTaxRateLine[] {
  return lines.flatMap((line, index) => (sources[index] === 'default' ? [{ line: index + 1, name: line.name, ratePercent: line.taxRatePercent }] : []));
}

export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
