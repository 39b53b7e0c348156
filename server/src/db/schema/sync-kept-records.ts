import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Accounting customers kept after their HubSpot record was deleted (issue 19): the deletion rule
 * said "ignore", the vendor cannot delete (lexoffice), or the user dismissed a held mass deletion.
 * The link is gone, and this row keeps the sync from importing the customer into HubSpot again; the
 * settings page lists them. Linking the customer again (a new HubSpot record matched to it) removes it.
 */
export const syncKeptRecords = sqliteTable(
  'sync_kept_records',
  {
    portalId: text('portal_id').notNull(),
    provider: text('provider').notNull(),
    vendorId: text('vendor_id').notNull(),
    objectType: text('object_type', { enum: ['contact', 'company'] }).notNull(),
    /** The deleted HubSpot record it was linked to. */
    hubspotId: text('hubspot_id').notNull(),
    /** Display name when it was kept. */
    name: text('name').notNull(),
    keptAt: integer('kept_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.provider, t.vendorId] })],
);
