/**
 * What `forgetContact` does when the accounting system answers badly. The vendor here is a test double
 * of the `AccountingProvider` contract that refuses or fails; the integration test
 * (server/test/integration/sync.privacy-deletion.test.ts) runs the real vendors against their sandboxes.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { ProviderError } from '../accounting/errors';
import type { AccountingProvider, Customer } from '../accounting/provider';
import { customerLinks, syncKeptRecords, webhookEvents } from '../db/schema';
import { PortalSettingsStore } from '../settings/portal-settings';
import { FakeClock, makeTestDb } from '../../test/helpers/db';
import type { SyncDeps } from './context';
import { forgetContact } from './privacy-deletion';

const portalId = '24681357';
const contactId = '90210001';
const vendorId = 'c-7731';
const customer: Customer = {
  id: vendorId,
  kind: 'person',
  firstName: 'Hannelore',
  lastName: 'Wagenknecht-Übelhör',
  email: 'hannelore@baeckerei-hoelzl.de',
  address: { street: 'Kürschnerhof 12', zip: '97070', city: 'Würzburg', countryCode: 'DE' },
};

let opened: Db | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function setup(update: () => Promise<Customer>) {
  const db = await makeTestDb();
  opened = db;
  const clock = new FakeClock();
  const settings = new PortalSettingsStore(db, clock.now);
  await settings.save(portalId, await settings.prepare(portalId, { sync: { gdprVendorAction: 'anonymise' } }));
  const provider = { capabilities: { customerDeletion: 'none' }, getCustomer: async () => customer, updateCustomer: update } as unknown as AccountingProvider;
  const deps = { db, settings, now: clock.now, connections: { providerFor: async () => ({ id: 'lexoffice', provider }) } } as unknown as SyncDeps;
  await db.insert(customerLinks).values({ portalId, objectType: 'contact', hubspotId: contactId, provider: 'lexoffice', vendorId, lastSyncedAt: clock.now() });
  const event = {
    eventId: '1',
    subscriptionId: '2',
    portalId,
    occurredAt: clock.now(),
    subscriptionType: 'contact.propertyChange',
    objectId: contactId,
    propertyName: 'lastname',
    propertyValue: 'Wagenknecht-Übelhör',
  };
  await db.insert(webhookEvents).values({
    portalId,
    dedupeKey: 'k1',
    eventId: '1',
    subscriptionType: event.subscriptionType,
    objectId: contactId,
    occurredAt: clock.now(),
    payload: event,
    status: 'queued',
    receivedAt: clock.now(),
  });
  return { db, deps };
}

const log = pino({ level: 'silent' });

describe('forgetContact when the accounting system does not do it', () => {
  it('forgets the contact all the same when the vendor refuses for good, and keeps the customer out of HubSpot', async () => {
    const { db, deps } = await setup(async () => {
      throw new ProviderError('validation', 'Kontakt ist gesperrt', { provider: 'lexoffice', status: 400 });
    });
    const outcome = await forgetContact(deps, portalId, contactId, log);
    expect(outcome).toEqual({ vendor: [{ vendorId, done: 'refused' }], eventsRemoved: 1 });
    expect(await db.select().from(customerLinks)).toEqual([]);
    expect(await db.select().from(webhookEvents)).toEqual([]);
    expect(await db.select().from(syncKeptRecords)).toEqual([expect.objectContaining({ vendorId, hubspotId: '', name: '' })]);
  });

  it('keeps everything for the retry while the vendor is unavailable', async () => {
    const { db, deps } = await setup(async () => {
      throw new ProviderError('unavailable', 'Service Unavailable', { provider: 'lexoffice', status: 503 });
    });
    await expect(forgetContact(deps, portalId, contactId, log)).rejects.toThrow('Service Unavailable');
    expect(await db.select().from(customerLinks)).toHaveLength(1);
    expect(await db.select().from(webhookEvents)).toHaveLength(1);
  });
});
