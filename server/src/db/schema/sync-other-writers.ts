import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Changes another app made to synced fields of linked contacts and companies (issue 17), as HubSpot's
 * webhook events name it (`changeSource: INTEGRATION`, `sourceId`: that app's id). Counters, not events:
 * one row per portal, app and UTC day, the last 30 days only and at most a few apps per portal
 * (sync/other-writers.ts), so a busy integration cannot grow the table.
 */
export const syncOtherWriters = sqliteTable(
  'sync_other_writers',
  {
    portalId: text('portal_id').notNull(),
    /** HubSpot's `sourceId` of the change: the writing app's id. */
    sourceId: text('source_id').notNull(),
    /** UTC day of the change, days since 1970-01-01. */
    day: integer('day').notNull(),
    /** Property changes counted that day. */
    changes: integer('changes').notNull(),
    /** The latest counted change of the day, so the user can look at it in HubSpot. */
    lastSeenAt: integer('last_seen_at').notNull(),
    lastObjectType: text('last_object_type', { enum: ['contact', 'company'] }).notNull(),
    lastObjectId: text('last_object_id').notNull(),
    lastPropertyName: text('last_property_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.sourceId, t.day] })],
);
