import { z } from 'zod';
import type { WebhookRoute } from '../webhook-routes';
import { cancelDealInvoice } from '../../invoicing/cancel';
import { checkPayment } from '../../invoicing/payment-check';
import { processDeal, recordDeadRun, type InvoicingDeps } from '../../invoicing/process-deal';
import { dealsAwaitingQuote } from '../../invoicing/quotes';
import { documentKindOf, type WorkflowExecutions } from '../../invoicing/workflow-action';
import { completeExecutions } from '../../invoicing/workflow-completion';
import { defineJob } from '../define';
import type { JobQueue } from '../queue';

const DealRef = z.object({ portalId: z.string().regex(/^\d+$/), dealId: z.string().regex(/^\d+$/) });

/** The dedupe key of a deal's invoice run and cancel: one live job per deal (the card asks the queue by it). */
export const invoiceDealKey = (p: { portalId: string; dealId: string }) => `invoice:${p.portalId}:${p.dealId}`;

/** Invoice jobs: one live `invoice.process` per deal (dedupe key), and one payment watch per deal. */
export function invoiceJobs(deps: InvoicingDeps, queue: JobQueue, options: { paymentPollInitialMs: number; workflowExecutions: WorkflowExecutions }) {
  const executions = options.workflowExecutions;
  const completion = { hubspot: deps.hubspot, executions, now: deps.now, log: deps.log };
  const language = async (portalId: string) => (await deps.settings.get(portalId)).invoice.language;
  const process = defineJob({
    name: 'invoice.process',
    /**
     * `occurredAt`: when the deal entered the stage (webhook event time), for the latency metric.
     * `workflow` runs are asked for by our workflow action; what it asked for is read from its stored
     * executions, so a run enqueued by another trigger while the action waits (same key) serves it too.
     */
    payload: DealRef.extend({ trigger: z.enum(['stage_change', 'quote_added', 'manual', 'workflow']), occurredAt: z.number().int().optional() }),
    key: invoiceDealKey,
    portalId: (p) => p.portalId,
    // With the backoff capped at 5 minutes this rides out a vendor outage of about an hour; a dead
    // run stays visible with its error and can be retried from the card or the activity log.
    maxAttempts: 20,
    async run(p, ctx) {
      const [waiting] = await executions.pending(p.portalId, p.dealId);
      const record = waiting
        ? await processDeal(deps, p.portalId, p.dealId, 'workflow', ctx.log, p.occurredAt, documentKindOf(waiting.documentType))
        : await processDeal(deps, p.portalId, p.dealId, p.trigger, ctx.log, p.occurredAt);
      if (waiting) await completeExecutions(completion, p.portalId, p.dealId, record, await language(p.portalId));
    },
    async onDead(p, error) {
      await recordDeadRun(deps, p.portalId, p.dealId, error);
      const completeAll = async () =>
        completeExecutions(completion, p.portalId, p.dealId, await deps.records.get(p.portalId, p.dealId), await language(p.portalId));
      await completeAll().catch((failure: unknown) =>
        deps.log.warn({ err: failure, dealId: p.dealId }, 'workflow executions of a dead invoice run not completed'),
      );
    },
  });
  /**
   * Cancels the deal's invoice at the vendor (asked for from the card). Same key as `invoice.process`:
   * one live job per deal, so a cancel never runs beside an invoice run, and asking twice runs it once.
   */
  const cancel = defineJob({
    name: 'invoice.cancel',
    payload: DealRef,
    key: invoiceDealKey,
    portalId: (p) => p.portalId,
    maxAttempts: 20,
    async run(p, ctx) {
      await cancelDealInvoice(deps, p.portalId, p.dealId, ctx.log);
    },
  });
  const paymentCheck = defineJob({
    name: 'invoice.payment-check',
    payload: DealRef,
    key: (p) => `payment:${p.portalId}:${p.dealId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 20,
    async run(p, ctx) {
      await checkPayment(deps, p.portalId, p.dealId, options.paymentPollInitialMs, ctx.log);
    },
  });
  /** A quote appeared or changed: deals it belongs to that were skipped for "no quote" are run again. */
  const quoteChanged = defineJob({
    name: 'invoice.quote-changed',
    payload: z.object({ portalId: z.string().regex(/^\d+$/), quoteId: z.string().regex(/^\d+$/) }),
    portalId: (p) => p.portalId,
    maxAttempts: 10,
    async run(p, ctx) {
      const dealIds = await dealsAwaitingQuote(deps, p.portalId, p.quoteId);
      for (const dealId of dealIds) await queue.enqueue(process, { portalId: p.portalId, dealId, trigger: 'quote_added' });
      if (dealIds.length) ctx.log.info({ quoteId: p.quoteId, deals: dealIds.length }, 'deals waiting for a quote run again');
    },
  });
  return { process, cancel, paymentCheck, quoteChanged };
}

/** HubSpot's object type id of quotes (generic `object.*` events carry it). */
const quoteObjectTypeId = '0-14';

/** Quote created or its status changed: re-evaluates deals skipped for the "quote exists" condition. */
export function quoteRoute(quoteChanged: ReturnType<typeof invoiceJobs>['quoteChanged']): WebhookRoute {
  return {
    name: 'invoice.quote',
    matches: (e) =>
      (e.subscriptionType === 'object.creation' || e.subscriptionType === 'object.propertyChange') &&
      e.objectTypeId === quoteObjectTypeId &&
      Boolean(e.objectId),
    enqueue: (e, queue, tx) => queue.enqueue(quoteChanged, { portalId: e.portalId, quoteId: e.objectId! }, { tx }),
  };
}

/** Deal stage changes (any pipeline) start the invoice run; whether the stage is won is decided there. */
export function dealStageRoute(process: ReturnType<typeof invoiceJobs>['process']): WebhookRoute {
  return {
    name: 'invoice.deal-stage',
    matches: (e) =>
      (e.subscriptionType === 'deal.propertyChange' || (e.subscriptionType === 'object.propertyChange' && e.objectTypeId === '0-3')) &&
      e.propertyName === 'dealstage' &&
      Boolean(e.objectId),
    enqueue: (e, queue, tx) =>
      queue.enqueue(process, { portalId: e.portalId, dealId: e.objectId!, trigger: 'stage_change' as const, occurredAt: e.occurredAt }, { tx }),
  };
}
