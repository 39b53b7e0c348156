import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Every accepted HubSpot webhook event, stored before we answer 2xx. HubSpot's eventId is not
 * unique on its own (fact sheet §5), so `dedupe_key` combines it with subscription, object and time.
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    portalId: text('portal_id').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    eventId: text('event_id').notNull(),
    subscriptionType: text('subscription_type').notNull(),
    objectId: text('object_id'),
    occurredAt: integer('occurred_at').notNull(),
    payload: text('payload', { mode: 'json' }).notNull(),
    /**
     * `queued` (a route matched: the delivery's routing job makes the event's job and sets `job_id`), `ignored` (unknown type or our own echo), `rejected` (not a
     * usable event: bad id, too deep or too large; `payload` is then a flat, bounded excerpt) — the
     * latter two with the reason in `ignored_reason`.
     */
    status: text('status', { enum: ['queued', 'ignored', 'rejected'] }).notNull(),
    ignoredReason: text('ignored_reason'),
    jobId: integer('job_id'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [uniqueIndex('webhook_events_dedupe_key').on(t.dedupeKey), index('webhook_events_portal_received').on(t.portalId, t.receivedAt)],
);
