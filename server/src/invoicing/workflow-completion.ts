/**
 * Answers the workflow executions HubSpot holds blocked for a deal, once the deal's invoice job has an
 * outcome (hubspot/workflow-callbacks.ts). Each execution is completed once: marked after HubSpot took
 * the answer, so the job's next run (retry or rerun) skips it.
 */
import type { Logger } from 'pino';
import type { HubspotClients } from '../hubspot/client';
import { HubspotError } from '../hubspot/client';
import { completeWorkflowCallback } from '../hubspot/workflow-callbacks';
import type { InvoiceRecord } from './records';
import { outputsFor, type WorkflowExecutions } from './workflow-action';

export interface CompletionDeps {
  hubspot: HubspotClients;
  executions: WorkflowExecutions;
  now: () => number;
  log: Logger;
}

export async function completeExecutions(
  deps: CompletionDeps,
  portalId: string,
  dealId: string,
  record: InvoiceRecord | undefined,
  language: 'de' | 'en',
): Promise<number> {
  let completed = 0;
  for (const execution of await deps.executions.pending(portalId, dealId)) {
    // HubSpot has given up on it (our `hs_expiration_duration` passed) and moved the workflow on.
    if (execution.expiresAt <= deps.now()) {
      await deps.executions.completed(portalId, execution.callbackId, 'EXPIRED');
      continue;
    }
    const outputs = outputsFor(record, language);
    try {
      await completeWorkflowCallback(deps.hubspot, portalId, execution.callbackId, outputs);
    } catch (error) {
      // A refusal that no retry changes (an install from before the `automation` scope, an execution HubSpot
      // no longer knows): logged, and not asked again; 429 and 5xx fail the job, which retries.
      if (!(error instanceof HubspotError) || error.retryable) throw error;
      deps.log.warn({ dealId, callbackId: execution.callbackId, status: error.status }, 'workflow execution not completed: HubSpot refused');
      await deps.executions.completed(portalId, execution.callbackId, `REFUSED_${error.status}`);
      continue;
    }
    await deps.executions.completed(portalId, execution.callbackId, outputs.hs_execution_state);
    deps.log.info({ dealId, callbackId: execution.callbackId, state: outputs.hs_execution_state }, 'workflow execution completed');
    completed++;
  }
  return completed;
}
