import { z } from 'zod';
import type { WebhookRoute } from '../../hubspot/webhook-routes';
import { checkPayment } from '../../invoicing/payment-check';
import { processDeal, recordDeadRun, type InvoicingDeps } from '../../invoicing/process-deal';
import { defineJob } from '../define';
import type { JobQueue } from '../queue';

const DealRef = z.object({ portalId: z.string().regex(/^\d+$/), dealId: z.string().regex(/^\d+$/) });

/** Invoice jobs: one live `invoice.process` per deal (dedupe key), and one payment watch per deal. */
export function invoiceJobs(deps: InvoicingDeps, options: { paymentPollInitialMs: number }) {
  const process = defineJob({
    name: 'invoice.process',
    /** `occurredAt`: when the deal entered the stage (webhook event time), for the latency metric. */
    payload: DealRef.extend({ trigger: z.enum(['stage_change', 'manual']), occurredAt: z.number().int().optional() }),
    key: (p) => `invoice:${p.portalId}:${p.dealId}`,
    portalId: (p) => p.portalId,
    // With the backoff capped at 5 minutes this rides out a vendor outage of about an hour; a dead
    // run stays visible with its error and can be retried from the card or the activity log.
    maxAttempts: 20,
    async run(p, ctx) {
      await processDeal(deps, p.portalId, p.dealId, p.trigger, ctx.log, p.occurredAt);
    },
    async onDead(p, error) {
      await recordDeadRun(deps, p.portalId, p.dealId, error);
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
  return { process, paymentCheck };
}

/** Deal stage changes (any pipeline) start the invoice run; whether the stage is won is decided there. */
export function dealStageRoute(process: ReturnType<typeof invoiceJobs>['process']): WebhookRoute {
  return {
    name: 'invoice.deal-stage',
    matches: (e) =>
      (e.subscriptionType === 'deal.propertyChange' || (e.subscriptionType === 'object.propertyChange' && e.objectTypeId === '0-3')) &&
      e.propertyName === 'dealstage' &&
      Boolean(e.objectId),
    enqueue: (e, queue: JobQueue, tx) => queue.enqueue(process, { portalId: e.portalId, dealId: e.objectId!, trigger: 'stage_change' as const, occurredAt: e.occurredAt }, { tx }),
  };
}
