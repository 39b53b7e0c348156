import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

/** Per-portal rules (invoice and sync), validated with zod on every write and read. */
export const portalSettings = sqliteTable('portal_settings', {
  portalId: text('portal_id')
    .primaryKey()
    .references(() => portals.portalId, { onDelete: 'cascade' }),
  invoice: text('invoice', { mode: 'json' }).notNull(),
  sync: text('sync', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});
