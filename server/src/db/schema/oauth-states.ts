import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** CSRF `state` values handed to HubSpot's authorize page; single use, short-lived. */
export const oauthStates = sqliteTable('oauth_states', {
  state: text('state').primaryKey(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
