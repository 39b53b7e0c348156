/**
 * Issue 19: an e-mail, phone or address edited in sevDesk itself (its `CommunicationWay` and
 * `ContactAddress` resources, which keep their own change times) reaches HubSpot with the next poll,
 * although `Contact?updateAfter` does not list the contact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, pollNow } from './sync.helpers';

describe('sevDesk edits of e-mail, phone and address reach HubSpot', () => {
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
    // The user's own calls to sevDesk, as its web app or another integration would make them.
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
  /** The records were made ten minutes ago: outside the poll's cursor overlap (poll.ts `cursorOverlapMs`). */
  const age = (vendorId: string) => {
    const store = (t.sandboxes!.vendors.sevdesk.sandbox as any).store as {
      contacts: Map<string, { updatedMs: number }>;
      ways: Map<string, { contactId: string; updatedMs: number }>;
      addresses: Map<string, { contactId: string; updatedMs: number }>;
    };
    store.contacts.get(vendorId)!.updatedMs -= 600_000;
    for (const item of [...store.ways.values(), ...store.addresses.values()]) if (item.contactId === vendorId) item.updatedMs -= 600_000;
  };
  const contactProperties = async (id: string) => (await user.api('GET', `/crm/v3/objects/contacts/${id}?properties=email,phone,city,zip,address`)).properties;

  it('takes an e-mail and a phone number changed on their CommunicationWay to HubSpot', async () => {
    const contactId = user.create('contacts', {
      firstname: 'Hannelore',
      lastname: 'Schäfer-Großkopf',
      email: 'hannelore.schaefer@baeckerei-hoelzl.de',
      phone: '+49 89 1234567',
    });
    await settleSync(t);
    const { vendorId } = (await syncJob(t).store().link(t.portalId, 'contact', contactId))!;
    age(vendorId);
    await poll();
    const [contactBefore] = (await sevdesk('GET', `/Contact/${vendorId}`)).objects;
    const ways = (await sevdesk('GET', `/CommunicationWay?contact[id]=${vendorId}&contact[objectName]=Contact`)).objects as Array<{ id: string; type: string }>;
    const email = ways.find((w) => w.type === 'EMAIL')!;
    const phone = ways.find((w) => w.type === 'PHONE')!;
    await sevdesk('PUT', `/CommunicationWay/${email.id}`, { value: 'h.schaefer-grosskopf@hoelzl-soehne-grosshandel.de' });
    await sevdesk('PUT', `/CommunicationWay/${phone.id}`, { value: '+49 89 7654321' });
    // The witness: the contact's own change time did not move, so `Contact?updateAfter` misses the edit.
    expect((await sevdesk('GET', `/Contact/${vendorId}`)).objects[0].update).toBe(contactBefore.update);

    await poll();
    const properties = await contactProperties(contactId);
    expect(properties.email).toBe('h.schaefer-grosskopf@hoelzl-soehne-grosshandel.de');
    expect(properties.phone.replace(/\s/g, '')).toBe('+49897654321');
  });

  it('takes an address changed on its ContactAddress to HubSpot', async () => {
    const contactId = user.create('contacts', {
      firstname: 'Jürgen',
      lastname: 'Müller-Lüdenscheidt',
      email: 'juergen.mueller@example.de',
      address: 'Hauptstraße 1',
      zip: '10115',
      city: 'Berlin',
      country: 'DE',
    });
    await settleSync(t);
    const { vendorId } = (await syncJob(t).store().link(t.portalId, 'contact', contactId))!;
    age(vendorId);
    await poll();
    const [address] = (await sevdesk('GET', `/ContactAddress?contact[id]=${vendorId}&contact[objectName]=Contact`)).objects as Array<{ id: string }>;
    await sevdesk('PUT', `/ContactAddress/${address.id}`, { street: 'Königsallee 92a', zip: '40212', city: 'Düsseldorf' });

    await poll();
    expect(await contactProperties(contactId)).toMatchObject({ address: 'Königsallee 92a', zip: '40212', city: 'Düsseldorf' });
  });
});
