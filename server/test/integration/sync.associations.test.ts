/**
 * Contact ↔ company both ways (issue 17): a person sevDesk keeps under a company (`Contact.parent`) is
 * associated with that company in HubSpot, and a HubSpot contact associated with a company gets it as its
 * parent in sevDesk. bexio's contact relations: sync.associations.bexio.test.ts; Lexware Office and Qonto keep no
 * link between a person contact and a company contact (capabilities.contactCompanyLink).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, pollNow, hubspotCompaniesOf } from './sync.helpers';

describe('sevDesk person ↔ company and HubSpot contact ↔ company', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let sevdesk: (method: string, path: string, body?: unknown) => Promise<any>;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const entry = sandboxes.vendors.sevdesk;
    const credentials = (entry.sandbox as { credentials: Record<string, string> }).credentials;
    await connectVendor(t, 'sevdesk');
    await activateBusinessPlus(t);
    // The user's own calls to sevDesk, as its web app would make them.
    sevdesk = async (method, path, body) => {
      const response = await fetch(`${entry.url}/api/v1${path}`, {
        method,
        headers: { authorization: credentials.apiToken, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return response.json();
    };
  });

  afterAll(async () => {
    await t?.stop();
  });

  const poll = () => pollNow(t);
  const companiesOf = (contactId: string) => hubspotCompaniesOf(user, contactId);

  it('associates a person created under a company in sevDesk with that company in HubSpot', async () => {
    const company = await sevdesk('POST', '/Contact', { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', category: { id: 3, objectName: 'Category' } });
    const person = await sevdesk('POST', '/Contact', {
      surename: 'Jörg',
      familyname: 'Hölzl-Übermuth',
      parent: { id: Number(company.id), objectName: 'Contact' },
      category: { id: 3, objectName: 'Category' },
    });
    await poll();
    const store = syncJob(t).store();
    const companyLink = await store.linkByVendor(t.portalId, 'sevdesk', String(company.id));
    const personLink = await store.linkByVendor(t.portalId, 'sevdesk', String(person.id));
    expect(companyLink?.objectType).toBe('company');
    expect(personLink?.objectType).toBe('contact');
    expect(await companiesOf(personLink!.hubspotId)).toEqual([companyLink!.hubspotId]);
  });

  it('gives a HubSpot contact associated with a company that company as its parent in sevDesk', async () => {
    const companyId = user.create('companies', { name: 'Schreinerei Größenwahn & Töchter KG', city: 'Würzburg', country: 'DE' });
    await settleSync(t);
    const contactId = user.create('contacts', { firstname: 'Änne', lastname: 'Größenwahn', email: 'aenne.groessenwahn@schreinerei-groessenwahn.example' });
    user.associate('contacts', contactId, 'companies', companyId);
    await settleSync(t);
    const store = syncJob(t).store();
    const companyVendorId = (await store.link(t.portalId, 'company', companyId))!.vendorId;
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    const [person] = (await sevdesk('GET', `/Contact/${personVendorId}`)).objects;
    expect(person.parent).toMatchObject({ id: companyVendorId, objectName: 'Contact' });
  });

  it('adds the sevDesk company in HubSpot when the person changes there, keeping the companies HubSpot has', async () => {
    const other = user.create('companies', { name: 'Konditorei Süßwaren Öztürk GmbH', city: 'Köln', country: 'DE' });
    const contactId = user.create('contacts', { firstname: 'Ömer', lastname: 'Öztürk-Schäfer', email: 'oemer.oeztuerk@konditorei-oeztuerk.example' });
    await settleSync(t);
    const company = await sevdesk('POST', '/Contact', { name: 'Großbäckerei Öztürk Holding AG', category: { id: 3, objectName: 'Category' } });
    await poll();
    const store = syncJob(t).store();
    const companyHubspotId = (await store.linkByVendor(t.portalId, 'sevdesk', String(company.id)))!.hubspotId;
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    user.associate('contacts', contactId, 'companies', other);
    await settleSync(t);
    // In sevDesk the person moves under the holding and gets a new description: the poll sees the change.
    await sevdesk('PUT', `/Contact/${personVendorId}`, { parent: { id: Number(company.id), objectName: 'Contact' }, familyname: 'Öztürk' });
    (t.sandboxes!.vendors.sevdesk.sandbox as any).store.contacts.get(personVendorId).updatedMs += 60_000;
    await poll();
    expect((await companiesOf(contactId)).sort()).toEqual([companyHubspotId, other].sort());
  });

  it('follows an association made later in HubSpot: the person moves under that company in sevDesk', async () => {
    const companyId = user.create('companies', { name: 'Metzgerei Weißwurst & Brezn GmbH', city: 'München', country: 'DE' });
    const contactId = user.create('contacts', { firstname: 'Sepp', lastname: 'Weißgerber', email: 'sepp.weissgerber@metzgerei-weisswurst.example' });
    await settleSync(t);
    const store = syncJob(t).store();
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    expect((await sevdesk('GET', `/Contact/${personVendorId}`)).objects[0].parent ?? null).toBeNull();
    // Only the association changes: the contact's fields stay as they were synced.
    user.associate('contacts', contactId, 'companies', companyId);
    await settleSync(t);
    const [person] = (await sevdesk('GET', `/Contact/${personVendorId}`)).objects;
    expect(person.parent).toMatchObject({ id: (await store.link(t.portalId, 'company', companyId))!.vendorId, objectName: 'Contact' });
  });
});
