/**
 * Accounting → HubSpot without vendor webhooks: one poll cycle per portal. With a change feed the
 * changed customers are listed since the last cycle; without one (lexoffice, §1.5) the full scan is
 * compared by content hash, so our own writes (hash equal to the link's) start nothing. Linked
 * customers missing from the full scan are deletions.
 */
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Customer } from '../accounting/provider';
import { syncPortalState } from '../db/schema';
import { contentHash } from './content';
import type { PortalSync, SyncDeps } from './context';
import { recordDeletion } from './deletions';
import { listAllCustomers, vendorContent } from './vendor-side';

/** How far each change-feed cursor reaches back into the previous poll. */
export const cursorOverlapMs = 5_000;

export interface PollResult {
  /** Vendor ids whose change must be synced. */
  changed: string[];
  deletions: number;
}

export async function pollVendor(deps: SyncDeps, ps: PortalSync, log: Logger): Promise<PollResult> {
  const startedAt = deps.now();
  const [state] = await deps.db.select().from(syncPortalState).where(eq(syncPortalState.portalId, ps.portalId)).limit(1);
  const all = await listAllCustomers(ps.provider, null);
  const links = await ps.store.links(ps.portalId, ps.providerId);
  const byVendor = new Map(links.map((l) => [l.vendorId, l]));
  // Contested customers wait for the user; kept ones (HubSpot record deleted) are never imported again.
  const contested = new Set([...(await ps.store.contestedVendorIds(ps.portalId)), ...(await ps.store.keptVendorIds(ps.portalId, ps.providerId))]);
  const changed = new Set<string>();
  const feed: Customer[] = ps.provider.capabilities.changeFeed && state?.cursorMs != null ? await listAllCustomers(ps.provider, state.cursorMs) : [];
  for (const c of ps.provider.capabilities.changeFeed ? feed : all) {
    const link = byVendor.get(c.id);
    if (c.isArchived) continue;
    if (!link) {
      if (!contested.has(c.id)) changed.add(c.id);
      continue;
    }
    // A feed's pages may omit detail fields (sevDesk), so only a full scan is compared by hash here; feed hits are hash-checked after a full read.
    if (ps.provider.capabilities.changeFeed || contentHash(vendorContent(c)) !== link.vendorHash) changed.add(c.id);
  }
  if (ps.provider.capabilities.changeFeed && state?.cursorMs == null) {
    for (const c of all) if (!byVendor.has(c.id) && !contested.has(c.id) && !c.isArchived) changed.add(c.id);
  }
  const present = new Set(all.filter((c) => !c.isArchived).map((c) => c.id));
  let deletions = 0;
  for (const link of links) {
    if (present.has(link.vendorId)) continue;
    await recordDeletion(deps.db, ps.portalId, 'accounting', link.objectType, link.hubspotId, link.vendorId, startedAt);
    deletions++;
  }
  // Vendors stamp changes in whole seconds and filter "after" strictly: a change in the second the
  // poll started would fall between two polls. Overlap instead; a change seen twice is an echo.
  const row = { cursorMs: startedAt - cursorOverlapMs, lastPollAt: startedAt, updatedAt: deps.now() };
  await deps.db
    .insert(syncPortalState)
    .values({ portalId: ps.portalId, ...row })
    .onConflictDoUpdate({ target: syncPortalState.portalId, set: row });
  log.info({ changed: changed.size, deletions, scanned: all.length }, 'sync poll done');
  return { changed: [...changed], deletions };
}

export async function lastPollAt(deps: Pick<SyncDeps, 'db'>, portalId: string): Promise<number | undefined> {
  const [state] = await deps.db.select({ lastPollAt: syncPortalState.lastPollAt }).from(syncPortalState).where(eq(syncPortalState.portalId, portalId)).limit(1);
  return state?.lastPollAt ?? undefined;
}
