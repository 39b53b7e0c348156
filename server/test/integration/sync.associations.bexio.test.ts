/**
 * Contact ↔ company both ways through bexio (issue 17): a person linked to a company by a contact relation
 * (`/2.0/contact_relation`, company `contact_id`, person `contact_sub_id`) is associated with that company in
 * HubSpot, and a HubSpot contact associated with a company gets a relation to it in bexio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, pollNow, hubspotCompaniesOf } from './sync.helpers';

describe('bexio contact relations and HubSpot contact ↔ company', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let bexio: (method: string, path: string, body?: unknown) => Promise<any>;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const entry = sandboxes.vendors.bexio;
    const credentials = (entry.sandbox as { credentials: Record<string, string> }).credentials;
    await connectVendor(t, 'bexio');
    await activateBusinessPlus(t);
    // The user's own calls to bexio, as its web app would make them.
    bexio = async (method, path, body) => {
      const response = await fetch(`${entry.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${credentials.accessToken}`, accept: 'application/json', 'content-type': 'application/json' },
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
  const relationsOf = async (personVendorId: string): Promise<Array<{ contact_id: number; contact_sub_id: number }>> =>
    bexio('POST', '/2.0/contact_relation/search', [{ field: 'contact_sub_id', value: personVendorId, criteria: '=' }]);
  const contact = (fields: Record<string, unknown>) => bexio('POST', '/2.0/contact', { user_id: 1, owner_id: 1, ...fields });

  it('associates a person related to a company in bexio with that company in HubSpot', async () => {
    const company = await contact({ contact_type_id: 1, name_1: 'Käserei Müller-Thurgau & Söhne AG', city: 'Weinfelden' });
    const person = await contact({ contact_type_id: 2, name_1: 'Zürcher-Bösch', name_2: 'Margrit', mail: 'margrit.zuercher@kaeserei-mueller.example' });
    await bexio('POST', '/2.0/contact_relation', { contact_id: company.id, contact_sub_id: person.id, description: 'Geschäftsführerin' });
    await poll();
    const store = syncJob(t).store();
    const companyLink = await store.linkByVendor(t.portalId, 'bexio', String(company.id));
    const personLink = await store.linkByVendor(t.portalId, 'bexio', String(person.id));
    expect(companyLink?.objectType).toBe('company');
    expect(personLink?.objectType).toBe('contact');
    expect(await companiesOf(personLink!.hubspotId)).toEqual([companyLink!.hubspotId]);
  });

  it('relates a HubSpot contact associated with a company to that company in bexio', async () => {
    const companyId = user.create('companies', { name: 'Schreinerei Hürlimann & Töchter GmbH', city: 'Luzern', country: 'CH' });
    await settleSync(t);
    const contactId = user.create('contacts', { firstname: 'Anna-Lena', lastname: 'Hürlimann', email: 'anna-lena.huerlimann@schreinerei-huerlimann.example' });
    user.associate('contacts', contactId, 'companies', companyId);
    await settleSync(t);
    const store = syncJob(t).store();
    const companyVendorId = (await store.link(t.portalId, 'company', companyId))!.vendorId;
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    expect((await relationsOf(personVendorId)).map((r) => String(r.contact_id))).toEqual([companyVendorId]);
  });

  it('follows an association made later in HubSpot with one relation, and a second sync adds none', async () => {
    const companyId = user.create('companies', { name: 'Confiserie Sprüngli-Ähnlich Zürich AG', city: 'Zürich', country: 'CH' });
    const contactId = user.create('contacts', { firstname: 'Röbi', lastname: 'Bärtschi', email: 'roebi.baertschi@confiserie-zuerich.example' });
    await settleSync(t);
    const store = syncJob(t).store();
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    expect(await relationsOf(personVendorId)).toEqual([]);
    user.associate('contacts', contactId, 'companies', companyId);
    await settleSync(t);
    await poll();
    user.update('contacts', contactId, { phone: '+41 44 211 53 47' });
    await settleSync(t);
    const relations = await relationsOf(personVendorId);
    expect(relations.map((r) => String(r.contact_id))).toEqual([(await store.link(t.portalId, 'company', companyId))!.vendorId]);
  });

  it('adds the company of a relation made later in bexio in HubSpot, keeping the companies HubSpot has', async () => {
    const other = user.create('companies', { name: 'Metzgerei Grüninger-Schnyder GmbH', city: 'Bern', country: 'CH' });
    const contactId = user.create('contacts', { firstname: 'Urs', lastname: 'Schnyder-Grüninger', email: 'urs.schnyder@metzgerei-grueninger.example' });
    user.associate('contacts', contactId, 'companies', other);
    await settleSync(t);
    const holding = await contact({ contact_type_id: 1, name_1: 'Grüninger Fleischwaren Holding AG', city: 'Thun' });
    await poll();
    const store = syncJob(t).store();
    const holdingHubspotId = (await store.linkByVendor(t.portalId, 'bexio', String(holding.id)))!.hubspotId;
    const personVendorId = (await store.link(t.portalId, 'contact', contactId))!.vendorId;
    // Only the relation is new in bexio: the person's own record stays as it was.
    await bexio('POST', '/2.0/contact_relation', { contact_id: holding.id, contact_sub_id: Number(personVendorId), description: 'Einkauf' });
    await poll();
    expect((await companiesOf(contactId)).sort()).toEqual([holdingHubspotId, other].sort());
  });
});
