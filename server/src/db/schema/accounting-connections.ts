import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

/** The accounting system a portal connected, with its credentials sealed by SecretBox. */
export const accountingConnections = sqliteTable('accounting_connections', {
  portalId: text('portal_id')
    .primaryKey()
    .references(() => portals.portalId, { onDelete: 'cascade' }),
  /**
   * A vendor id of accounting/registry.ts. Plain text: db/ sits below accounting/ and names no vendor;
   * connections.ts checks the id on write (`ProviderIdSchema`) and on read. SQLite enforced no enum here
   * before either (drizzle's `text` enum is a TypeScript type only), so the column is unchanged.
   */
  provider: text('provider').notNull(),
  credentialsSealed: text('credentials_sealed').notNull(),
  accountName: text('account_name'),
  connectedAt: integer('connected_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
