/**
 * The sync's rows: links (customer_links, shared with invoicing) with their per-side hashes and
 * per-field bases, and conflicts. Every function takes `portalId` first.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { customerLinks, syncConflicts, syncKeptRecords, syncLinkFields } from '../db/schema';
import { contentHash, fieldHashes, type Content, type FieldHashes, type ObjectType } from './content';

export type LinkRow = typeof customerLinks.$inferSelect;
export type ConflictRow = typeof syncConflicts.$inferSelect;
export type KeptRow = typeof syncKeptRecords.$inferSelect;
export interface Candidate {
  vendorId: string;
  name: string;
  email?: string;
}

export class SyncStore {
  constructor(
    private readonly db: DbOrTx,
    private readonly now: () => number,
  ) {}

  link(portalId: string, objectType: ObjectType, hubspotId: string): LinkRow | undefined {
    return this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, objectType), eq(customerLinks.hubspotId, hubspotId)))
      .get();
  }

  linkByVendor(portalId: string, provider: string, vendorId: string): LinkRow | undefined {
    return this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.provider, provider), eq(customerLinks.vendorId, vendorId)))
      .get();
  }

  links(portalId: string, provider: string): LinkRow[] {
    return this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.provider, provider)))
      .all();
  }

  bases(portalId: string, objectType: ObjectType, hubspotId: string): { hubspot: FieldHashes; accounting: FieldHashes } | undefined {
    const row = this.db
      .select()
      .from(syncLinkFields)
      .where(and(eq(syncLinkFields.portalId, portalId), eq(syncLinkFields.objectType, objectType), eq(syncLinkFields.hubspotId, hubspotId)))
      .get();
    return row ? { hubspot: row.hubspotFields, accounting: row.vendorFields } : undefined;
  }

  /** Records the pair as synced: both ids, each side's content hash and per-field base. */
  saveLink(
    portalId: string,
    objectType: ObjectType,
    hubspotId: string,
    provider: string,
    vendor: { id: string; version?: number },
    hubspot: Content,
    accounting: Content,
  ): void {
    const now = this.now();
    const row = {
      provider,
      vendorId: vendor.id,
      vendorVersion: vendor.version ?? null,
      hubspotHash: contentHash(hubspot),
      vendorHash: contentHash(accounting),
      lastSyncedAt: now,
    };
    const fields = {
      hubspotFields: fieldHashes(hubspot) as Record<string, string>,
      vendorFields: fieldHashes(accounting) as Record<string, string>,
      updatedAt: now,
    };
    this.db
      .insert(customerLinks)
      .values({ portalId, objectType, hubspotId, ...row })
      .onConflictDoUpdate({ target: [customerLinks.portalId, customerLinks.objectType, customerLinks.hubspotId], set: row })
      .run();
    this.db
      .insert(syncLinkFields)
      .values({ portalId, objectType, hubspotId, ...fields })
      .onConflictDoUpdate({ target: [syncLinkFields.portalId, syncLinkFields.objectType, syncLinkFields.hubspotId], set: fields })
      .run();
    this.resolveConflicts(portalId, objectType, hubspotId);
    // Linked again (a new HubSpot record matched it): no longer a kept leftover.
    this.db
      .delete(syncKeptRecords)
      .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.provider, provider), eq(syncKeptRecords.vendorId, vendor.id)))
      .run();
  }

  /** Remembers a customer kept in the accounting system after its HubSpot record was deleted: never imported again. */
  keep(portalId: string, provider: string, row: Omit<KeptRow, 'portalId' | 'provider' | 'keptAt'>): void {
    const set = { ...row, keptAt: this.now() };
    this.db
      .insert(syncKeptRecords)
      .values({ portalId, provider, ...set })
      .onConflictDoUpdate({ target: [syncKeptRecords.portalId, syncKeptRecords.provider, syncKeptRecords.vendorId], set })
      .run();
  }

  kept(portalId: string, provider: string): KeptRow[] {
    return this.db
      .select()
      .from(syncKeptRecords)
      .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.provider, provider)))
      .orderBy(syncKeptRecords.keptAt)
      .all();
  }

  keptVendorIds(portalId: string, provider: string): Set<string> {
    return new Set(this.kept(portalId, provider).map((k) => k.vendorId));
  }

  dropLink(portalId: string, objectType: ObjectType, hubspotId: string): void {
    this.db
      .delete(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, objectType), eq(customerLinks.hubspotId, hubspotId)))
      .run();
    this.db
      .delete(syncLinkFields)
      .where(and(eq(syncLinkFields.portalId, portalId), eq(syncLinkFields.objectType, objectType), eq(syncLinkFields.hubspotId, hubspotId)))
      .run();
  }

  /** Moves a link to another HubSpot id (after a merge) unless that id has one already. */
  moveLink(portalId: string, objectType: ObjectType, fromId: string, toId: string): boolean {
    if (this.link(portalId, objectType, toId)) return false;
    const where = (t: typeof customerLinks | typeof syncLinkFields) => and(eq(t.portalId, portalId), eq(t.objectType, objectType), eq(t.hubspotId, fromId));
    this.db.update(customerLinks).set({ hubspotId: toId }).where(where(customerLinks)).run();
    this.db.update(syncLinkFields).set({ hubspotId: toId }).where(where(syncLinkFields)).run();
    return true;
  }

  openConflict(portalId: string, kind: ConflictRow['kind'], objectType: ObjectType, hubspotId: string, name: string, candidates: Candidate[]): void {
    const now = this.now();
    const set = { name, candidates, state: 'open' as const, createdAt: now, resolvedAt: null };
    this.db
      .insert(syncConflicts)
      .values({ portalId, kind, objectType, hubspotId, ...set })
      .onConflictDoUpdate({ target: [syncConflicts.portalId, syncConflicts.kind, syncConflicts.objectType, syncConflicts.hubspotId], set })
      .run();
  }

  resolveConflicts(portalId: string, objectType: ObjectType, hubspotId: string, kinds: ConflictRow['kind'][] = ['ambiguous']): void {
    this.db
      .update(syncConflicts)
      .set({ state: 'resolved', resolvedAt: this.now() })
      .where(
        and(
          eq(syncConflicts.portalId, portalId),
          eq(syncConflicts.objectType, objectType),
          eq(syncConflicts.hubspotId, hubspotId),
          inArray(syncConflicts.kind, kinds),
          eq(syncConflicts.state, 'open'),
        ),
      )
      .run();
  }

  conflicts(portalId: string, kinds: ConflictRow['kind'][] = ['ambiguous']): ConflictRow[] {
    return this.db
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.portalId, portalId), eq(syncConflicts.state, 'open'), inArray(syncConflicts.kind, kinds)))
      .all();
  }

  conflict(portalId: string, id: number): ConflictRow | undefined {
    return this.db
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.portalId, portalId), eq(syncConflicts.id, id)))
      .get();
  }

  conflictFor(portalId: string, objectType: ObjectType, hubspotId: string): ConflictRow | undefined {
    return this.db
      .select()
      .from(syncConflicts)
      .where(
        and(
          eq(syncConflicts.portalId, portalId),
          eq(syncConflicts.objectType, objectType),
          eq(syncConflicts.hubspotId, hubspotId),
          eq(syncConflicts.kind, 'ambiguous'),
          eq(syncConflicts.state, 'open'),
        ),
      )
      .get();
  }

  /** Vendor ids that are candidates of an open conflict: not created in HubSpot while contested. */
  contestedVendorIds(portalId: string): Set<string> {
    return new Set(this.conflicts(portalId).flatMap((c) => c.candidates.map((x) => x.vendorId)));
  }
}
