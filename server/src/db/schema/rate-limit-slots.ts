import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Request slots of the outside APIs' rate limits, shared by every instance on one PostgreSQL
 * database (lib/rate-limit.ts, db/rate-slots.ts): one row per limiter key (a HubSpot portal, a vendor
 * credential's fingerprint, Qonto's calling IP), never a secret.
 */
export const rateLimitSlots = sqliteTable('rate_limit_slots', {
  key: text('key').primaryKey(),
  /** Epoch ms before which no further request on this key may start (the last reservation plus one spacing). */
  nextSlot: integer('next_slot').notNull(),
  /** Epoch ms until which the outside API told us to wait (Retry-After, RateLimit-Reset). */
  blockedUntil: integer('blocked_until').notNull().default(0),
});
