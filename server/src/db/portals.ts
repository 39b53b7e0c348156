import type { DbOrTx } from './client';
import { portals } from './schema';

/**
 * Ensures the portal row exists: packages, settings and an accounting connection may each be the first
 * thing stored for a portal, and every tenant table references `portals`.
 */
export async function ensurePortal(db: DbOrTx, portalId: string, now: number): Promise<void> {
  await db.insert(portals).values({ portalId, status: 'active', installedAt: now, updatedAt: now }).onConflictDoNothing();
}
