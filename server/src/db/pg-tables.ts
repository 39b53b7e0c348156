/**
 * The PostgreSQL tables for drizzle-kit (`drizzle.pg.config.ts`), derived from `schema/` by
 * `pg-schema.ts`. drizzle-kit reads named exports, so each table is named here once;
 * `npm run db:check` fails when a table of `schema/` is missing from this list.
 */
import { derivePgSchema } from './pg-schema';

const tables = derivePgSchema();

export const {
  accountingConnections,
  hubspotTokens,
  jobs,
  oauthStates,
  portals,
  webhookEvents,
  customerLinks,
  dealInvoices,
  packageSubscriptions,
  portalSettings,
  syncConflicts,
  syncLinkFields,
  syncPortalState,
  syncRuns,
  syncDeletions,
  billingCustomers,
  billingEvents,
  reconcileState,
  syncKeptRecords,
  workflowExecutions,
  dealTimelineNotes,
  syncOtherWriters,
  rateLimitSlots,
} = tables;

/** How many tables `schema/` has (the drift check compares it with the exports above). */
export const derivedTableCount = Object.keys(tables).length;
