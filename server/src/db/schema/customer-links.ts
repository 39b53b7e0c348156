import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * A HubSpot contact or company linked to a customer in the accounting system, with a hash per side
 * of the content we last synced (a change equal to it is our own echo).
 */
export const customerLinks = sqliteTable(
  'customer_links',
  {
    portalId: text('portal_id').notNull(),
    objectType: text('object_type', { enum: ['contact', 'company'] }).notNull(),
    hubspotId: text('hubspot_id').notNull(),
    provider: text('provider').notNull(),
    vendorId: text('vendor_id').notNull(),
    vendorVersion: integer('vendor_version'),
    hubspotHash: text('hubspot_hash'),
    vendorHash: text('vendor_hash'),
    lastSyncedAt: integer('last_synced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.objectType, t.hubspotId] }), index('customer_links_vendor').on(t.portalId, t.provider, t.vendorId)],
);
