import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Deletions seen on one side, waiting to be applied to the other: applied together per cycle so the
 * mass-delete guard sees the whole cycle; `held` ones wait for the user's confirmation.
 */
export const syncDeletions = sqliteTable(
  'sync_deletions',
  {
    portalId: text('portal_id').notNull(),
    /** Where the record was deleted. */
    side: text('side', { enum: ['hubspot', 'accounting'] }).notNull(),
    objectType: text('object_type', { enum: ['contact', 'company'] }).notNull(),
    hubspotId: text('hubspot_id').notNull(),
    vendorId: text('vendor_id').notNull(),
    state: text('state', { enum: ['pending', 'held'] }).notNull(),
    detectedAt: integer('detected_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.objectType, t.hubspotId] })],
);
