/**
 * Brings one linked pair in line: three-way merge per field (merge.ts), then at most one write per
 * side (HubSpot by the batch endpoint), then the link records both sides' new hashes. A change whose
 * content equals what we last synced is our own echo: `syncPair` is not even called for it.
 */
import type { Logger } from 'pino';
import type { Customer } from '../accounting/provider';
import { isProviderError } from '../accounting/errors';
import { JobError } from '../lib/errors';
import { contentFromCustomer, customerFromContent, fieldHash, fieldHashes, syncFields, type Content, type ObjectType, type SyncField } from './content';
import type { SyncDeps, PortalSync } from './context';
import type { HubspotRecord } from './hubspot-side';
import { fieldsOf, hubspotProperties } from './hubspot-mapping';
import { associateVendorParent, missingHubspotCompany, vendorParentOutdated } from './associations';
import { mergeFields, type Side } from './merge';
import { vendorContent } from './vendor-side';
import type { HubspotWriteBatch } from './hubspot-write-batch';
import type { Bases } from './store';

export interface PairWrites {
  hubspot: boolean;
  accounting: boolean;
}

export async function syncPair(
  deps: SyncDeps,
  ps: PortalSync,
  objectType: ObjectType,
  hub: HubspotRecord,
  vendor: Customer,
  trigger: Side,
  log: Logger,
  /** The bases to merge against; the link's stored ones when left out. */
  knownBase?: Bases,
  /** The initial sync's batched HubSpot writes; without it the HubSpot side is written at once. */
  hubspotWrites?: HubspotWriteBatch,
): Promise<PairWrites> {
  const base = knownBase ?? (await ps.store.bases(ps.portalId, objectType, hub.id));
  const hubContent = hub.content;
  const venContent = vendorContent(vendor);
  const merged = mergeFields({
    fields: fieldsOf(objectType),
    hubspot: { content: hubContent, base: base?.hubspot, changedAt: hub.changedAt },
    accounting: { content: venContent, base: base?.accounting, changedAt: vendor.updatedAt },
    owners: ps.rules.fieldOwners,
    trigger,
  });
  if (!ps.rules.hubspotToAccounting) merged.toAccounting = {};
  if (!ps.rules.accountingToHubspot) merged.toHubspot = {};

  let newVendor = vendor;
  /** The accounting side as the link records it: what we read, with our writes as the vendor stored them. */
  let vendorSynced = venContent;
  const toAccounting = Object.keys(merged.toAccounting) as SyncField[];
  const parent = await parentCompanyId(ps, objectType, hub);
  const hubspotLacksParent = (await missingHubspotCompany(ps, objectType, hub, vendor)) !== undefined;
  const reparent = ps.rules.hubspotToAccounting && vendorParentOutdated(ps, objectType, vendor, parent, trigger, hubspotLacksParent);
  if (toAccounting.length > 0 || reparent) {
    // Start from the vendor's full content so fields the sync does not map for this type survive.
    const target: Content = { ...contentFromCustomer(vendor), ...merged.toAccounting };
    try {
      newVendor = await ps.provider.updateCustomer(vendor.id, customerFromContent(objectType, target, parent), vendor.version);
      vendorSynced = contentAfterVendorWrite(venContent, merged.toAccounting, vendorContent(newVendor));
    } catch (error) {
      // Someone changed it since we read it (optimistic lock): read again on the retry.
      if (isProviderError(error) && error.kind === 'conflict')
        throw new JobError('sync_vendor_changed', 'The customer changed while we synced it.', { retryable: true, retryAfterMs: 200, cause: error });
      throw error;
    }
  }
  // Vendor → HubSpot: the person's company in the vendor, unless this HubSpot-side change just replaced it there.
  const associated = ps.rules.accountingToHubspot && !reparent ? await associateVendorParent(deps, ps, objectType, hub, newVendor) : false;
  let newHub = hubContent;
  const toHubspot = Object.keys(merged.toHubspot) as SyncField[];
  if (toHubspot.length > 0 && hubspotWrites) {
    const properties = hubspotProperties(objectType, { ...hubContent, ...merged.toHubspot }, toHubspot);
    await hubspotWrites.add({ ...hub, content: hubContent }, newVendor, toHubspot, properties, { ...hubContent, ...merged.toHubspot }, vendorSynced);
    log.info(
      { objectType, hubspotId: hub.id, vendorId: vendor.id, toHubspot: toHubspot.length, toAccounting: toAccounting.length, reparent, associated },
      'sync pair reconciled, HubSpot write queued',
    );
    return { hubspot: true, accounting: toAccounting.length > 0 || reparent };
  }
  if (toHubspot.length > 0) {
    const properties = hubspotProperties(objectType, { ...hubContent, ...merged.toHubspot }, toHubspot);
    const [updated] = await deps.hubspot.update(ps.portalId, objectType, [{ id: hub.id, properties }]);
    newHub = contentAfterHubspotWrite(hubContent, merged.toHubspot, updated?.content);
  }
  await ps.store.saveLink(ps.portalId, objectType, hub.id, ps.providerId, newVendor, newHub, vendorSynced);
  log.info(
    { objectType, hubspotId: hub.id, vendorId: vendor.id, toHubspot: toHubspot.length, toAccounting: toAccounting.length, reparent, associated },
    'sync pair reconciled',
  );
  return { hubspot: toHubspot.length > 0 || associated, accounting: toAccounting.length > 0 || reparent };
}

/**
 * The HubSpot record after our write. HubSpot's batch update answers with the properties written (plus its own
 * dates), not the whole record (the documented example answer lists only the properties of the input:
 * https://developers.hubspot.com/docs/api-reference/crm-contacts-v3/batch/post-crm-v3-objects-contacts-batch-update),
 * so the answer alone is no base: every field not written would look changed in HubSpot on the next run, and a
 * change made meanwhile in the accounting system would lose to it. The record is what we read, with the written
 * fields as HubSpot stored them (it may normalise a value), or as sent where the answer leaves them out.
 */
export function contentAfterHubspotWrite(read: Content, written: Partial<Record<SyncField, string | undefined>>, answer: Content | undefined): Content {
  const out: Content = { ...read };
  for (const field of Object.keys(written) as SyncField[]) {
    const value = answer?.[field] ?? written[field];
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  return out;
}

/**
 * The accounting side after our write, as the link's base and hash. Not simply the customer the vendor
 * answers with: sevDesk has no optimistic locking and reads the customer back after several calls, so a
 * user's edit that lands after our write and before that read is in the answer, but not in HubSpot.
 * Recorded as synced, the next poll would take it for our own echo and it would never reach HubSpot.
 * So a field we did not write counts as we read it (an edit since then is a change on the next poll), and
 * a written field as the vendor stored it (it may normalise it, or not store the field at all). Except
 * where someone evidently wrote the customer after us (a field we did not write holds a new value) and a
 * written field shows what it held before our write instead of ours: they saved what they had read before
 * our write over it, which counts as their change too (sevDesk's last write wins; HubSpot follows). Without
 * that evidence the old value is the vendor refusing ours (sevDesk skips an address it has no country for),
 * and HubSpot's value stays.
 */
export function contentAfterVendorWrite(read: Content, written: Partial<Record<SyncField, string | undefined>>, answer: Content): Content {
  const writtenFields = Object.keys(written) as SyncField[];
  const same = (field: SyncField, a: string | undefined, b: string | undefined) => fieldHash(field, a) === fieldHash(field, b);
  const writtenAfterUs = syncFields.some((f) => !writtenFields.includes(f) && answer[f] !== undefined && !same(f, answer[f], read[f]));
  const out: Content = { ...read };
  for (const field of writtenFields) {
    const sent = written[field];
    const stored = answer[field];
    const overwritten = writtenAfterUs && sent !== undefined && stored !== undefined && !same(field, stored, sent) && same(field, stored, read[field]);
    const value = overwritten ? sent : stored;
    if (value === undefined) delete out[field];
    else out[field] = value;
  }
  return out;
}

/** A contact's company in the accounting system, where its HubSpot company is linked. */
export async function parentCompanyId(ps: PortalSync, objectType: ObjectType, hub: HubspotRecord): Promise<string | undefined> {
  if (objectType !== 'contact') return undefined;
  for (const companyId of hub.companyIds) {
    const link = await ps.store.link(ps.portalId, 'company', companyId);
    if (link && link.provider === ps.providerId) return link.vendorId;
  }
  return undefined;
}

/**
 * The base right after we created `created` from `source`: the fields the source had count as
 * synced, so only what the other side added itself (a vendor-assigned customer number) flows back.
 */
export function baseAfterCreate(source: Content, created: Content, createdOn: Side): Bases {
  const sourceFields = Object.keys(source) as SyncField[];
  const shared: Content = {};
  for (const f of sourceFields) if (created[f] !== undefined) shared[f] = created[f];
  return createdOn === 'accounting'
    ? { hubspot: fieldHashes(source), accounting: fieldHashes(shared) }
    : { hubspot: fieldHashes(shared), accounting: fieldHashes(source) };
}
