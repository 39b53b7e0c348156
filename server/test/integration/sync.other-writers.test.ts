/**
 * Another integration writing the contacts and companies we sync (issue 17): HubSpot names the app behind each
 * API change in its webhook events (`changeSource: INTEGRATION`, `sourceId`), so the settings answer names the
 * apps that changed synced fields of linked records and how often. Our own writes never count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob, pollNow } from './sync.helpers';

describe('other integrations writing synced contacts and companies', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let crmApp: HubspotUser;
  let enrichmentApp: HubspotUser;
  const link = (objectType: 'contact' | 'company', id: string) => syncJob(t).store().link(t.portalId, objectType, id);
  const otherWriters = async () => (await (await t.signedFetch('/api/v1/settings')).json()).otherWriters;
  const poll = () => pollNow(t);

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    const url = sandboxes.list()[0].url;
    // The user edits in HubSpot's UI; two other apps write with their own tokens.
    user = new HubspotUser(sandboxes.hubspot, url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    crmApp = new HubspotUser(sandboxes.hubspot, url, t.portalId, sandboxes.hubspot.issuePrivateAppToken(undefined, 3_141_592));
    enrichmentApp = new HubspotUser(sandboxes.hubspot, url, t.portalId, sandboxes.hubspot.issuePrivateAppToken(undefined, 2_718_281));
    await activateBusinessPlus(t);
    await connectVendor(t, 'sevdesk');
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('warns of nothing while only the user and APIUP itself change the synced records', async () => {
    const contactId = user.create('contacts', {
      firstname: 'Hannelore',
      lastname: 'Überschär-Kößling',
      email: 'hannelore.ueberschaer@baeckerei-koessling.example',
      city: 'Görlitz',
    });
    const companyId = user.create('companies', { name: 'Bäckerei Kößling & Söhne Großhandel GmbH', city: 'Görlitz', zip: '02826' });
    await settleSync(t);
    await poll();
    const vendor = (await t.services.connections.providerFor(t.portalId))!.provider;
    const { vendorId } = (await link('contact', contactId))!;
    expect(await link('company', companyId)).toBeDefined();
    // An edit in the accounting system: APIUP writes it to HubSpot with its own token.
    const current = (await vendor.getCustomer(vendorId))!;
    await vendor.updateCustomer(vendorId, { ...current, phone: '+49 3581 764210' }, current.version);
    await poll();
    expect((await user.api('GET', `/crm/v3/objects/contacts/${contactId}?properties=phone`)).properties.phone).toBe('+49 3581 764210');
    user.update('contacts', contactId, { city: 'Zittau' });
    await settleSync(t);
    expect(await otherWriters()).toEqual([]);
  });

  it('names each other app that changed synced fields of linked records, with how often in 7 and 30 days', async () => {
    const contactId = user.create('contacts', {
      firstname: 'Friedrich-Wilhelm',
      lastname: 'Großkopf-Ängelholm',
      email: 'fw.grosskopf@moebelhaus-aengelholm.example',
    });
    const companyId = user.create('companies', { name: 'Möbelhaus Ängelholm Großkopf GmbH & Co. KG', city: 'Lüneburg' });
    await settleSync(t);
    expect(await link('contact', contactId)).toBeDefined();
    expect(await link('company', companyId)).toBeDefined();

    await crmApp.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { phone: '+49 4131 220455', city: 'Lüneburg' } });
    await crmApp.api('PATCH', `/crm/v3/objects/companies/${companyId}`, { properties: { city: 'Hamburg' } });
    await enrichmentApp.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { phone: '+49 4131 220456' } });
    // Not counted: a property the sync does not map, and a record the app created itself (no link yet).
    await enrichmentApp.api('PATCH', `/crm/v3/objects/companies/${companyId}`, { properties: { website: 'https://moebelhaus-aengelholm.example' } });
    await enrichmentApp.api('POST', '/crm/v3/objects/contacts', { properties: { firstname: 'Zoë', lastname: 'Ölmüller', email: 'zoe.oelmueller@example.de' } });
    await settleSync(t);

    expect(await otherWriters()).toEqual([
      expect.objectContaining({
        sourceId: '3141592',
        last7Days: 3,
        last30Days: 3,
        lastObjectType: 'company',
        lastObjectId: companyId,
        lastPropertyName: 'city',
      }),
      expect.objectContaining({
        sourceId: '2718281',
        last7Days: 1,
        last30Days: 1,
        lastObjectType: 'contact',
        lastObjectId: contactId,
        lastPropertyName: 'phone',
      }),
    ]);
    // The changes themselves are synced as any other HubSpot change.
    const vendor = (await t.services.connections.providerFor(t.portalId))!.provider;
    expect((await vendor.getCustomer((await link('contact', contactId))!.vendorId))?.phone?.replace(/\s/g, '')).toBe('+494131220456');
  });

  it('counts each change once when HubSpot delivers a batch twice', async () => {
    const before = await otherWriters();
    const contactId = user.create('contacts', { firstname: 'Käthe', lastname: 'Düsterhöft', email: 'kaethe.duesterhoeft@example.de' });
    await settleSync(t);
    t.sandboxes!.hubspot.setWebhookSwitches({ duplicate: true });
    try {
      await crmApp.api('PATCH', `/crm/v3/objects/contacts/${contactId}`, { properties: { zip: '21335' } });
      await settleSync(t);
    } finally {
      t.sandboxes!.hubspot.setWebhookSwitches({ duplicate: false });
    }
    const crm = (await otherWriters()).find((s: { sourceId: string }) => s.sourceId === '3141592');
    expect(crm.last30Days).toBe(before.find((s: { sourceId: string }) => s.sourceId === '3141592').last30Days + 1);
  });
});
