/**
 * One changed record, from either side: echo check by content hash, then the linked pair is merged,
 * or an unlinked record is matched (plan.ts rules over the candidates both searches find) and linked,
 * created on the other side, or left as a conflict. A record gone on one side becomes a pending deletion.
 */
import type { Logger } from 'pino';
import type { Customer } from '../accounting/provider';
import { HubspotError } from '../hubspot/client';
import { customerKeyOf } from '../lib/keyed-lock';
import { contentHash, customerFromContent, displayName, type ObjectType } from './content';
import type { PortalSync, SyncDeps } from './context';
import { recordDeletion } from './deletions';
import { fieldsOf, hubspotProperties } from './hubspot-mapping';
import type { HubspotRecord } from './hubspot-side';
import type { HubspotWriteBatch } from './hubspot-write-batch';
import { associateAfterParentOnlyChange, associateCompanyPersons, associateVendorParent } from './associations';
import { baseAfterCreate, parentCompanyId, syncPair } from './pair';
import { planPairs, type PlanOutcome } from './plan';
import { vendorCandidates, vendorContent } from './vendor-side';

export type LiveOutcome = 'skipped' | 'echo' | 'synced' | 'linked' | 'created' | 'conflict' | 'deleted';

export async function syncFromHubspot(
  deps: SyncDeps,
  ps: PortalSync,
  objectType: ObjectType,
  hubspotId: string,
  log: Logger,
  options: { associationChange?: boolean } = {},
): Promise<LiveOutcome> {
  const link = await ps.store.link(ps.portalId, objectType, hubspotId);
  const hub = await deps.hubspot.read(ps.portalId, objectType, hubspotId);
  if (!hub) {
    if (!link) return 'skipped';
    await recordDeletion(deps.db, ps.portalId, 'hubspot', objectType, hubspotId, link.vendorId, deps.now());
    return 'deleted';
  }
  if (link && link.provider === ps.providerId) {
    // An association change leaves the fields as they were: only the vendor parent may differ (sync/associations.ts).
    if (contentHash(hub.content) === link.hubspotHash && !(options.associationChange && ps.provider.capabilities.contactCompanyLink)) return 'echo';
    const vendor = await ps.provider.getCustomer(link.vendorId);
    if (!vendor || vendor.isArchived) {
      await recordDeletion(deps.db, ps.portalId, 'accounting', objectType, hubspotId, link.vendorId, deps.now());
      return 'deleted';
    }
    await syncPair(deps, ps, objectType, hub, vendor, 'hubspot', log);
    return 'synced';
  }
  if (!ps.rules.hubspotToAccounting) return 'skipped';
  await deps.properties.ensure(ps.portalId);
  const outcome = await planLive(deps, ps, objectType, hub, undefined);
  return applyOutcome(deps, ps, objectType, outcome, hub, log);
}

/**
 * One vendor customer at a time (a person's job may bring its company in first, below, while the company's own
 * job runs): the second to come finds the link the first made. A linked customer takes its HubSpot record's lock
 * instead, the one the HubSpot side's job holds: two directions merging one pair at once would each store the
 * bases they read, the later undoing the other's, and the pair would stay apart (seen in the chaos run with two
 * instances).
 */
export async function syncFromAccounting(deps: SyncDeps, ps: PortalSync, vendorId: string, log: Logger): Promise<LiveOutcome> {
  const link = await ps.store.linkByVendor(ps.portalId, ps.providerId, vendorId);
  if (link) {
    const outcome = await deps.customerLock.run(customerKeyOf(ps.portalId, link.objectType, link.hubspotId), async () =>
      (await ps.store.linkByVendor(ps.portalId, ps.providerId, vendorId))?.hubspotId === link.hubspotId
        ? syncFromAccountingLocked(deps, ps, vendorId, log)
        : undefined,
    );
    // The link changed before we held the lock: as for a customer without one.
    if (outcome) return outcome;
  }
  return deps.customerLock.run(`${ps.portalId}:vendor:${ps.providerId}:${vendorId}`, () => syncFromAccountingLocked(deps, ps, vendorId, log));
}

async function syncFromAccountingLocked(deps: SyncDeps, ps: PortalSync, vendorId: string, log: Logger): Promise<LiveOutcome> {
  const link = await ps.store.linkByVendor(ps.portalId, ps.providerId, vendorId);
  const vendor = await ps.provider.getCustomer(vendorId);
  if (!vendor || vendor.isArchived) {
    if (!link) return 'skipped';
    await recordDeletion(deps.db, ps.portalId, 'accounting', link.objectType, link.hubspotId, vendorId, deps.now());
    return 'deleted';
  }
  if (link) {
    if (contentHash(vendorContent(vendor)) === link.vendorHash) {
      const associated = (await associateAfterParentOnlyChange(deps, ps, link, vendor)) || (await associateCompanyPersons(deps, ps, link, vendor)) > 0;
      return associated ? 'synced' : 'echo';
    }
    const hub = await deps.hubspot.read(ps.portalId, link.objectType, link.hubspotId);
    if (!hub) {
      await recordDeletion(deps.db, ps.portalId, 'hubspot', link.objectType, link.hubspotId, vendorId, deps.now());
      return 'deleted';
    }
    await syncPair(deps, ps, link.objectType, hub, vendor, 'accounting', log);
    await associateCompanyPersons(deps, ps, link, vendor);
    return 'synced';
  }
  if (
    !ps.rules.accountingToHubspot ||
    (await ps.store.contestedVendorIds(ps.portalId)).has(vendorId) ||
    (await ps.store.keptVendorIds(ps.portalId, ps.providerId)).has(vendorId)
  )
    return 'skipped';
  await deps.properties.ensure(ps.portalId);
  const objectType: ObjectType = vendor.kind === 'company' ? 'company' : 'contact';
  // A new person under a company the sync has not linked yet: the company first, so the person can be associated.
  const parent = objectType === 'contact' && ps.provider.capabilities.contactCompanyLink ? vendor.parentCompanyId : undefined;
  if (parent && !(await ps.store.linkByVendor(ps.portalId, ps.providerId, parent))) await syncFromAccounting(deps, ps, parent, log);
  const outcome = await planLive(deps, ps, objectType, undefined, vendor);
  return applyOutcome(deps, ps, objectType, outcome, undefined, log);
}

type Vendor = NonNullable<Awaited<ReturnType<PortalSync['provider']['getCustomer']>>>;

/** Plans the one record with every unlinked candidate both sides' searches find for its name. */
async function planLive(deps: SyncDeps, ps: PortalSync, objectType: ObjectType, hub: HubspotRecord | undefined, vendor: Vendor | undefined) {
  const content = hub?.content ?? vendorContent(vendor!);
  const [hubs, vendors] = await Promise.all([deps.hubspot.search(ps.portalId, objectType, content), vendorCandidates(ps.provider, objectType, content)]);
  const h = new Map<string, HubspotRecord>();
  for (const r of hubs) if (!(await ps.store.link(ps.portalId, objectType, r.id))) h.set(r.id, r);
  const v = new Map<string, Customer>();
  for (const c of vendors) if (!(await ps.store.linkByVendor(ps.portalId, ps.providerId, c.id))) v.set(c.id, c);
  if (hub) h.set(hub.id, hub);
  if (vendor) v.set(vendor.id, vendor);
  const outcomes = planPairs(
    objectType,
    [...h.values()],
    [...v.values()].map((c) => ({ id: c.id, content: vendorContent(c) })),
  );
  const mine = outcomes.find((o) => (hub ? involvesHubspot(o, hub.id) : involvesVendor(o, vendor!.id)));
  return { outcome: mine, hubs: h, vendors: v };
}

const involvesHubspot = (o: PlanOutcome, id: string) => ('hubspotId' in o && o.hubspotId === id) || ('hubspotIds' in o && o.hubspotIds.includes(id));
const involvesVendor = (o: PlanOutcome, id: string) => ('vendorId' in o && o.vendorId === id) || ('vendorIds' in o && o.vendorIds.includes(id));

async function applyOutcome(
  deps: SyncDeps,
  ps: PortalSync,
  objectType: ObjectType,
  planned: Awaited<ReturnType<typeof planLive>>,
  hub: HubspotRecord | undefined,
  log: Logger,
): Promise<LiveOutcome> {
  const o = planned.outcome;
  if (!o) return 'skipped';
  if (o.action === 'conflict') {
    const candidates = o.vendorIds
      .map((id) => planned.vendors.get(id)!)
      .map((c) => ({ vendorId: c.id, name: displayName(objectType, vendorContent(c)), email: vendorContent(c).email }));
    for (const hubspotId of o.hubspotIds)
      await ps.store.openConflict(ps.portalId, 'ambiguous', objectType, hubspotId, displayName(objectType, planned.hubs.get(hubspotId)!.content), candidates);
    log.info({ objectType, hubspotIds: o.hubspotIds, vendorIds: o.vendorIds }, 'sync conflict: several candidates');
    return 'conflict';
  }
  if (o.action === 'link') {
    await syncPair(deps, ps, objectType, planned.hubs.get(o.hubspotId)!, planned.vendors.get(o.vendorId)!, hub ? 'hubspot' : 'accounting', log, undefined);
    return 'linked';
  }
  if (o.action === 'create_vendor') {
    const source = planned.hubs.get(o.hubspotId)!;
    await createInVendor(deps, ps, objectType, source, log);
    return 'created';
  }
  const vendor = planned.vendors.get(o.vendorId)!;
  const content = vendorContent(vendor);
  let created: HubspotRecord;
  try {
    [created] = await deps.hubspot.create(ps.portalId, objectType, [hubspotProperties(objectType, content, fieldsOf(objectType))]);
  } catch (error) {
    const existingId = existingRecordId(error);
    if (!existingId) throw error;
    return linkExisting(deps, ps, objectType, vendor, existingId, log);
  }
  await ps.store.saveLink(ps.portalId, objectType, created.id, ps.providerId, vendor, created.content, content);
  if (ps.rules.accountingToHubspot) await associateVendorParent(deps, ps, objectType, created, vendor);
  log.info({ objectType, hubspotId: created.id, vendorId: vendor.id }, 'sync created the record in HubSpot');
  return 'created';
}

/** HubSpot refuses a second contact with the same e-mail and names the one that has it (409). */
function existingRecordId(error: unknown): string | undefined {
  if (!(error instanceof HubspotError) || error.status !== 409) return undefined;
  return /Existing ID: (\d+)/.exec(error.message)?.[1];
}

/**
 * The vendor's customer already exists in HubSpot under its e-mail (e.g. the link of an earlier run
 * was lost): link the two, unless that HubSpot record belongs to another customer — then ask.
 */
async function linkExisting(deps: SyncDeps, ps: PortalSync, objectType: ObjectType, vendor: Customer, hubspotId: string, log: Logger): Promise<LiveOutcome> {
  const hub = await deps.hubspot.read(ps.portalId, objectType, hubspotId);
  const taken = await ps.store.link(ps.portalId, objectType, hubspotId);
  if (!hub || taken) {
    const candidates = [{ vendorId: vendor.id, name: displayName(objectType, vendorContent(vendor)), email: vendorContent(vendor).email }];
    await ps.store.openConflict(ps.portalId, 'ambiguous', objectType, hubspotId, displayName(objectType, hub?.content ?? vendorContent(vendor)), candidates);
    log.info({ objectType, hubspotId, vendorId: vendor.id }, 'sync conflict: the e-mail belongs to a linked HubSpot record');
    return 'conflict';
  }
  await syncPair(deps, ps, objectType, hub, vendor, 'accounting', log, undefined);
  log.info({ objectType, hubspotId, vendorId: vendor.id }, 'sync linked the record HubSpot already had');
  return 'linked';
}

/** Creates the customer, links it, and brings back what the vendor added (its customer number). */
export async function createInVendor(
  deps: SyncDeps,
  ps: PortalSync,
  objectType: ObjectType,
  source: HubspotRecord,
  log: Logger,
  hubspotWrites?: HubspotWriteBatch,
): Promise<void> {
  const created = await ps.provider.createCustomer(customerFromContent(objectType, source.content, await parentCompanyId(ps, objectType, source)));
  log.info({ objectType, hubspotId: source.id, vendorId: created.id }, 'sync created the customer');
  await syncPair(deps, ps, objectType, source, created, 'hubspot', log, baseAfterCreate(source.content, vendorContent(created), 'accounting'), hubspotWrites);
}
