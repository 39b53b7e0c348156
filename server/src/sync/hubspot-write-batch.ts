/**
 * The initial sync's writes back to HubSpot (what a new vendor customer brings back, above all its
 * customer number), collected and sent 100 at a time with the batch update endpoint
 * (`POST /crm/v3/objects/{type}/batch/update`, at most 100 inputs: hubspot.md §6.1; HubSpot counts a
 * batch as one call against the per-portal limit, §6.5), instead of one call per created record.
 *
 * Nothing is lost while a write waits: the pair is linked before it is queued, with the fields still
 * to be written left out of the accounting side's base and hash (`pendingLink`), so the pair is out
 * of sync on record. Should the batch fail for good (the job then fails and is retried) or the process
 * die, the next vendor poll sees the customer differ from its link and the three-way merge writes the
 * same fields again (sync/poll.ts, sync/pair.ts). Once the batch is written, the link records what
 * HubSpot stored.
 */
import type { Logger } from 'pino';
import type { Customer } from '../accounting/provider';
import type { Content, ObjectType, SyncField } from './content';
import type { PortalSync, SyncDeps } from './context';
import type { HubspotRecord } from './hubspot-side';
import { vendorContent } from './vendor-side';

/** HubSpot's batch limit (hubspot.md §6.1). */
export const hubspotBatchSize = 100;

interface PendingWrite {
  hub: HubspotRecord;
  vendor: Customer;
  /** The accounting side as synced (pair.ts `contentAfterVendorWrite`). */
  accounting: Content;
  properties: Record<string, string>;
  /** The HubSpot content once written, if HubSpot answers without the record. */
  expected: Content;
}

export class HubspotWriteBatch {
  private pending: PendingWrite[] = [];
  /** Batches being written; `flush` waits for all of them. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: SyncDeps,
    private readonly ps: PortalSync,
    private readonly objectType: ObjectType,
    private readonly log: Logger,
  ) {}

  /**
   * Links the pair as "HubSpot still lacks `fields`" and queues the write; resolves once the queue had
   * room, and rejects when the batch this write completed failed (the caller's run then stops).
   */
  async add(
    hub: HubspotRecord,
    vendor: Customer,
    fields: SyncField[],
    properties: Record<string, string>,
    expected: Content,
    accounting: Content = vendorContent(vendor),
  ): Promise<void> {
    await this.ps.store.saveLink(
      this.ps.portalId,
      this.objectType,
      hub.id,
      this.ps.providerId,
      vendor,
      hub.content,
      pendingLink(accounting, hub.content, fields),
    );
    // Two writes for one record would be two inputs with one id, which HubSpot refuses: the later one wins.
    this.pending = this.pending.filter((p) => p.hub.id !== hub.id);
    this.pending.push({ hub, vendor, accounting, properties, expected });
    if (this.pending.length >= hubspotBatchSize) await this.write(this.pending.splice(0, hubspotBatchSize));
  }

  /** Writes what is still queued and waits for every batch in flight. */
  async flush(): Promise<void> {
    while (this.pending.length > 0) await this.write(this.pending.splice(0, hubspotBatchSize));
    await Promise.all([...this.inFlight]);
  }

  private write(batch: PendingWrite[]): Promise<void> {
    const run = (async () => {
      const updated = await this.deps.hubspot.update(
        this.ps.portalId,
        this.objectType,
        batch.map((p) => ({ id: p.hub.id, properties: p.properties })),
      );
      const byId = new Map(updated.map((r) => [r.id, r]));
      for (const p of batch) {
        const stored = byId.get(p.hub.id);
        // Missing from the answer (207: deleted in HubSpot meanwhile): the link stays pending; deletion handling takes it from here.
        if (!stored) continue;
        await this.ps.store.saveLink(this.ps.portalId, this.objectType, p.hub.id, this.ps.providerId, p.vendor, stored.content ?? p.expected, p.accounting);
      }
      this.log.info({ objectType: this.objectType, records: batch.length, written: byId.size }, 'sync wrote a batch back to HubSpot');
    })();
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }
}

/**
 * The accounting side as it is recorded while HubSpot still lacks `fields`: those fields as HubSpot
 * has them, so they count as changed in the accounting system until the write is recorded.
 */
export function pendingLink(accounting: Content, hubspot: Content, fields: SyncField[]): Content {
  const out: Content = { ...accounting };
  for (const field of fields) {
    if (hubspot[field] === undefined) delete out[field];
    else out[field] = hubspot[field];
  }
  return out;
}
