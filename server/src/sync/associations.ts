/**
 * Contact ↔ company, both ways, where the vendor keeps a person under a company
 * (`capabilities.contactCompanyLink`; sevDesk `Contact.parent`, accounting.md §2.3):
 * - vendor → HubSpot: a person under a company the sync has linked is associated with that HubSpot company
 *   (v4 "associate with default label", PUT /crm/v4/objects/contacts/{id}/associations/default/companies/{id});
 * - HubSpot → vendor: a contact associated with a linked company gets that company as its parent in the vendor.
 * The side whose change is being synced wins where the two disagree; HubSpot may keep several companies, so a
 * vendor parent is added there, never swapped for another.
 */
import type { Customer } from '../accounting/provider';
import type { ObjectType } from './content';
import type { PortalSync, SyncDeps } from './context';
import type { HubspotRecord } from './hubspot-side';
import type { LinkRow } from './store';
import type { Side } from './merge';

/** The HubSpot company linked to the vendor's parent of this person, when HubSpot lacks the association. */
export async function missingHubspotCompany(
  ps: PortalSync,
  objectType: ObjectType,
  hub: Pick<HubspotRecord, 'companyIds'>,
  vendor: Customer,
): Promise<string | undefined> {
  if (objectType !== 'contact' || !ps.provider.capabilities.contactCompanyLink || !vendor.parentCompanyId) return undefined;
  const link = await ps.store.linkByVendor(ps.portalId, ps.providerId, vendor.parentCompanyId);
  if (!link || link.objectType !== 'company' || hub.companyIds.includes(link.hubspotId)) return undefined;
  return link.hubspotId;
}

/**
 * Whether the vendor's parent must change to the HubSpot company (`parent`, the vendor id of the contact's linked
 * HubSpot company): HubSpot has one, and the vendor has none or (for a HubSpot-side change) another.
 */
export function vendorParentOutdated(
  ps: PortalSync,
  objectType: ObjectType,
  vendor: Customer,
  parent: string | undefined,
  trigger: Side,
  hubspotLacksVendorParent: boolean,
): boolean {
  if (objectType !== 'contact' || !ps.provider.capabilities.contactCompanyLink || !parent || vendor.parentCompanyId === parent) return false;
  if (!vendor.parentCompanyId) return true;
  return trigger === 'hubspot' && hubspotLacksVendorParent;
}

/** Adds the association vendor → HubSpot; returns whether one was made. */
export async function associateVendorParent(
  deps: SyncDeps,
  ps: PortalSync,
  objectType: ObjectType,
  hub: Pick<HubspotRecord, 'id' | 'companyIds'>,
  vendor: Customer,
): Promise<boolean> {
  const companyId = await missingHubspotCompany(ps, objectType, hub, vendor);
  if (!companyId) return false;
  await deps.hubspot.associateContactWithCompany(ps.portalId, hub.id, companyId);
  return true;
}

/**
 * A vendor change that left the person's fields as they were synced (a hash echo) may still have moved the person
 * under a company: bexio keeps that link as a separate contact relation, so the person's own record does not change.
 * Reads HubSpot only where the vendor names a linked company.
 */
export async function associateAfterParentOnlyChange(
  deps: SyncDeps,
  ps: PortalSync,
  link: Pick<LinkRow, 'objectType' | 'hubspotId'>,
  vendor: Customer,
): Promise<boolean> {
  if (link.objectType !== 'contact' || !ps.rules.accountingToHubspot || !(await missingHubspotCompany(ps, 'contact', { companyIds: [] }, vendor))) return false;
  const hub = await deps.hubspot.read(ps.portalId, 'contact', link.hubspotId);
  return hub ? associateVendorParent(deps, ps, 'contact', hub, vendor) : false;
}

/**
 * Vendor → HubSpot from the company's side, where the vendor keeps its people inside the company (lexoffice
 * `contactPersons`, `Customer.personIds`): each linked contact among them gets the association with the company.
 * Returns how many were made.
 */
export async function associateCompanyPersons(
  deps: SyncDeps,
  ps: PortalSync,
  link: Pick<LinkRow, 'objectType' | 'hubspotId'>,
  vendor: Customer,
): Promise<number> {
  if (link.objectType !== 'company' || !ps.rules.accountingToHubspot || !ps.provider.capabilities.contactCompanyLink) return 0;
  let made = 0;
  for (const personId of vendor.personIds ?? []) {
    const person = await ps.store.linkByVendor(ps.portalId, ps.providerId, personId);
    if (person?.objectType !== 'contact') continue;
    const hub = await deps.hubspot.read(ps.portalId, 'contact', person.hubspotId);
    if (!hub || hub.companyIds.includes(link.hubspotId)) continue;
    await deps.hubspot.associateContactWithCompany(ps.portalId, hub.id, link.hubspotId);
    made++;
  }
  return made;
}
