import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Poll state per portal: when the vendor was last polled and the change-feed cursor. */
export const syncPortalState = sqliteTable('sync_portal_state', {
  portalId: text('portal_id').primaryKey(),
  /** Start of the last successful poll, epoch ms: the next change-feed query asks for changes since then. */
  cursorMs: integer('cursor_ms'),
  lastPollAt: integer('last_poll_at'),
  updatedAt: integer('updated_at').notNull(),
});
