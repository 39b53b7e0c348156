/**
 * A HubSpot user deleted a contact "GDPR-compliantly" (permanently; HubSpot then sends
 * `contact.privacyDeletion`, and a plain `contact.deletion` besides: hubspot.md §5,
 * https://developers.hubspot.com/changelog/now-live-webhooks-now-support-privacy-compliant-contact-deletions).
 * We forget everything we keep about that contact, and do to its accounting customer what the portal's
 * `gdprVendorAction` says.
 *
 * Default `keep`: the accounting customer is the basis of issued invoices, which German law makes the
 * seller keep for ten years (§147 AO, §257 HGB), and GDPR Art. 17(3)(b) exempts data kept for a legal
 * obligation; deleting or blanking a bookkeeping record is the portal owner's decision, not ours.
 */
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { isProviderError } from '../accounting/errors';
import type { AccountingProvider, Customer, CustomerInput } from '../accounting/provider';
import type { Dialect } from '../db/client';
import { customerLinks, syncConflicts, syncDeletions, syncKeptRecords, syncLinkFields, webhookEvents } from '../db/schema';
import type { SyncDeps } from './context';
import type { GdprVendorAction } from './settings';

export interface PrivacyDeletionOutcome {
  /** What happened to each accounting customer the contact was linked to. */
  vendor: Array<{ vendorId: string; done: 'kept' | 'anonymised' | 'deleted' | 'archived' | 'gone' | 'refused' }>;
  /** Stored HubSpot webhook events that named the contact, now deleted. */
  eventsRemoved: number;
}

/** Safe to repeat: every step either finds nothing left or does the same again. */
export async function forgetContact(deps: SyncDeps, portalId: string, hubspotId: string, log: Logger): Promise<PrivacyDeletionOutcome> {
  const vendorIds = await linkedVendorIds(deps, portalId, hubspotId);
  const connected = await deps.connections.providerFor(portalId);
  const action = (await deps.settings.get(portalId)).sync.gdprVendorAction;
  const vendor: PrivacyDeletionOutcome['vendor'] = [];
  // The vendor first: if it fails, the job retries with our rows (and so the vendor ids) still there.
  if (connected) for (const vendorId of vendorIds) vendor.push({ vendorId, done: await applyToVendor(connected.provider, vendorId, action, log) });
  const eventsRemoved = await deps.db.transaction(async (tx) => {
    const contact = (t: typeof customerLinks | typeof syncLinkFields | typeof syncDeletions | typeof syncConflicts) =>
      and(eq(t.portalId, portalId), eq(t.objectType, 'contact'), eq(t.hubspotId, hubspotId));
    await tx.delete(customerLinks).where(contact(customerLinks));
    await tx.delete(syncLinkFields).where(contact(syncLinkFields));
    await tx.delete(syncDeletions).where(contact(syncDeletions));
    await tx.delete(syncConflicts).where(contact(syncConflicts));
    await tx
      .delete(syncKeptRecords)
      .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.objectType, 'contact'), eq(syncKeptRecords.hubspotId, hubspotId)));
    // A customer that stays in the accounting system must not come back into HubSpot with the next poll:
    // it is remembered as kept, by its vendor id alone (no name, no HubSpot id).
    if (connected) {
      for (const { vendorId, done } of vendor) {
        if (done !== 'kept' && done !== 'anonymised' && done !== 'refused') continue;
        const row = { vendorId, objectType: 'contact' as const, hubspotId: '', name: '', keptAt: deps.now() };
        await tx
          .insert(syncKeptRecords)
          .values({ portalId, provider: connected.id, ...row })
          .onConflictDoUpdate({ target: [syncKeptRecords.portalId, syncKeptRecords.provider, syncKeptRecords.vendorId], set: row });
      }
    }
    const removed = await tx
      .delete(webhookEvents)
      .where(and(eq(webhookEvents.portalId, portalId), ne(webhookEvents.subscriptionType, 'contact.privacyDeletion'), namesContact(tx.dialect, hubspotId)))
      .returning({ id: webhookEvents.id });
    return removed.length;
  });
  log.info({ portalId, vendorCustomers: vendor.length, action, eventsRemoved }, 'contact forgotten after a privacy deletion');
  return { vendor, eventsRemoved };
}

/** The accounting customers this contact was linked to: the live link, a pending deletion, a kept record. */
async function linkedVendorIds(deps: SyncDeps, portalId: string, hubspotId: string): Promise<string[]> {
  const { db } = deps;
  const ids = new Set<string>();
  const [link] = await db
    .select({ vendorId: customerLinks.vendorId })
    .from(customerLinks)
    .where(and(eq(customerLinks.portalId, portalId), eq(customerLinks.objectType, 'contact'), eq(customerLinks.hubspotId, hubspotId)))
    .limit(1);
  if (link) ids.add(link.vendorId);
  const deletions = await db
    .select({ vendorId: syncDeletions.vendorId })
    .from(syncDeletions)
    .where(and(eq(syncDeletions.portalId, portalId), eq(syncDeletions.objectType, 'contact'), eq(syncDeletions.hubspotId, hubspotId)));
  for (const d of deletions) ids.add(d.vendorId);
  const kept = await db
    .select({ vendorId: syncKeptRecords.vendorId })
    .from(syncKeptRecords)
    .where(and(eq(syncKeptRecords.portalId, portalId), eq(syncKeptRecords.objectType, 'contact'), eq(syncKeptRecords.hubspotId, hubspotId)))
    .orderBy(syncKeptRecords.keptAt, syncKeptRecords.vendorId);
  for (const k of kept) ids.add(k.vendorId);
  return [...ids];
}

/**
 * Stored contact events that name the contact: as the object, either side of an association, or a
 * merge's primary, new or merged record (classic `contact.*` and generic `object.*` with `0-1`).
 * The payload is JSON text on SQLite and `jsonb` on PostgreSQL: the JSON functions differ.
 */
function namesContact(dialect: Dialect, hubspotId: string) {
  const payload = webhookEvents.payload;
  const pg = dialect === 'postgres';
  // The value as text, a number (HubSpot's ids) as its digits.
  const member = (name: string) => (pg ? sql`(${payload} ->> ${name})` : sql`cast(json_extract(${payload}, ${`$.${name}`}) as text)`);
  const field = (name: string) => sql`${member(name)} = ${hubspotId}`;
  const merged = pg
    ? sql`exists (select 1 from jsonb_array_elements_text(case when jsonb_typeof(${payload} -> 'mergedObjectIds') = 'array' then ${payload} -> 'mergedObjectIds' else '[]'::jsonb end) as m(value) where m.value = ${hubspotId})`
    : sql`exists (select 1 from json_each(${payload}, '$.mergedObjectIds') where cast(value as text) = ${hubspotId})`;
  const isContactEvent = or(sql`${webhookEvents.subscriptionType} like 'contact.%'`, sql`${member('objectTypeId')} = '0-1'`);
  const associated = sql`${webhookEvents.subscriptionType} like '%.associationChange'`;
  return or(
    and(isContactEvent, or(eq(webhookEvents.objectId, hubspotId), field('primaryObjectId'), field('newObjectId'), merged)),
    and(associated, or(field('fromObjectId'), field('toObjectId'))),
  );
}

/**
 * A refusal the vendor will repeat (validation, forbidden) must not keep our own copy alive: the
 * contact is forgotten here all the same and the refusal logged; an outage is retried by the job.
 */
async function applyToVendor(
  provider: AccountingProvider,
  vendorId: string,
  action: GdprVendorAction,
  log: Logger,
): Promise<PrivacyDeletionOutcome['vendor'][number]['done']> {
  if (action === 'keep') return 'kept';
  try {
    return await changeAtVendor(provider, vendorId, action);
  } catch (error) {
    if (!isProviderError(error) || error.retryable) throw error;
    log.warn({ vendorId, action, kind: error.kind }, 'accounting system refused the privacy deletion');
    return 'refused';
  }
}

async function changeAtVendor(
  provider: AccountingProvider,
  vendorId: string,
  action: Exclude<GdprVendorAction, 'keep'>,
): Promise<PrivacyDeletionOutcome['vendor'][number]['done']> {
  const customer = await provider.getCustomer(vendorId);
  if (!customer) return 'gone';
  if (action === 'delete' && provider.capabilities.customerDeletion !== 'none') {
    const result = await provider.deleteCustomer(vendorId);
    if (result !== 'unsupported') return result;
    // The vendor refused (e.g. sevDesk while documents reference the contact): blank it instead.
  }
  await provider.updateCustomer(vendorId, anonymised(customer, vendorId), customer.version);
  return 'anonymised';
}

/**
 * What stays of a person in the accounting system: placeholders, never empty fields, because the
 * vendors' updates keep a field that is left out (lexoffice and sevDesk keep phone and e-mail; the
 * integration test shows it): a placeholder name, an undeliverable e-mail on the reserved `.invalid`
 * domain (RFC 2606 §2), phone "0", and the address reduced to its country. The customer number stays:
 * it is the vendor's key, not personal data. bexio and Qonto are not covered by a test (UNCONFIRMED
 * that their update overwrites every field given).
 */
export function anonymised(customer: Customer, vendorId: string): CustomerInput {
  return {
    kind: customer.kind,
    ...(customer.kind === 'company' ? { companyName: 'Anonymisiert (DSGVO)' } : { firstName: 'Anonymisiert', lastName: 'DSGVO' }),
    email: `anonymisiert-${vendorId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40)}@geloescht.invalid`,
    phone: '0',
    ...(customer.address?.countryCode
      ? { address: { street: 'Anonymisiert', zip: '00000', city: 'Anonymisiert', countryCode: customer.address.countryCode } }
      : {}),
    ...(customer.customerNumber ? { customerNumber: customer.customerNumber } : {}),
  };
}
