import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The notes we wrote on a deal's timeline, one per document and event (created, sent, paid). The row
 * is claimed (`writing`) before the HubSpot call and marked `written` with the note's id after it, so
 * a job that runs again writes no second note.
 */
export const dealTimelineNotes = sqliteTable(
  'deal_timeline_notes',
  {
    portalId: text('portal_id').notNull(),
    dealId: text('deal_id').notNull(),
    /** The accounting document the note is about (a deal's next document after a cancellation gets its own notes). */
    documentId: text('document_id').notNull(),
    event: text('event', { enum: ['created', 'sent', 'paid'] }).notNull(),
    state: text('state', { enum: ['writing', 'written'] }).notNull(),
    noteId: text('note_id'),
    claimedAt: integer('claimed_at').notNull(),
    writtenAt: integer('written_at'),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.dealId, t.documentId, t.event] })],
);
