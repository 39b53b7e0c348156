import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** One row per installed HubSpot account (portal = hub id). */
export const portals = sqliteTable('portals', {
  portalId: text('portal_id').primaryKey(),
  hubDomain: text('hub_domain'),
  /**
   * `active`; `needs_reauth` after HubSpot refused a token refresh (jobs wait); `disconnected` after
   * the user disconnected it (tokens gone, its webhooks start no work) until it is installed again.
   */
  status: text('status', { enum: ['active', 'needs_reauth', 'disconnected'] })
    .notNull()
    .default('active'),
  /**
   * The secret vendors that sign with a shared secret (Qonto) were given when we subscribed, sealed.
   * Stored rather than derived from the current encryption key, so a key rotation does not break them.
   */
  vendorEventsSecretSealed: text('vendor_events_secret_sealed'),
  installedAt: integer('installed_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
