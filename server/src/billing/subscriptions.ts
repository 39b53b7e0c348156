import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { packageSubscriptions, portals, type PackageId } from '../db/schema';
import { featuresOf, packageState, trialFor, type Features, type PackageState } from './packages';

export interface PackageView {
  packageId: PackageId;
  state: PackageState;
}

/** Package rows of one portal; every function takes `portalId` first and sees only that portal. */
export class Subscriptions {
  constructor(private readonly db: DbOrTx, private readonly now: () => number = Date.now) {}

  /** Starts the package's trial (idempotent: an existing row is kept). */
  activate(portalId: string, packageId: PackageId): PackageView {
    const now = this.now();
    this.db
      .insert(packageSubscriptions)
      .values({ portalId, packageId, ...trialFor(now), bookedAt: null, cancelledAt: null, updatedAt: now })
      .onConflictDoNothing()
      .run();
    return this.view(portalId, packageId)!;
  }

  /** Records a monthly booking (no payment is taken here). */
  book(portalId: string, packageId: PackageId): PackageView {
    this.activate(portalId, packageId);
    const now = this.now();
    this.db
      .update(packageSubscriptions)
      .set({ bookedAt: now, cancelledAt: null, updatedAt: now })
      .where(and(eq(packageSubscriptions.portalId, portalId), eq(packageSubscriptions.packageId, packageId)))
      .run();
    return this.view(portalId, packageId)!;
  }

  /** Cancels: a booking runs to its period end, a trial ends now. */
  cancel(portalId: string, packageId: PackageId): PackageView | undefined {
    const now = this.now();
    this.db
      .update(packageSubscriptions)
      .set({ cancelledAt: now, updatedAt: now })
      .where(and(eq(packageSubscriptions.portalId, portalId), eq(packageSubscriptions.packageId, packageId)))
      .run();
    return this.view(portalId, packageId);
  }

  list(portalId: string): PackageView[] {
    const now = this.now();
    return this.rows(portalId).map((row) => ({ packageId: row.packageId, state: packageState(row, now) }));
  }

  features(portalId: string): Features {
    return featuresOf(this.rows(portalId), this.now());
  }

  private view(portalId: string, packageId: PackageId): PackageView | undefined {
    return this.list(portalId).find((p) => p.packageId === packageId);
  }

  private rows(portalId: string) {
    return this.db.select().from(packageSubscriptions).where(eq(packageSubscriptions.portalId, portalId)).all();
  }
}

/** Ensures the portal row exists (packages may be chosen before anything else). */
export function ensurePortal(db: DbOrTx, portalId: string, now: number): void {
  db.insert(portals).values({ portalId, status: 'active', installedAt: now, updatedAt: now }).onConflictDoNothing().run();
}
