import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Nonces of OAuth states already used by a completed install (the state itself is signed and not
 * stored, hubspot/oauth-state.ts): single use until the state expires, pruned after that.
 */
export const oauthStates = sqliteTable('oauth_states', {
  state: text('state').primaryKey(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
