import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { portals } from './portals';

export const packageIds = ['invoicing', 'sync', 'business', 'business_plus'] as const;
export type PackageId = (typeof packageIds)[number];

/**
 * One row per portal and package: a 7-day trial from activation, then a monthly booking. No money
 * is taken here; a booking is recorded, and a cancellation runs to the end of the paid period.
 */
export const packageSubscriptions = sqliteTable(
  'package_subscriptions',
  {
    portalId: text('portal_id')
      .notNull()
      .references(() => portals.portalId, { onDelete: 'cascade' }),
    packageId: text('package_id', { enum: packageIds }).notNull(),
    trialStartedAt: integer('trial_started_at').notNull(),
    trialEndsAt: integer('trial_ends_at').notNull(),
    bookedAt: integer('booked_at'),
    cancelledAt: integer('cancelled_at'),
    /** Stripe subscription paying for this package, once Checkout completed (state comes from its webhooks). */
    stripeSubscriptionId: text('stripe_subscription_id'),
    /** Stripe's subscription `status` as last fetched: trialing, active, past_due, canceled, unpaid, incomplete… */
    billingStatus: text('billing_status'),
    /** End of the paid (or free) period, ms. */
    periodEndsAt: integer('period_ends_at'),
    cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),
    /** When we first saw the subscription past due; the grace period counts from here. */
    pastDueSince: integer('past_due_since'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.portalId, t.packageId] })],
);
