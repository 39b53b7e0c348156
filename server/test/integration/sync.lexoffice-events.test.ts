/**
 * lexoffice contact events (issue 17): contact.created / changed / deleted, signed by Lexware (here: the
 * sandbox's key), reach HubSpot without waiting for the poll, which stays the safety net.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';
import { HubspotUser } from '../helpers/hubspot-user';
import { and, eq } from 'drizzle-orm';
import { jobs, syncDeletions } from '../../src/db/schema';
import { pollIntervalFor } from '../../src/jobs/definitions/sync-module';
import { syncJob } from './sync.helpers';

describe('lexoffice contact events', () => {
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
    expect(
      (await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { sync: { deletion: { fromHubspot: 'ignore', fromAccounting: 'mirror' } } } }))
        .status,
    ).toBe(200);
    await t.queue.waitFor(`accounting-events:${t.portalId}`, 'succeeded');
    // The user's own calls to Lexware, as its web app would make them.
    // Lexware allows 2 requests per second (accounting.md §1.2): a 429 is waited out, as any client does.
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

  const synced = async (vendorId: string) => {
    await sandbox().flushEvents();
    await t.queue.expedite(`sync-vendor:${t.portalId}:${vendorId}`);
    t.worker.poke();
    await t.queue.waitFor(`sync-vendor:${t.portalId}:${vendorId}`, 'succeeded', 20_000);
  };
  const polls = async () => (await t.db.select({ id: jobs.id }).from(jobs).where(eq(jobs.name, 'sync.poll'))).length;

  it('subscribes contact.created, contact.changed and contact.deleted next to the payment events', () => {
    const types = [...sandbox().events.subscriptions.values()].map((s: { eventType: string }) => s.eventType).sort();
    expect(types).toEqual(['contact.changed', 'contact.created', 'contact.deleted', 'invoice.status.changed', 'payment.changed']);
  });

  it('creates, updates and deletes the HubSpot company as the events arrive, without a poll', async () => {
    const before = await polls();
    const created = await lexoffice('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', vatRegistrationId: 'DE811907980' },
      addresses: { billing: [{ street: 'Schönhauser Allee 112', zip: '10439', city: 'Berlin', countryCode: 'DE' }] },
    });
    await synced(created.id);
    const link = (await syncJob(t).store().linkByVendor(t.portalId, 'lexoffice', created.id))!;
    expect(link.objectType).toBe('company');
    const company = async () => (await user.api('GET', `/crm/v3/objects/companies/${link.hubspotId}?properties=name,city,apiup_vat_id`)).properties;
    expect(await company()).toMatchObject({ name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', city: 'Berlin', apiup_vat_id: 'DE811907980' });

    const current = await lexoffice('GET', `/v1/contacts/${created.id}`);
    await lexoffice('PUT', `/v1/contacts/${created.id}`, {
      ...current,
      addresses: { billing: [{ street: 'Königsallee 92a', zip: '40212', city: 'Düsseldorf', countryCode: 'DE' }] },
    });
    await synced(created.id);
    expect((await company()).city).toBe('Düsseldorf');

    sandbox().store.deleteContactInWebApp(created.id);
    await synced(created.id);
    const deletion = await t.db
      .select()
      .from(syncDeletions)
      .where(and(eq(syncDeletions.portalId, t.portalId), eq(syncDeletions.vendorId, created.id)));
    expect(deletion).toMatchObject([{ side: 'accounting', objectType: 'company', hubspotId: link.hubspotId }]);
    expect(await polls()).toBe(before);
  });

  it('polls only hourly as the safety net where contact events arrive, as configured elsewhere', () => {
    expect(pollIntervalFor(15, true)).toBe(60 * 60_000);
    expect(pollIntervalFor(240, true)).toBe(240 * 60_000);
    expect(pollIntervalFor(15, false)).toBe(15 * 60_000);
  });
});
