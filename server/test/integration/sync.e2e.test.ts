import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerIds, type AccountingProvider } from '../../src/accounting/provider';
import { customerKeyOf } from '../../src/lib/keyed-lock';
import { contentHash } from '../../src/sync/content';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, vendorWrites, hubspotWrites, pollNow } from './sync.helpers';

let seq = 0;
const unique = (name: string) => `${name}${++seq}`;

describe.each(providerIds)('contact and company sync through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: AccountingProvider;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    // A private app's token: the user's deletions through it are not our own changes.
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const credentials = (sandboxes.vendors[providerId].sandbox as { credentials: Record<string, string> }).credentials;
    await connectVendor(t, providerId);
    await activateBusinessPlus(t);
    vendor = t.services.connections.build(providerId, credentials);
    sandboxes.hubspot.recorder.enabled = true;
    (sandboxes.vendors[providerId].sandbox.recorder as { enabled: boolean }).enabled = true;
  });

  afterAll(async () => {
    await t?.stop();
  });

  const setRules = async (sync: Record<string, unknown>) =>
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { sync } })).status).toBe(200);
  const link = (objectType: 'contact' | 'company', id: string) => syncJob(t).store().link(t.portalId, objectType, id);
  const poll = () => pollNow(t);

  beforeEach(async () => {
    await setRules({ deletion: { fromHubspot: 'ignore', fromAccounting: 'ignore' } });
  });

  it('creates a contact made in HubSpot in the accounting system, once, and nothing comes back', async () => {
    const last = unique('Mustermann');
    const writesBefore = vendorWrites(t, providerId);
    const contactId = user.create('contacts', {
      firstname: 'Erika',
      lastname: last,
      email: `erika.${seq}@example.de`,
      city: 'Berlin',
      zip: '10115',
      address: 'Hauptstraße 1',
      country: 'DE',
    });
    await settleSync(t);
    const linked = (await link('contact', contactId))!;
    expect(linked).toBeDefined();
    const customer = await vendor.getCustomer(linked.vendorId);
    expect(customer).toMatchObject({ kind: 'person', firstName: 'Erika', lastName: last, email: `erika.${seq}@example.de` });
    expect(vendorWrites(t, providerId)).toBeGreaterThan(writesBefore);

    const [vendorAfter, hubspotAfter] = [vendorWrites(t, providerId), hubspotWrites(t)];
    await poll();
    await poll();
    expect(vendorWrites(t, providerId)).toBe(vendorAfter);
    expect(hubspotWrites(t)).toBe(hubspotAfter);
  });

  it('takes an edit in HubSpot to the accounting system with one update and no echo', async () => {
    const contactId = user.create('contacts', { firstname: 'Max', lastname: unique('Beispiel'), email: `max.${seq}@example.de` });
    await settleSync(t);
    const { vendorId } = (await link('contact', contactId))!;
    const [vendorBefore, hubspotBefore] = [vendorWrites(t, providerId), hubspotWrites(t)];
    user.update('contacts', contactId, { phone: '+49 30 1234567' });
    await settleSync(t);
    await poll();
    // The same number; a vendor may store it in its own format (Qonto: "+49 301234567").
    expect((await vendor.getCustomer(vendorId))?.phone?.replace(/\s/g, '')).toBe('+49301234567');
    if (providerId === 'lexoffice') expect(vendorWrites(t, providerId) - vendorBefore).toBe(1);
    else expect(vendorWrites(t, providerId)).toBeGreaterThan(vendorBefore);
    expect(hubspotWrites(t)).toBe(hubspotBefore);
  });

  it('takes an edit in the accounting system to HubSpot with one batch update and no echo', async () => {
    const contactId = user.create('contacts', { firstname: 'Lena', lastname: unique('Vendor'), email: `lena.${seq}@example.de` });
    await settleSync(t);
    const { vendorId } = (await link('contact', contactId))!;
    await poll();
    const current = (await vendor.getCustomer(vendorId))!;
    await vendor.updateCustomer(vendorId, { ...current, address: { ...current.address, city: 'Hamburg' } }, current.version);
    const [vendorBefore, hubspotBefore] = [vendorWrites(t, providerId), hubspotWrites(t)];
    await poll();
    expect((await user.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=city`)).properties.city).toBe('Hamburg');
    expect(hubspotWrites(t) - hubspotBefore).toBe(1);
    await settleSync(t);
    await poll();
    expect(vendorWrites(t, providerId)).toBe(vendorBefore);
    expect(hubspotWrites(t) - hubspotBefore).toBe(1);
  });

  it("merges a linked pair from one side at a time: the accounting side's run waits for the HubSpot record's lock", async () => {
    const contactId = user.create('contacts', { firstname: 'Jürgen', lastname: unique('Müller-Lüdenscheidt'), email: `juergen.${seq}@example.de` });
    await settleSync(t);
    const { vendorId } = (await link('contact', contactId))!;
    await poll();
    const current = (await vendor.getCustomer(vendorId))!;
    await vendor.updateCustomer(vendorId, { ...current, address: { ...current.address, city: 'Garmisch-Partenkirchen' } }, current.version);
    const city = async () => (await user.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=city`)).properties.city;
    // What the HubSpot side's job for this contact holds while it merges the pair.
    await t.services.sync.deps.customerLock.run(customerKeyOf(t.portalId, 'contact', contactId), async () => {
      await t.queue.enqueue(syncJob(t, 'sync.poll'), { portalId: t.portalId });
      t.worker.poke();
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await city()).not.toBe('Garmisch-Partenkirchen');
    });
    await settleSync(t);
    expect(await city()).toBe('Garmisch-Partenkirchen');
  });

  const hubspotEmail = async (contactId: string) => (await user.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=email`)).properties.email;

  it('keeps an e-mail changed in the accounting system when a later HubSpot edit of the contact is synced first', async () => {
    const tag = unique('');
    const contactId = user.create('contacts', {
      firstname: 'Jürgen',
      lastname: `Müller-Lüdenscheidt${tag}`,
      email: `juergen.mueller${tag}@maschinenbau-stuttgart.example`,
      city: 'Stuttgart',
    });
    await settleSync(t);
    await poll();
    const { vendorId } = (await link('contact', contactId))!;
    const current = (await vendor.getCustomer(vendorId))!;
    const newEmail = `j.mueller${tag}@maschinenbau-stuttgart.example`;
    await vendor.updateCustomer(vendorId, { ...current, email: newEmail }, current.version);
    // The user edits another field in HubSpot before the vendor's change is picked up: HubSpot's event is synced first.
    user.update('contacts', contactId, { phone: '+49 711 9876543' });
    await settleSync(t);
    await poll();
    expect((await vendor.getCustomer(vendorId))?.email).toBe(newEmail);
    expect((await vendor.getCustomer(vendorId))?.phone?.replace(/\s/g, '')).toBe('+497119876543');
    expect(await hubspotEmail(contactId)).toBe(newEmail);
  });

  it('takes an e-mail changed in the accounting system to HubSpot on "sync now", and a later HubSpot edit does not revert it', async () => {
    const tag = unique('');
    const contactId = user.create('contacts', {
      firstname: 'Käthe',
      lastname: `Österreicher-Weißgerber${tag}`,
      email: `kaethe${tag}@weissgerberei-muenchen.example`,
    });
    await settleSync(t);
    await poll();
    const { vendorId } = (await link('contact', contactId))!;
    const current = (await vendor.getCustomer(vendorId))!;
    const newEmail = `k.oesterreicher${tag}@weissgerberei-muenchen.example`;
    await vendor.updateCustomer(vendorId, { ...current, email: newEmail }, current.version);
    // The contact card's "sync now" (as the demo does): it runs the HubSpot side at once and the vendor side too.
    expect((await t.signedFetch(`/api/v1/contacts/${contactId}/sync`, { method: 'POST' })).status).toBe(202);
    await settleSync(t);
    await poll();
    expect(await hubspotEmail(contactId)).toBe(newEmail);
    expect((await vendor.getCustomer(vendorId))?.email).toBe(newEmail);
    // The link holds HubSpot's whole record after our write (not the update's answer), so our echo is recognised.
    const read = await t.services.sync.deps.hubspot.read(t.portalId, 'contact', contactId);
    expect((await link('contact', contactId))!.hubspotHash).toBe(contentHash(read!.content));

    user.update('contacts', contactId, { city: 'München' });
    await settleSync(t);
    await poll();
    expect(await hubspotEmail(contactId)).toBe(newEmail);
    expect(await vendor.getCustomer(vendorId)).toMatchObject({ email: newEmail, address: expect.objectContaining({ city: 'München' }) });
  });

  it('matches "Müller, Jürgen" with "jürgen mueller" and "ACME GmbH" with "Acme" instead of creating', async () => {
    const tag = unique('');
    const person = await vendor.createCustomer({ kind: 'person', firstName: 'jürgen', lastName: `mueller${tag}` });
    const company = await vendor.createCustomer({ kind: 'company', companyName: `Acme${tag}` });
    const contactId = user.create('contacts', { lastname: `Müller${tag}, Jürgen` });
    const companyId = user.create('companies', { name: `ACME${tag} GmbH` });
    await settleSync(t);
    expect((await link('contact', contactId))?.vendorId).toBe(person.id);
    expect((await link('company', companyId))?.vendorId).toBe(company.id);
  });

  it('leaves two HubSpot contacts with the same name as a conflict, not a link', async () => {
    const last = unique('Schmidt');
    const existing = await vendor.createCustomer({ kind: 'person', firstName: 'Anna', lastName: last });
    const a = user.create('contacts', { firstname: 'Anna', lastname: last });
    const b = user.create('contacts', { firstname: 'Anna', lastname: last });
    await settleSync(t);
    expect(await link('contact', a)).toBeUndefined();
    expect(await link('contact', b)).toBeUndefined();
    const { conflicts } = await (await t.signedFetch('/api/v1/settings/conflicts')).json();
    const mine = conflicts.filter((c: { hubspotId: string }) => [a, b].includes(c.hubspotId));
    expect(mine).toHaveLength(2);
    expect(mine[0].candidates).toEqual([expect.objectContaining({ vendorId: existing.id })]);
    const card = await (await t.signedFetch(`/api/v1/contacts/${a}/sync`)).json();
    expect(card.conflict.candidates[0].vendorId).toBe(existing.id);

    const resolved = await t.signedFetch(`/api/v1/settings/conflicts/${mine.find((c: { hubspotId: string }) => c.hubspotId === a).id}/resolve`, {
      method: 'POST',
      body: { vendorId: existing.id },
    });
    expect(resolved.status).toBe(200);
    expect((await link('contact', a))?.vendorId).toBe(existing.id);
  });

  it('ignores a HubSpot deletion when the rule says ignore, and mirrors it when the rule says mirror', async () => {
    const kept = user.create('contacts', { firstname: 'Ida', lastname: unique('Ignore') });
    const mirrored = user.create('contacts', { firstname: 'Mia', lastname: unique('Mirror') });
    await settleSync(t);
    const keptVendor = (await link('contact', kept))!.vendorId;
    const mirroredVendor = (await link('contact', mirrored))!.vendorId;
    await user.api('DELETE', `/crm/v3/objects/contacts/${kept}`);
    await settleSync(t, { expediteDeletions: true });
    expect(await vendor.getCustomer(keptVendor)).not.toBeNull();
    expect(await link('contact', kept)).toBeUndefined();

    await setRules({ deletion: { fromHubspot: 'mirror', fromAccounting: 'ignore' } });
    await user.api('DELETE', `/crm/v3/objects/contacts/${mirrored}`);
    await settleSync(t, { expediteDeletions: true });
    expect(await link('contact', mirrored)).toBeUndefined();
    const { notices } = await (await t.signedFetch('/api/v1/settings/conflicts')).json();
    if (vendor.capabilities.customerDeletion === 'none') {
      expect(await vendor.getCustomer(mirroredVendor)).not.toBeNull();
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'deletion_unsupported', hubspotId: mirrored }));
    } else {
      expect(await vendor.getCustomer(mirroredVendor)).toBeNull();
    }
  });

  it.runIf(providerId === 'sevdesk')('mirrors a deletion in the accounting system to HubSpot when the rule says mirror', async () => {
    await setRules({ deletion: { fromHubspot: 'ignore', fromAccounting: 'mirror' } });
    const contactId = user.create('contacts', { firstname: 'Olga', lastname: unique('Gone') });
    await settleSync(t);
    await poll();
    await vendor.deleteCustomer((await link('contact', contactId))!.vendorId);
    await poll();
    await settleSync(t, { expediteDeletions: true });
    expect(await link('contact', contactId)).toBeUndefined();
    const read = await fetch(new URL(`/crm/v3/objects/contacts/${contactId}`, t.sandboxes!.list()[0].url), {
      headers: { authorization: `Bearer ${t.sandboxes!.hubspot.installDemoPortal().accessToken}` },
    });
    expect(read.status).toBe(404);
  });

  it('shows the link on the contact card and answers 404-free but empty for another portal', async () => {
    const contactId = user.create('contacts', { firstname: 'Card', lastname: unique('View') });
    await settleSync(t);
    const card = await (await t.signedFetch(`/api/v1/contacts/${contactId}/sync`)).json();
    expect(card.link).toMatchObject({ provider: providerId, vendorId: (await link('contact', contactId))!.vendorId });
    const other = await (await t.signedFetch(`/api/v1/contacts/${contactId}/sync`, { portalId: '999' })).json();
    expect(other.link).toBeNull();
  });

  it("sent HubSpot only requests that HubSpot's OpenAPI documents accept", () => {
    const { problems, unmatched } = checkHubspotExchanges(t.sandboxes!.hubspot.recorder.exchanges);
    expect(unmatched).toEqual([]);
    expect(problems.filter((p) => p.direction === 'request')).toEqual([]);
  });
});
