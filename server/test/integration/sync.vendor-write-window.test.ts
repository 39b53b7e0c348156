/**
 * A sevDesk user's edit that lands while the sync writes the same customer (sevDesk has no optimistic
 * locking): after our PUT, before we read the customer back. The read-back holds their edit, but HubSpot
 * does not; the link must not record it as synced, or the next poll takes the customer for our own echo
 * and the edit never reaches HubSpot (seen in `npm run chaos`: HubSpot "Vorname15 Nachname1810" vs
 * sevDesk "Vendor1789 Nachname1810").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { hubspotWrites, pollNow, settleSync, syncJob, vendorWrites } from './sync.helpers';

interface StoredContact {
  surename?: string;
  familyname?: string;
  updatedMs: number;
}

describe('a sevDesk edit made while the sync writes the customer', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let store: { contacts: Map<string, StoredContact>; timestamp(): number };

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const entry = sandboxes.vendors.sevdesk;
    await connectVendor(t, 'sevdesk');
    await activateBusinessPlus(t);
    store = (entry.sandbox as unknown as { store: typeof store }).store;
    // For the write counts (sync.helpers.ts `hubspotWrites`, `vendorWrites`).
    sandboxes.hubspot.recorder.enabled = true;
    (entry.sandbox.recorder as { enabled: boolean }).enabled = true;
  });

  afterAll(async () => {
    await t?.stop();
  });

  /**
   * Once `ours` is true of the contact, i.e. right after the sevDesk emulator applied our `PUT /Contact`
   * and before it answers (it stamps the change last), a user's edit lands: deterministic, no timing.
   */
  function userEditsRightAfterOurWrite(vendorId: string, ours: (c: StoredContact) => boolean, edit: (c: StoredContact) => void): { done: () => boolean } {
    const original = store.timestamp.bind(store);
    let done = false;
    store.timestamp = () => {
      const contact = store.contacts.get(vendorId);
      if (!done && contact && ours(contact)) {
        done = true;
        edit(contact);
        store.timestamp = original;
      }
      return original();
    };
    return { done: () => done };
  }

  const hubspotName = async (id: string) => {
    const { properties } = await user.api('GET', `/crm/v3/objects/contacts/${id}?properties=firstname,lastname`);
    return `${properties.firstname} ${properties.lastname}`;
  };
  const vendorName = (vendorId: string) => {
    const c = store.contacts.get(vendorId)!;
    return `${c.surename} ${c.familyname}`;
  };

  async function linkedContact(n: number): Promise<{ contactId: string; vendorId: string }> {
    const contactId = user.create('contacts', { firstname: `Vorname${n}`, lastname: `Chaos1x${n}`, email: `c${n}@t${t.portalId}.example` });
    await settleSync(t);
    const { vendorId } = (await syncJob(t).store().link(t.portalId, 'contact', contactId))!;
    expect(vendorName(vendorId)).toBe(`Vorname${n} Chaos1x${n}`);
    return { contactId, vendorId };
  }

  it('takes a first name saved in sevDesk during our write to HubSpot, with a later HubSpot edit in between', async () => {
    const { contactId, vendorId } = await linkedContact(15);
    const injected = userEditsRightAfterOurWrite(
      vendorId,
      (c) => c.familyname === 'Nachname1777',
      (c) => (c.surename = 'Vendor1789'),
    );
    user.update('contacts', contactId, { lastname: 'Nachname1777' });
    await settleSync(t);
    expect(injected.done()).toBe(true);
    expect(vendorName(vendorId)).toBe('Vendor1789 Nachname1777');

    // Another last-name edit in HubSpot, synced before any poll: a different field, no conflict.
    user.update('contacts', contactId, { lastname: 'Nachname1810' });
    await settleSync(t);
    await pollNow(t);

    expect(vendorName(vendorId)).toBe('Vendor1789 Nachname1810');
    expect(await hubspotName(contactId)).toBe('Vendor1789 Nachname1810');
    // Converged: a further edit-free round writes nothing on either side (no echo loop).
    const before = [hubspotWrites(t), vendorWrites(t, 'sevdesk')];
    await pollNow(t);
    await pollNow(t);
    expect([hubspotWrites(t), vendorWrites(t, 'sevdesk')]).toEqual(before);
  });

  it('converges when the user saves what they read before our write (their stale last name overwrites ours)', async () => {
    const { contactId, vendorId } = await linkedContact(16);
    const injected = userEditsRightAfterOurWrite(
      vendorId,
      (c) => c.familyname === 'Nachname2001',
      (c) => {
        c.surename = 'Vendor1999';
        c.familyname = 'Chaos1x16';
      },
    );
    user.update('contacts', contactId, { lastname: 'Nachname2001' });
    await settleSync(t);
    expect(injected.done()).toBe(true);
    await pollNow(t);

    // sevDesk's last write wins: HubSpot takes the customer as sevDesk now holds it.
    expect(vendorName(vendorId)).toBe('Vendor1999 Chaos1x16');
    expect(await hubspotName(contactId)).toBe('Vendor1999 Chaos1x16');
    const before = [hubspotWrites(t), vendorWrites(t, 'sevdesk')];
    await pollNow(t);
    expect([hubspotWrites(t), vendorWrites(t, 'sevdesk')]).toEqual(before);
  });
});
