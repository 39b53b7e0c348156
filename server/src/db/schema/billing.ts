import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

/** The Stripe customer of a portal (one per portal; every package subscription hangs off it). */
export const billingCustomers = sqliteTable('billing_customers', {
  portalId: text('portal_id')
    .primaryKey()
    .references(() => portals.portalId, { onDelete: 'cascade' }),
  stripeCustomerId: text('stripe_customer_id').notNull().unique(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Every verified Stripe event, stored before we answer 2xx. Stripe may deliver an event more than
 * once (https://docs.stripe.com/webhooks#handle-duplicate-events): the event id is the key.
 */
export const billingEvents = sqliteTable(
  'billing_events',
  {
    eventId: text('event_id').primaryKey(),
    type: text('type').notNull(),
    portalId: text('portal_id'),
    stripeSubscriptionId: text('stripe_subscription_id'),
    createdAt: integer('created_at').notNull(),
    jobId: integer('job_id'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [index('billing_events_subscription').on(t.stripeSubscriptionId)],
);
