/**
 * Contact ↔ company both ways through Lexware Office (issue 17): a company contact keeps its person inside it
 * (`company.contactPersons`, at most one through the API); the person contact with that e-mail address is linked to
 * it. A HubSpot contact associated with a company becomes that company's contact person, and a person the user puts
 * into a company in Lexware is associated with it in HubSpot, as the contact events arrive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, hubspotCompaniesOf } from './sync.helpers';

describe('Lexware Office contact persons and HubSpot contact ↔ company', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let lexoffice: (method: string, path: string, body?: unknown) => Promise<any>;
  const sandbox = () => t.sandboxes!.vendors.lexoffice.sandbox as any;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const entry = sandboxes.vendors.lexoffice;
    const credentials = (entry.sandbox as { credentials: Record<string, string> }).credentials;
    await activateBusinessPlus(t);
    await connectVendor(t, 'lexoffice');
    await t.queue.waitFor(`accounting-events:${t.portalId}`, 'succeeded');
    // The user's own calls to Lexware; 2 requests a second (accounting.md §1.2), so a 429 is waited out.
    lexoffice = async (method, path, body) => {
      let response: Response;
      do {
        response = await fetch(`${entry.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, 600));
      } while (response.status === 429);
      expect(response.status).toBeLessThan(300);
      return response.json();
    };
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** Delivers Lexware's pending contact events and waits until each named customer's sync job is done. */
  const synced = async (...vendorIds: string[]) => {
    await sandbox().flushEvents();
    for (const vendorId of vendorIds) {
      await t.queue.expedite(`sync-vendor:${t.portalId}:${vendorId}`);
      t.worker.poke();
      await t.queue.waitFor(`sync-vendor:${t.portalId}:${vendorId}`, 'succeeded', 20_000);
    }
    await settleSync(t);
  };
  const companiesOf = (contactId: string) => hubspotCompaniesOf(user, contactId);
  const person = (firstName: string, lastName: string, email: string) => ({
    version: 0,
    roles: { customer: {} },
    person: { firstName, lastName },
    emailAddresses: { business: [email] },
  });

  it('makes a HubSpot contact associated with a company that company’s contact person in Lexware', async () => {
    const companyId = user.create('companies', { name: 'Stadtwerke Bad Säckingen – Eigenbetrieb Wasserversorgung', city: 'Bad Säckingen', country: 'DE' });
    await settleSync(t);
    const contactId = user.create('contacts', { firstname: 'Jürgen', lastname: 'Weißenbühler', email: 'juergen.weissenbuehler@stadtwerke-saeckingen.example' });
    user.associate('contacts', contactId, 'companies', companyId);
    await settleSync(t);
    const store = syncJob(t).store();
    const company = await lexoffice('GET', `/v1/contacts/${(await store.link(t.portalId, 'company', companyId))!.vendorId}`);
    expect(company.company.contactPersons).toEqual([
      expect.objectContaining({
        firstName: 'Jürgen',
        lastName: 'Weißenbühler',
        emailAddress: 'juergen.weissenbuehler@stadtwerke-saeckingen.example',
        primary: true,
      }),
    ]);
    // The person stays a contact of its own in Lexware, linked to the HubSpot contact.
    const personContact = await lexoffice('GET', `/v1/contacts/${(await store.link(t.portalId, 'contact', contactId))!.vendorId}`);
    expect(personContact.person).toMatchObject({ lastName: 'Weißenbühler' });
  });

  it('associates a person contact with the company that keeps it as contact person in Lexware', async () => {
    const email = 'margarete.koenigsbruecker@baeckerei-hoelzl.example';
    const company = await lexoffice('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      company: {
        name: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
        contactPersons: [{ firstName: 'Margarete', lastName: 'Königsbrücker', primary: true, emailAddress: email }],
      },
      addresses: { billing: [{ street: 'Schönhauser Allee 112', zip: '10439', city: 'Berlin', countryCode: 'DE' }] },
    });
    const created = await lexoffice('POST', '/v1/contacts', person('Margarete', 'Königsbrücker', email));
    await synced(company.id, created.id);
    const store = syncJob(t).store();
    const companyLink = (await store.linkByVendor(t.portalId, 'lexoffice', company.id))!;
    const personLink = (await store.linkByVendor(t.portalId, 'lexoffice', created.id))!;
    expect([companyLink.objectType, personLink.objectType]).toEqual(['company', 'contact']);
    expect(await companiesOf(personLink.hubspotId)).toEqual([companyLink.hubspotId]);
  });

  it('follows a contact person added later in Lexware: the person is associated, nothing else changes', async () => {
    const email = 'oemer.oeztuerk-schaefer@konditorei-oeztuerk.example';
    const company = await lexoffice('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      company: { name: 'Konditorei Süßwaren Öztürk GmbH' },
      emailAddresses: { business: ['buchhaltung@konditorei-oeztuerk.example'] },
    });
    const created = await lexoffice('POST', '/v1/contacts', person('Ömer', 'Öztürk-Schäfer', email));
    await synced(company.id, created.id);
    const store = syncJob(t).store();
    const personLink = (await store.linkByVendor(t.portalId, 'lexoffice', created.id))!;
    expect(await companiesOf(personLink.hubspotId)).toEqual([]);
    // In Lexware the user names Ömer as the company's contact person: only the company changes.
    const current = await lexoffice('GET', `/v1/contacts/${company.id}`);
    await lexoffice('PUT', `/v1/contacts/${company.id}`, {
      ...current,
      company: { ...current.company, contactPersons: [{ firstName: 'Ömer', lastName: 'Öztürk-Schäfer', primary: true, emailAddress: email }] },
    });
    await synced(company.id);
    expect(await companiesOf(personLink.hubspotId)).toEqual([(await store.linkByVendor(t.portalId, 'lexoffice', company.id))!.hubspotId]);
  });

  it('leaves a company’s own contact person in place: the API keeps one, so the HubSpot association stays HubSpot’s', async () => {
    const company = await lexoffice('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      company: {
        name: 'Metzgerei Weißwurst & Brezn GmbH',
        contactPersons: [{ firstName: 'Sepp', lastName: 'Huber', primary: true, emailAddress: 'sepp.huber@metzgerei-weisswurst.example' }],
      },
    });
    await synced(company.id);
    const store = syncJob(t).store();
    const companyHubspotId = (await store.linkByVendor(t.portalId, 'lexoffice', company.id))!.hubspotId;
    const contactId = user.create('contacts', { firstname: 'Resi', lastname: 'Weißgerber', email: 'resi.weissgerber@metzgerei-weisswurst.example' });
    user.associate('contacts', contactId, 'companies', companyHubspotId);
    await settleSync(t);
    const after = await lexoffice('GET', `/v1/contacts/${company.id}`);
    expect(after.company.contactPersons.map((p: { lastName: string }) => p.lastName)).toEqual(['Huber']);
    expect(await companiesOf(contactId)).toEqual([companyHubspotId]);
  });
});
