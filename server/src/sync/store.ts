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
/** Each side's per-field hashes as last synced. */
export interface Bases {
  hubspot: FieldHashes;
  accounting: FieldHashes;
}
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

  async link(portalId: string, objectType: ObjectType, hubspotId: string): Promise<LinkRow | undefined> {
    const [row] = await this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, objectType), eq(customerLinks.hubspotId, hubspotId)))
      .limit(1);
    return row;
  }

  async linkByVendor(portalId: string, provider: string, vendorId: string): Promise<LinkRow | undefined> {
    const [row] = await this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.provider, provider), eq(customerLinks.vendorId, vendorId)))
      .limit(1);
    return row;
  }

  async links(portalId: string, provider: string): Promise<LinkRow[]> {
    return await this.db
      .select()
      .from(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.provider, provider)))
      .orderBy(customerLinks.objectType, customerLinks.hubspotId);
  }

  async bases(portalId: string, objectType: ObjectType, hubspotId: string): Promise<Bases | undefined> {
    const [row] = await this.db
      .select()
      .from(syncLinkFields)
      .where(and(eq(syncLinkFields.portalId, portalId), eq(syncLinkFields.objectType, objectType), eq(syncLinkFields.hubspotId, hubspotId)))
      .limit(1);
    return row ? { hubspot: row.hubspotFields, accounting: row.vendorFields } : undefined;
  }

  /** Records the pair as synced: both ids, each side's content hash and per-field base. */
  async saveLink(
    portalId: string,
    objectType: ObjectType,
    hubspotId: string,
    provider: string,
    vendor: { id: string; version?: number },
    hubspot: Content,
    accounting: Content,
  ): Promise<void> {
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
    await this.db
      .insert(customerLinks)
      .values({ portalId, objectType, hubspotId, ...row })
      .onConflictDoUpdate({ target: [customerLinks.portalId, customerLinks.objectType, customerLinks.hubspotId], set: row });
    await this.db
      .insert(syncLinkFields)
      .values({ portalId, objectType, hubspotId, ...fields })
      .onConflictDoUpdate({ target: [syncLinkFields.portalId, syncLinkFields.objectType, syncLinkFields.hubspotId], set: fields });
    await this.resolveConflicts(portalId, objectType, hubspotId);
    // Linked again (a new HubSpot record matched it): no longer a kept leftover.
    await this.db
      .delete(syncKeptRecords)
      .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.provider, provider), eq(syncKeptRecords.vendorId, vendor.id)));
  }

  /** Remembers a customer kept in the accounting system after its HubSpot record was deleted: never imported again. */
  async keep(portalId: string, provider: string, row: Omit<KeptRow, 'portalId' | 'provider' | 'keptAt'>): Promise<void> {
    const set = { ...row, keptAt: this.now() };
    await this.db
      .insert(syncKeptRecords)
      .values({ portalId, provider, ...set })
      .onConflictDoUpdate({ target: [syncKeptRecords.portalId, syncKeptRecords.provider, syncKeptRecords.vendorId], set });
  }

  async kept(portalId: string, provider: string): Promise<KeptRow[]> {
    return await this.db
      .select()
      .from(syncKeptRecords)
      .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.provider, provider)))
      .orderBy(syncKeptRecords.keptAt, syncKeptRecords.vendorId);
  }

  async keptVendorIds(portalId: string, provider: string): Promise<Set<string>> {
    return new Set((await this.kept(portalId, provider)).map((k) => k.vendorId));
  }

  async dropLink(portalId: string, objectType: ObjectType, hubspotId: string): Promise<void> {
    await this.db
      .delete(customerLinks)
      .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, objectType), eq(customerLinks.hubspotId, hubspotId)));
    await this.db
      .delete(syncLinkFields)
      .where(and(eq(syncLinkFields.portalId, portalId), eq(syncLinkFields.objectType, objectType), eq(syncLinkFields.hubspotId, hubspotId)));
  }

  /** Moves a link to another HubSpot id (after a merge) unless that id has one already. */
  async moveLink(portalId: string, objectType: ObjectType, fromId: string, toId: string): Promise<boolean> {
    if (await this.link(portalId, objectType, toId)) return false;
    const where = (t: typeof customerLinks | typeof syncLinkFields) => and(eq(t.portalId, portalId), eq(t.objectType, objectType), eq(t.hubspotId, fromId));
    await this.db.update(customerLinks).set({ hubspotId: toId }).where(where(customerLinks));
    await this.db.update(syncLinkFields).set({ hubspotId: toId }).where(where(syncLinkFields));
    return true;
  }

  async openConflict(
    portalId: string,
    kind: ConflictRow['kind'],
    objectType: ObjectType,
    hubspotId: string,
    name: string,
    candidates: Candidate[],
  ): Promise<void> {
    const now = this.now();
    const set = { name, candidates, state: 'open' as const, createdAt: now, resolvedAt: null };
    await this.db
      .insert(syncConflicts)
      .values({ portalId, kind, objectType, hubspotId, ...set })
      .onConflictDoUpdate({ target: [syncConflicts.portalId, syncConflicts.kind, syncConflicts.objectType, syncConflicts.hubspotId], set });
  }

  async resolveConflicts(portalId: string, objectType: ObjectType, hubspotId: string, kinds: ConflictRow['kind'][] = ['ambiguous']): Promise<void> {
    await this.db
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
      );
  }

  async conflicts(portalId: string, kinds: ConflictRow['kind'][] = ['ambiguous']): Promise<ConflictRow[]> {
    return await this.db
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.portalId, portalId), eq(syncConflicts.state, 'open'), inArray(syncConflicts.kind, kinds)))
      .orderBy(syncConflicts.id);
  }

  async conflict(portalId: string, id: number): Promise<ConflictRow | undefined> {
    const [row] = await this.db
      .select()
      .from(syncConflicts)
      .where(and(eq(syncConflicts.portalId, portalId), eq(syncConflicts.id, id)))
      .limit(1);
    return row;
  }

  async conflictFor(portalId: string, objectType: ObjectType, hubspotId: string): Promise<ConflictRow | undefined> {
    const [row] = await this.db
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
      .limit(1);
    return row;
  }

  /** Vendor ids that are candidates of an open conflict: not created in HubSpot while contested. */
  async contestedVendorIds(portalId: string): Promise<Set<string>> {
    return new Set((await this.conflicts(portalId)).flatMap((c) => c.candidates.map((x) => x.vendorId)));
  }
}
