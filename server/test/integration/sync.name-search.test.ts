/**
 * Issue 19: the candidate search on the accounting side finds every customer the matching rule
 * (sync/matching.ts) would match, whichever name field and order the customer keeps the name in and
 * however umlauts are spelled in first AND last name. Each HubSpot contact below must be linked to
 * the one customer made for it beforehand, never created a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type AccountingProvider } from '../../src/accounting/provider';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { settleSync, syncJob } from './sync.helpers';

const surnames = [
  'Müller',
  'Schäfer',
  'Gößling',
  'Hölzl',
  'Köhler',
  'Bäumer',
  'Schröder',
  'Krüger',
  'Häußler',
  'Böhm',
  'Günther',
  'Löffler',
  'Büttner',
  'Fröhlich',
  'Dürr',
  'Jäger',
];
const spelledOut = (name: string) => name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');

/** How the accounting system keeps "Jürgen <surname>". */
const vendorForms: Array<[string, (s: string) => { firstName?: string; lastName: string }]> = [
  ['first and last name in their fields', (s) => ({ firstName: 'Jürgen', lastName: s })],
  ['"Müller, Jürgen" in the last-name field, first name empty', (s) => ({ lastName: `${s}, Jürgen` })],
  ['"Jürgen Müller" in the last-name field, first name empty', (s) => ({ lastName: `Jürgen ${s}` })],
  ['both names spelled out ("Juergen", "Mueller")', (s) => ({ firstName: 'Juergen', lastName: spelledOut(s) })],
];

/** How the HubSpot contact names him. */
const hubspotForms: Array<[string, (s: string) => Record<string, string>]> = [
  ['first and last name', (s) => ({ firstname: 'Jürgen', lastname: s })],
  ['"Müller, Jürgen" as last name', (s) => ({ lastname: `${s}, Jürgen` })],
  ['both names spelled out', (s) => ({ firstname: 'Juergen', lastname: spelledOut(s) })],
  ['the whole name as first name', (s) => ({ firstname: `Jürgen ${s}` })],
];

describe.each(providerIds)('candidate search through the %s sandbox', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: AccountingProvider;

  beforeAll(async () => {
    t = await startTestApiup();
    const sandboxes = t.sandboxes!;
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    const credentials = (sandboxes.vendors[providerId].sandbox as { credentials: Record<string, string> }).credentials;
    await connectVendor(t, providerId);
    await activateBusinessPlus(t);
    vendor = t.services.connections.build(providerId, credentials);
    // The customers below stand for ones that were there before the install. lexoffice would announce each with
    // a contact.created event, and the vendor side of the sync could then make a HubSpot contact of its own
    // before the test's contact exists (two matches: nothing linked) — a race, and sync.lexoffice-events' subject.
    if (providerId === 'lexoffice') {
      expect((await t.queue.waitFor(`accounting-events:${t.portalId}`, ['succeeded', 'dead'], 20_000)).state).toBe('succeeded');
      (sandboxes.vendors.lexoffice.sandbox as unknown as { events: { subscriptions: Map<string, unknown> } }).events.subscriptions.clear();
    }
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('links every spelling and field layout of "Jürgen Müller" to the customer that has it', async () => {
    const cases: Array<{ label: string; vendorId: string; contactId?: string }> = [];
    let n = 0;
    for (const [vendorLabel, vendorForm] of vendorForms) {
      // Qonto refuses a person client without first_name (422 "first_name can't be blank").
      if (providerId === 'qonto' && !vendorForm('x').firstName) continue;
      for (const [hubspotLabel, hubspotForm] of hubspotForms) {
        const surname = surnames[n++];
        const customer = await vendor.createCustomer({ kind: 'person', ...vendorForm(surname) });
        cases.push({ label: `${vendorLabel} ← ${hubspotLabel} (${surname})`, vendorId: customer.id, contactId: JSON.stringify(hubspotForm(surname)) });
      }
    }
    for (const c of cases) c.contactId = user.create('contacts', JSON.parse(c.contactId!));
    await settleSync(t);
    const store = syncJob(t).store();
    const outcome = await Promise.all(
      cases.map(async (c) => `${c.label}: ${(await store.link(t.portalId, 'contact', c.contactId!))?.vendorId === c.vendorId ? 'linked' : 'not linked'}`),
    );
    expect(outcome).toEqual(cases.map((c) => `${c.label}: linked`));
  });
});
