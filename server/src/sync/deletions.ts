/**
 * Deletions per direction (issue 6): collected per cycle in `sync_deletions`, then applied together
 * so the mass-delete guard sees the whole cycle. `mirror` deletes on the other side (where the vendor
 * cannot delete, the link is dropped and the user told so); `ignore` only drops the link. A cycle that
 * would delete more than `massDeleteShare` of the linked records is held until the user confirms.
 */
import { and, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { DbOrTx } from '../db/client';
import { syncDeletions } from '../db/schema';
import { displayName, type ObjectType } from './content';
import type { PortalSync, SyncDeps } from './context';
import type { Side } from './merge';
import { vendorContent } from './vendor-side';

export async function recordDeletion(
  db: DbOrTx,
  portalId: string,
  side: Side,
  objectType: ObjectType,
  hubspotId: string,
  vendorId: string,
  now: number,
): Promise<void> {
  await db.insert(syncDeletions).values({ portalId, side, objectType, hubspotId, vendorId, state: 'pending', detectedAt: now }).onConflictDoNothing();
}

export interface DeletionOutcome {
  applied: number;
  held: number;
}

export async function applyDeletions(deps: SyncDeps, ps: PortalSync, log: Logger, options: { confirmHeld?: boolean } = {}): Promise<DeletionOutcome> {
  const { db } = deps;
  const where = (state: 'pending' | 'held') => and(eq(syncDeletions.portalId, ps.portalId), eq(syncDeletions.state, state));
  if (options.confirmHeld) await db.update(syncDeletions).set({ state: 'pending' }).where(where('held'));
  const pending = await db
    .select()
    .from(syncDeletions)
    .where(where('pending'))
    .orderBy(syncDeletions.detectedAt, syncDeletions.objectType, syncDeletions.hubspotId);
  if (pending.length === 0) return { applied: 0, held: 0 };
  const mirrored = pending.filter((d) => (d.side === 'hubspot' ? ps.rules.deletion.fromHubspot : ps.rules.deletion.fromAccounting) === 'mirror');
  const linked = (await ps.store.links(ps.portalId, ps.providerId)).length;
  if (!options.confirmHeld && mirrored.length >= deps.massDeleteMinCount && mirrored.length > linked * ps.rules.massDeleteShare) {
    await db.update(syncDeletions).set({ state: 'held' }).where(where('pending'));
    await ps.store.openConflict(ps.portalId, 'mass_delete', 'contact', 'mass-delete', `${mirrored.length} of ${linked}`, []);
    log.warn({ deletions: mirrored.length, linked }, 'sync deletions held by the mass-delete guard');
    return { applied: 0, held: pending.length };
  }
  for (const d of pending) {
    const mirror = mirrored.includes(d);
    if (mirror && d.side === 'hubspot') {
      const result = await ps.provider.deleteCustomer(d.vendorId);
      if (result === 'unsupported') {
        await ps.store.openConflict(ps.portalId, 'deletion_unsupported', d.objectType, d.hubspotId, d.vendorId, [{ vendorId: d.vendorId, name: '' }]);
        await keepVendorRecord(ps, d);
      }
    }
    if (!mirror && d.side === 'hubspot') await keepVendorRecord(ps, d);
    if (mirror && d.side === 'accounting') await deps.hubspot.archive(ps.portalId, d.objectType, [d.hubspotId]);
    await ps.store.dropLink(ps.portalId, d.objectType, d.hubspotId);
    await db
      .delete(syncDeletions)
      .where(and(eq(syncDeletions.portalId, ps.portalId), eq(syncDeletions.objectType, d.objectType), eq(syncDeletions.hubspotId, d.hubspotId)));
  }
  if (options.confirmHeld) await ps.store.resolveConflicts(ps.portalId, 'contact', 'mass-delete', ['mass_delete']);
  log.info({ applied: pending.length, mirrored: mirrored.length }, 'sync deletions applied');
  return { applied: pending.length, held: 0 };
}

/**
 * The HubSpot record is gone and its accounting customer stays: remembered as kept, so neither the
 * next poll nor an initial sync imports it into HubSpot again (a lexoffice contact cannot be deleted).
 */
async function keepVendorRecord(ps: PortalSync, d: { objectType: ObjectType; hubspotId: string; vendorId: string }): Promise<void> {
  const customer = await ps.provider.getCustomer(d.vendorId);
  if (!customer || customer.isArchived) return;
  await ps.store.keep(ps.portalId, ps.providerId, {
    vendorId: d.vendorId,
    objectType: d.objectType,
    hubspotId: d.hubspotId,
    name: displayName(d.objectType, vendorContent(customer)),
  });
}

/** The user keeps both sides: held deletions only drop their links (kept customers are remembered as such). */
export async function dismissHeldDeletions(deps: SyncDeps, ps: PortalSync): Promise<number> {
  const held = await deps.db
    .select()
    .from(syncDeletions)
    .where(and(eq(syncDeletions.portalId, ps.portalId), eq(syncDeletions.state, 'held')))
    .orderBy(syncDeletions.detectedAt, syncDeletions.objectType, syncDeletions.hubspotId);
  for (const d of held) {
    await ps.store.dropLink(ps.portalId, d.objectType, d.hubspotId);
    if (d.side === 'hubspot') await keepVendorRecord(ps, d);
  }
  await deps.db.delete(syncDeletions).where(and(eq(syncDeletions.portalId, ps.portalId), eq(syncDeletions.state, 'held')));
  await ps.store.resolveConflicts(ps.portalId, 'contact', 'mass-delete', ['mass_delete']);
  return held.length;
}
