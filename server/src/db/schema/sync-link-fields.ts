import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Per linked pair, per side, the per-field hashes of what that side held after our last sync: the
 * base of the three-way merge (sync/merge.ts). Hashes only, no customer data.
 */
export const syncLinkFields = sqliteTable(
  'sync_link_fields',
  {
    portalId: text('portal_id').notNull(),
    objectType: text('object_type', { enum: ['contact', 'company'] }).notNull(),
    hubspotId: text('hubspot_id').notNull(),
    hubspotFields: text('hubspot_fields', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    vendorFields: text('vendor_fields', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.objectType, t.hubspotId] })],
);
