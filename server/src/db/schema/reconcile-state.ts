import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Per portal: the reconciliation sweep's window and what it found that webhooks had not brought. */
export const reconcileState = sqliteTable('reconcile_state', {
  portalId: text('portal_id').primaryKey(),
  /** Start of the last completed sweep, epoch ms: the next one asks HubSpot for changes since then. */
  sweptAt: integer('swept_at').notNull(),
  /** Deals and contacts/companies the last sweep enqueued because no webhook had brought them. */
  missedDeals: integer('missed_deals').notNull().default(0),
  missedRecords: integer('missed_records').notNull().default(0),
  updatedAt: integer('updated_at').notNull(),
});
