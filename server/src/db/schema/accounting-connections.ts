import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

/** The accounting system a portal connected, with its credentials sealed by SecretBox. */
export const accountingConnections = sqliteTable('accounting_connections', {
  portalId: text('portal_id')
    .primaryKey()
    .references(() => portals.portalId, { onDelete: 'cascade' }),
  provider: text('provider', { enum: ['lexoffice', 'sevdesk', 'bexio', 'qonto'] }).notNull(),
  credentialsSealed: text('credentials_sealed').notNull(),
  accountName: text('account_name'),
  connectedAt: integer('connected_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
