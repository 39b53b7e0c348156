import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

/** OAuth tokens per portal, sealed with SecretBox (never plaintext). */
export const hubspotTokens = sqliteTable('hubspot_tokens', {
  portalId: text('portal_id')
    .primaryKey()
    .references(() => portals.portalId, { onDelete: 'cascade' }),
  accessTokenSealed: text('access_token_sealed').notNull(),
  refreshTokenSealed: text('refresh_token_sealed').notNull(),
  /** Epoch ms when the access token stops working. */
  expiresAt: integer('expires_at').notNull(),
  scopes: text('scopes').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
