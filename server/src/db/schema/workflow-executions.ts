import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Executions of our workflow action ("create invoice / quote") that HubSpot holds blocked until we
 * complete them through `/automation/v4/actions/callbacks/{callbackId}/complete`. One row per
 * `callbackId` (HubSpot may deliver the same execution again); `completed_at` is set once HubSpot took
 * our answer, so a job that runs again never completes an execution twice.
 */
export const workflowExecutions = sqliteTable(
  'workflow_executions',
  {
    portalId: text('portal_id').notNull(),
    callbackId: text('callback_id').notNull(),
    dealId: text('deal_id').notNull(),
    /** What the workflow asked for. */
    documentType: text('document_type', { enum: ['invoice', 'quote'] }).notNull(),
    receivedAt: integer('received_at').notNull(),
    /** The blocked execution expires at HubSpot after this moment (our `hs_expiration_duration`). */
    expiresAt: integer('expires_at').notNull(),
    completedAt: integer('completed_at'),
    /** `SUCCESS` or `FAIL_CONTINUE`, as sent in `hs_execution_state`. */
    executionState: text('execution_state'),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.callbackId] }), index('workflow_executions_portal_deal').on(t.portalId, t.dealId)],
);
