/**
 * Our custom workflow action "create invoice / quote" (hubspot-project/app/workflow-actions/). HubSpot
 * calls the action URL once per enrolled deal; we answer at once when the deal already has its document,
 * and otherwise enqueue the same invoice job as the stage trigger (same dedupe key, so the same
 * exactly-once claim) and answer `BLOCK`: HubSpot then holds the execution until we complete it through
 * the callbacks API when the job is done. HubSpot recommends this for work that outlasts the request
 * ("Asynchronous custom action execution",
 * https://developers.hubspot.com/docs/api-reference/latest/automation/workflow-actions/custom-action-reference):
 * an invoice run calls HubSpot and the accounting system several times and may wait out a vendor outage.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { DocumentDraft } from '../accounting/provider';
import type { DbOrTx } from '../db/client';
import { workflowExecutions } from '../db/schema';
import { formatMessage } from './messages';
import type { InvoiceRecord } from './records';
import { reasonParams } from './write-back';

export type WorkflowDocumentType = 'invoice' | 'quote';
export type WorkflowExecution = typeof workflowExecutions.$inferSelect;
export type WorkflowOutputs = Record<string, string>;

/**
 * How long HubSpot keeps a blocked execution waiting for our callback (`hs_expiration_duration`, ISO 8601;
 * HubSpot's default is one week, custom-action-reference above). A day outlasts the invoice job's 20
 * attempts with backoff capped at 5 minutes several times over.
 */
export const blockDuration = { iso: 'P1D', ms: 24 * 3_600_000 } as const;

export function documentKindOf(type: WorkflowDocumentType): DocumentDraft['kind'] {
  return type === 'quote' ? 'quotation' : 'invoice';
}

const finished = new Set<InvoiceRecord['status']>(['created', 'sent', 'paid']);

/**
 * The deal's record already answers the request: its document exists and is not being replaced. An
 * invoice asked for on a deal that has only its quotation still runs (the invoice follows the quotation).
 */
export function answersRequest(record: InvoiceRecord | undefined, type: WorkflowDocumentType): record is InvoiceRecord {
  if (!record?.documentId || !finished.has(record.status)) return false;
  return !(type === 'invoice' && record.kind === 'quotation');
}

/**
 * The output fields HubSpot shows and hands to later workflow steps: `SUCCESS` with the document's
 * number and status, or `FAIL_CONTINUE` with the reason in the portal's language (the workflow goes on,
 * and a branch can act on `document_status`).
 */
export function outputsFor(record: InvoiceRecord | undefined, language: 'de' | 'en'): WorkflowOutputs {
  if (record?.documentId && finished.has(record.status)) {
    return { hs_execution_state: 'SUCCESS', document_number: record.documentNumber ?? '', document_status: record.status, failure_reason: '' };
  }
  const status = record?.status === 'skipped' || record?.status === 'needs_attention' || record?.status === 'cancelled' ? record.status : 'failed';
  const reason = record?.reasonCode ? formatMessage(record.reasonCode, language, reasonParams(record.reasonDetail)) : failureText(language);
  return { hs_execution_state: 'FAIL_CONTINUE', document_number: '', document_status: status, failure_reason: reason };
}

/** An answer that is not about a deal's document (wrong object, no connection, bad input). */
export function refusal(reason: { de: string; en: string }, language: 'de' | 'en'): WorkflowOutputs {
  return { hs_execution_state: 'FAIL_CONTINUE', document_number: '', document_status: 'failed', failure_reason: reason[language] };
}

function failureText(language: 'de' | 'en'): string {
  return language === 'de' ? 'Es wurde kein Dokument erstellt.' : 'No document was created.';
}

/** Executions HubSpot holds blocked for us; every function takes `portalId` first. */
export class WorkflowExecutions {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores a blocked execution; a second delivery of the same `callbackId` changes nothing. */
  async register(portalId: string, callbackId: string, dealId: string, documentType: WorkflowDocumentType, tx: DbOrTx = this.db): Promise<void> {
    const now = this.now();
    await tx
      .insert(workflowExecutions)
      .values({ portalId, callbackId, dealId, documentType, receivedAt: now, expiresAt: now + blockDuration.ms })
      .onConflictDoNothing();
  }

  /** The deal's executions still waiting for our answer, oldest first. */
  async pending(portalId: string, dealId: string): Promise<WorkflowExecution[]> {
    return this.db
      .select()
      .from(workflowExecutions)
      .where(and(eq(workflowExecutions.portalId, portalId), eq(workflowExecutions.dealId, dealId), isNull(workflowExecutions.completedAt)))
      .orderBy(workflowExecutions.receivedAt, workflowExecutions.callbackId);
  }

  async get(portalId: string, callbackId: string): Promise<WorkflowExecution | undefined> {
    const [row] = await this.db
      .select()
      .from(workflowExecutions)
      .where(and(eq(workflowExecutions.portalId, portalId), eq(workflowExecutions.callbackId, callbackId)))
      .limit(1);
    return row;
  }

  async completed(portalId: string, callbackId: string, executionState: string): Promise<void> {
    await this.db
      .update(workflowExecutions)
      .set({ completedAt: this.now(), executionState })
      .where(and(eq(workflowExecutions.portalId, portalId), eq(workflowExecutions.callbackId, callbackId)));
  }
}
