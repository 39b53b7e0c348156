/**
 * Issue 14: a contact deleted "GDPR-compliantly" in HubSpot (`POST /crm/v3/objects/contacts/gdpr-delete`;
 * HubSpot then sends `contact.privacyDeletion` and `contact.deletion`) is forgotten by APIUP — link, merge
 * bases, pending deletions, conflicts, kept records and every stored webhook event naming it — and its
 * accounting customer is kept, anonymised or deleted as the portal's `gdprVendorAction` says.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, ProviderId } from '../../src/accounting/provider';
import { customerLinks, jobs, syncKeptRecords, syncLinkFields, webhookEvents } from '../../src/db/schema';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { activateBusinessPlus, connectVendor, vendorProbe } from '../helpers/vendors';
import { settleSync, syncJob, pollNow } from './sync.helpers';

const people = [
  {
    firstname: 'Hannelore',
    lastname: 'Wagenknecht-Übelhör',
    email: 'hannelore.wagenknecht@baeckerei-hoelzl.de',
    phone: '+49 931 4711 0815',
    address: 'Kürschnerhof 12',
    zip: '97070',
    city: 'Würzburg',
    country: 'DE',
  },
  {
    firstname: 'Jörg-Thorsten',
    lastname: 'Großkopf-Schäfer',
    email: 'joerg.grosskopf@muehlenbaeckerei-schaefer.de',
    phone: '+49 89 2323 4545',
    address: 'Schäfflerstraße 7',
    zip: '80333',
    city: 'München',
    country: 'DE',
  },
  {
    firstname: 'Ülkü',
    lastname: 'Özdemir-Bäumer',
    email: 'uelkue.oezdemir@feinkost-baeumer.de',
    phone: '+49 221 9988 7766',
    address: 'Hohe Straße 101',
    zip: '50667',
    city: 'Köln',
    country: 'DE',
  },
];

describe.each<ProviderId>(['lexoffice', 'sevdesk'])('a GDPR deletion of a contact in HubSpot (%s)', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: AccountingProvider;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const { credentials } = vendorProbe(sandboxes, providerId);
    await connectVendor(t, providerId);
    await activateBusinessPlus(t);
    vendor = t.services.connections.build(providerId, credentials);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const store = () => syncJob(t).store();
  const poll = () => pollNow(t);
  const setGdpr = async (gdprVendorAction: string) => {
    const { rules } = await (await t.signedFetch('/api/v1/settings')).json();
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { sync: { ...rules.sync, gdprVendorAction } } })).status).toBe(200);
  };
  /** A synced contact with several stored events (creation, property changes), and its accounting customer. */
  const syncedContact = async (person: (typeof people)[number]) => {
    const contactId = user.create('contacts', person);
    await settleSync(t);
    await user.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { phone: `${person.phone} 9` } });
    await settleSync(t);
    const link = await store().link(t.portalId, 'contact', contactId);
    expect(link, 'the contact is linked before the deletion').toBeDefined();
    return { contactId, vendorId: link!.vendorId };
  };
  const gdprDelete = async (contactId: string) => {
    await user.api('POST', '/crm/v3/objects/contacts/gdpr-delete', { objectId: contactId });
    await settleSync(t, { expediteDeletions: true });
  };
  const eventsNaming = (contactId: string) =>
    t.db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.portalId, t.portalId), eq(webhookEvents.objectId, contactId)))
      .orderBy(webhookEvents.id);

  it('forgets the contact and keeps the accounting customer by default, without importing it again', async () => {
    const { contactId, vendorId } = await syncedContact(people[0]);
    const before = await vendor.getCustomer(vendorId);
    expect((await eventsNaming(contactId)).length).toBeGreaterThan(2);

    await gdprDelete(contactId);
    await poll();
    await poll();

    expect((await t.db.select().from(jobs).where(eq(jobs.name, 'sync.privacy-deletion')).orderBy(jobs.id)).map((j) => j.state)).toEqual(['succeeded']);
    expect(await store().link(t.portalId, 'contact', contactId)).toBeUndefined();
    expect(await t.db.select().from(syncLinkFields).where(eq(syncLinkFields.hubspotId, contactId))).toEqual([]);
    // Only the privacy deletion itself stays: ids only, the record that HubSpot asked and we did it.
    expect((await eventsNaming(contactId)).map((e) => e.subscriptionType)).toEqual(['contact.privacyDeletion']);
    const after = await vendor.getCustomer(vendorId);
    expect(after).toMatchObject({ lastName: before!.lastName, firstName: before!.firstName, email: before!.email });
    // Remembered by vendor id alone, so the poll leaves it in the accounting system and out of HubSpot.
    expect(await t.db.select().from(syncKeptRecords).where(eq(syncKeptRecords.vendorId, vendorId))).toEqual([
      expect.objectContaining({ hubspotId: '', name: '' }),
    ]);
    expect(await store().linkByVendor(t.portalId, providerId, vendorId)).toBeUndefined();
    const inHubspot = await user.api('POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'lastname', operator: 'EQ', value: people[0].lastname }] }],
    });
    expect(inHubspot.total).toBe(0);
  });

  it('anonymises the accounting customer when the portal says so: no name, e-mail, phone or street of the person is left', async () => {
    await setGdpr('anonymise');
    const { contactId, vendorId } = await syncedContact(people[1]);

    await gdprDelete(contactId);
    await poll();

    const after = (await vendor.getCustomer(vendorId))!;
    const stored = JSON.stringify(after);
    for (const value of [people[1].firstname, people[1].lastname, people[1].email, people[1].address, people[1].zip, 'München', '2323 4545'])
      expect(stored).not.toContain(value);
    expect(after).toMatchObject({ firstName: 'Anonymisiert', lastName: 'DSGVO', address: { countryCode: 'DE' } });
    expect(after.email).toMatch(/@geloescht\.invalid$/);
    expect((await eventsNaming(contactId)).map((e) => e.subscriptionType)).toEqual(['contact.privacyDeletion']);
    expect(await t.db.select().from(customerLinks).where(eq(customerLinks.hubspotId, contactId))).toEqual([]);
  });

  it('deletes the accounting customer where the vendor can, and anonymises it where it cannot', async () => {
    await setGdpr('delete');
    const { contactId, vendorId } = await syncedContact(people[2]);

    await gdprDelete(contactId);
    await poll();

    const after = await vendor.getCustomer(vendorId);
    if (vendor.capabilities.customerDeletion === 'delete') expect(after).toBeNull();
    else expect(after).toMatchObject({ firstName: 'Anonymisiert', lastName: 'DSGVO' });
    expect(await store().link(t.portalId, 'contact', contactId)).toBeUndefined();
    expect((await eventsNaming(contactId)).map((e) => e.subscriptionType)).toEqual(['contact.privacyDeletion']);
  });

  it('runs once per contact when HubSpot delivers the privacy deletion twice', async () => {
    t.sandboxes!.hubspot.setWebhookSwitches({ duplicate: true });
    try {
      const contactId = user.create('contacts', { firstname: 'Björn', lastname: 'Lüdenscheidt-Krämer', email: 'bjoern.luedenscheidt@kraemerei.de' });
      await settleSync(t);
      await gdprDelete(contactId);
      const runs = (await t.db.select().from(jobs).where(eq(jobs.name, 'sync.privacy-deletion')).orderBy(jobs.id)).filter(
        (j) => (j.payload as { hubspotId: string }).hubspotId === contactId,
      );
      expect(runs).toHaveLength(1);
    } finally {
      t.sandboxes!.hubspot.setWebhookSwitches({ duplicate: false });
    }
  });
});
