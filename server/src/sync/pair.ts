/**
 * Brings one linked pair in line: three-way merge per field (merge.ts), then at most one write per
 * side (HubSpot by the batch endpoint), then the link records both sides' new hashes. A change whose
 * content equals what we last synced is our own echo: `syncPair` is not even called for it.
 */
import type { Logger } from 'pino';
import type { Customer } from '../accounting/provider';
import { isProviderError } from '../accounting/errors';
import { JobError } from '../lib/errors';
import { contentFromCustomer, customerFromContent, fieldHashes, type Content, type ObjectType, type SyncField } from './content';
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
  const toAccounting = Object.keys(merged.toAccounting) as SyncField[];
  const parent = await parentCompanyId(ps, objectType, hub);
  const hubspotLacksParent = (await missingHubspotCompany(ps, objectType, hub, vendor)) !== undefined;
  const reparent = ps.rules.hubspotToAccounting && vendorParentOutdated(ps, objectType, vendor, parent, trigger, hubspotLacksParent);
  if (toAccounting.length > 0 || reparent) {
    // Start from the vendor's full content so fields the sync does not map for this type survive.
    const target: Content = { ...contentFromCustomer(vendor), ...merged.toAccounting };
    try {
      newVendor = await ps.provider.updateCustomer(vendor.id, customerFromContent(objectType, target, parent), vendor.version);
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
    await hubspotWrites.add({ ...hub, content: hubContent }, newVendor, toHubspot, properties, { ...hubContent, ...merged.toHubspot });
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
  await ps.store.saveLink(ps.portalId, objectType, hub.id, ps.providerId, newVendor, newHub, vendorContent(newVendor));
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
