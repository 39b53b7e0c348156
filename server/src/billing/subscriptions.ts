import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { packageSubscriptions, type PackageId } from '../db/schema';
import { featuresOf, packageState, trialFor, type Features, type PackageState } from './packages';

/** The part of a Stripe subscription our package state is made of. */
export interface PaidSubscription {
  subscriptionId: string;
  status: string;
  periodEndsAt: number;
  cancelAtPeriodEnd: boolean;
}

export interface PackageView {
  packageId: PackageId;
  state: PackageState;
}

/** Package rows of one portal; every function takes `portalId` first and sees only that portal. */
export class Subscriptions {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number = Date.now,
    /** How long a past-due package keeps working (configuration, `BILLING_GRACE_DAYS`). */
    readonly graceMs = 0,
  ) {}

  /** Starts the package's trial (idempotent: an existing row is kept). */
  async activate(portalId: string, packageId: PackageId): Promise<PackageView> {
    const now = this.now();
    await this.db
      .insert(packageSubscriptions)
      .values({ portalId, packageId, ...trialFor(now), bookedAt: null, cancelledAt: null, updatedAt: now })
      .onConflictDoNothing();
    return (await this.view(portalId, packageId))!;
  }

  /**
   * Takes over the state of the package's Stripe subscription as fetched just now (never from a
   * redirect or an event body alone). Repeating it with the same subscription changes nothing.
   */
  async applyPaidSubscription(portalId: string, packageId: PackageId, paid: PaidSubscription): Promise<PackageView> {
    await this.activate(portalId, packageId);
    const now = this.now();
    const current = (await this.rows(portalId)).find((r) => r.packageId === packageId)!;
    const pastDueSince = paid.status === 'past_due' ? (current.billingStatus === 'past_due' ? current.pastDueSince : now) : null;
    await this.db
      .update(packageSubscriptions)
      .set({
        stripeSubscriptionId: paid.subscriptionId,
        billingStatus: paid.status,
        periodEndsAt: paid.periodEndsAt,
        cancelAtPeriodEnd: paid.cancelAtPeriodEnd,
        pastDueSince,
        bookedAt: current.bookedAt ?? now,
        updatedAt: now,
      })
      .where(and(eq(packageSubscriptions.portalId, portalId), eq(packageSubscriptions.packageId, packageId)));
    return (await this.view(portalId, packageId))!;
  }

  /** The Stripe subscription paying for this package, if any. */
  async stripeSubscriptionOf(portalId: string, packageId: PackageId): Promise<string | undefined> {
    return (await this.rows(portalId)).find((r) => r.packageId === packageId)?.stripeSubscriptionId ?? undefined;
  }

  /** Cancels: a booking runs to its period end, a trial ends now. */
  async cancel(portalId: string, packageId: PackageId): Promise<PackageView | undefined> {
    const now = this.now();
    await this.db
      .update(packageSubscriptions)
      .set({ cancelledAt: now, updatedAt: now })
      .where(and(eq(packageSubscriptions.portalId, portalId), eq(packageSubscriptions.packageId, packageId)));
    return this.view(portalId, packageId);
  }

  async list(portalId: string): Promise<PackageView[]> {
    const now = this.now();
    return (await this.rows(portalId)).map((row) => ({ packageId: row.packageId, state: packageState(row, now, this.graceMs) }));
  }

  async features(portalId: string): Promise<Features> {
    return featuresOf(await this.rows(portalId), this.now(), this.graceMs);
  }

  private async view(portalId: string, packageId: PackageId): Promise<PackageView | undefined> {
    return (await this.list(portalId)).find((p) => p.packageId === packageId);
  }

  private rows(portalId: string) {
    return this.db.select().from(packageSubscriptions).where(eq(packageSubscriptions.portalId, portalId)).orderBy(packageSubscriptions.packageId);
  }
}

// Re-exported for billing code and tests; it lives with the table it writes.
export { ensurePortal } from '../db/portals';
