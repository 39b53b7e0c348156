import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per installed HubSpot account (portal = hub id). */
export const portals = sqliteTable('portals', {
  portalId: text('portal_id').primaryKey(),
  hubDomain: text('hub_domain'),
  /**
   * `active`; `needs_reauth` after HubSpot refused a token refresh (jobs wait); `disconnected` after
   * the user disconnected it (tokens gone, its webhooks start no work) until it is installed again.
   */
  status: text('status', { enum: ['active', 'needs_reauth', 'disconnected'] }).notNull().default('active'),
  installedAt: integer('installed_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
