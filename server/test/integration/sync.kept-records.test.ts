/**
 * Issue 19: a lexoffice contact whose HubSpot record the user deleted stays in lexoffice (its API
 * can neither delete nor archive a contact: no DELETE, `archived` read-only) and must never come back
 * into HubSpot: not with the "ignore" rule, not after a confirmed mass deletion with "mirror". The
 * settings page lists the customers kept that way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider } from '../../src/accounting/provider';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, pollNow } from './sync.helpers';

describe('customers kept in lexoffice after a HubSpot deletion', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: AccountingProvider;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const credentials = (sandboxes.vendors.lexoffice.sandbox as { credentials: Record<string, string> }).credentials;
    await connectVendor(t, 'lexoffice');
    await activateBusinessPlus(t);
    vendor = t.services.connections.build('lexoffice', credentials);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const setRules = async (sync: Record<string, unknown>) =>
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { sync } })).status).toBe(200);
  const store = () => syncJob(t).store();
  const poll = () => pollNow(t);
  const kept = async () =>
    (await (await t.signedFetch('/api/v1/settings/sync/kept')).json()) as {
      provider: string;
      kept: Array<{ vendorId: string; name: string; hubspotId: string }>;
    };

  it('keeps a contact deleted in HubSpot under "ignore" in lexoffice without importing it again', async () => {
    await setRules({ deletion: { fromHubspot: 'ignore', fromAccounting: 'ignore' } });
    const contactId = user.create('contacts', {
      firstname: 'Hannelore',
      lastname: 'Wagenknecht-Übelhör',
      email: 'hannelore.wagenknecht@baeckerei-hoelzl.de',
      city: 'Würzburg',
    });
    await settleSync(t);
    const { vendorId } = (await store().link(t.portalId, 'contact', contactId))!;
    await poll();

    await user.api('DELETE', `/crm/v3/objects/contacts/${contactId}`);
    await settleSync(t, { expediteDeletions: true });
    await poll();
    await poll();

    expect(await vendor.getCustomer(vendorId)).not.toBeNull();
    expect(await store().linkByVendor(t.portalId, 'lexoffice', vendorId)).toBeUndefined();
    expect(await kept()).toEqual({
      provider: 'lexoffice',
      kept: [expect.objectContaining({ vendorId, hubspotId: contactId, name: 'Hannelore Wagenknecht-Übelhör' })],
    });
  });

  it('keeps every contact of a confirmed mass deletion with "mirror" in lexoffice without re-creating one', async () => {
    await setRules({ deletion: { fromHubspot: 'mirror', fromAccounting: 'ignore' } });
    const names = ['Müller-Lüdenscheidt', 'Schäfer-Großkopf', 'Özdemir-Bäumer', 'Jäger-Fröhlich'];
    const contactIds = names.map((lastname, i) => user.create('contacts', { firstname: ['Jürgen', 'Renate', 'Aylin', 'Björn'][i], lastname }));
    await settleSync(t);
    const vendorIds = await Promise.all(contactIds.map(async (id) => (await store().link(t.portalId, 'contact', id))!.vendorId));
    await poll();

    for (const id of contactIds) await user.api('DELETE', `/crm/v3/objects/contacts/${id}`);
    await settleSync(t, { expediteDeletions: true });
    const { notices } = await (await t.signedFetch('/api/v1/settings/conflicts')).json();
    expect(notices).toContainEqual(expect.objectContaining({ kind: 'mass_delete' }));
    expect((await t.signedFetch('/api/v1/settings/sync/deletions/confirm', { method: 'POST' })).status).toBe(200);
    await settleSync(t);
    await poll();
    await poll();

    for (const vendorId of vendorIds) {
      expect(await vendor.getCustomer(vendorId)).not.toBeNull();
      expect(await store().linkByVendor(t.portalId, 'lexoffice', vendorId)).toBeUndefined();
    }
    expect((await kept()).kept.map((k) => k.vendorId)).toEqual(expect.arrayContaining(vendorIds));
  });

  it('links a kept customer again when the user creates the contact in HubSpot anew, and no longer lists it as kept', async () => {
    const [{ vendorId }] = (await kept()).kept;
    const customer = (await vendor.getCustomer(vendorId))!;
    const contactId = user.create('contacts', { firstname: customer.firstName!, lastname: customer.lastName! });
    await settleSync(t);
    expect((await store().link(t.portalId, 'contact', contactId))?.vendorId).toBe(vendorId);
    expect((await kept()).kept.map((k) => k.vendorId)).not.toContain(vendorId);
  });
});
