import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * What the sync could not decide alone and shows the user: `ambiguous` (several candidates, never
 * guessed), `deletion_unsupported` (the vendor cannot delete; the link was dropped), `mass_delete`
 * (a cycle would delete too many records and waits for confirmation).
 */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    portalId: text('portal_id').notNull(),
    kind: text('kind', { enum: ['ambiguous', 'deletion_unsupported', 'mass_delete'] }).notNull(),
    objectType: text('object_type', { enum: ['contact', 'company'] }).notNull(),
    hubspotId: text('hubspot_id').notNull(),
    name: text('name').notNull(),
    /** Vendor candidates: `[{ vendorId, name, email? }]`; for notices, details. */
    candidates: text('candidates', { mode: 'json' }).$type<Array<{ vendorId: string; name: string; email?: string }>>().notNull(),
    state: text('state', { enum: ['open', 'resolved'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [uniqueIndex('sync_conflicts_object').on(t.portalId, t.kind, t.objectType, t.hubspotId), index('sync_conflicts_open').on(t.portalId, t.state)],
);
