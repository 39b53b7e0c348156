import { KeyedLock } from '../../src/lib/keyed-lock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider } from '../../src/accounting/provider';
import { ProviderError } from '../../src/accounting/errors';
import { portalSync } from '../../src/sync/context';
import { dryRun, executeInitialSync, latestRun } from '../../src/sync/initial';
import { createSyncModule } from '../../src/jobs/definitions/sync-module';
import { silentLogger } from '../../src/logger';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';

/**
 * 1,000 contacts and 200 companies in HubSpot against an accounting system that already holds some
 * of them: the dry run's counts equal what the run does, and a run that dies half-way (right after the
 * vendor committed a customer, before we linked it) finishes on restart without duplicates.
 */
describe('initial sync of 1,000 contacts and 200 companies through the lexoffice sandbox', () => {
  let t: TestApiup;
  let vendor: AccountingProvider;
  const count = (kind: 'person' | 'company') =>
    [...(t.sandboxes!.vendors.lexoffice.sandbox as any).store.contacts.values()].filter((c: any) => (kind === 'company' ? c.company : c.person)).length;
  const hubspotCount = (type: 'contacts' | 'companies') =>
    [...t.sandboxes!.hubspot.store.ensurePortal(Number(t.portalId)).records[type].values()].filter((r) => !r.archived).length;

  beforeAll(async () => {
    t = await startTestApiup({ RATE_LIMIT_TIME_SCALE: '0.0005' }, { startWorker: false });
    const sandboxes = t.sandboxes!;
    sandboxes.hubspot.setWebhookTarget(undefined);
    const user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.issuePrivateAppToken());
    for (let i = 0; i < 200; i++) user.create('companies', { name: `Firma ${i} GmbH`, city: 'Berlin' });
    for (let i = 0; i < 1000; i++) {
      // Contacts 0–9 come in same-name pairs without e-mail: five groups the vendor has one record for.
      const n = i < 10 ? Math.floor(i / 2) : i;
      user.create(
        'contacts',
        i < 10 ? { firstname: `Vorname${n}`, lastname: `Nachname${n}` } : { firstname: `Vorname${n}`, lastname: `Nachname${n}`, email: `p${n}@example.de` },
      );
    }
    const credentials = (sandboxes.vendors.lexoffice.sandbox as { credentials: Record<string, string> }).credentials;
    vendor = t.services.connections.build('lexoffice', credentials);
    const seeds = [
      ...Array.from({ length: 100 }, (_, i) => ({ kind: 'company' as const, companyName: `Firma ${i}` })),
      ...Array.from({ length: 30 }, (_, i) => ({ kind: 'company' as const, companyName: `Lieferant ${i} AG` })),
      ...Array.from({ length: 5 }, (_, i) => ({ kind: 'person' as const, firstName: `Vorname${i}`, lastName: `Nachname${i}` })),
      ...Array.from({ length: 300 }, (_, i) => ({ kind: 'person' as const, firstName: `Vorname${i + 10}`, lastName: `Nachname${i + 10}` })),
      ...Array.from({ length: 50 }, (_, i) => ({ kind: 'person' as const, firstName: `Nur`, lastName: `Buchhaltung${i}` })),
    ];
    for (const seed of seeds) await vendor.createCustomer(seed);
    await t.services.connections.connect(t.portalId, 'lexoffice', credentials);
    await t.services.subscriptions.activate(t.portalId, 'sync');
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('reports per side what it will do, does exactly that, and survives dying half-way without duplicates', async () => {
    const module = createSyncModule({
      db: t.db,
      queue: t.queue,
      log: silentLogger(),
      hubspot: t.services.hubspot.clients,
      connections: t.services.connections,
      settings: t.services.settings,
      subscriptions: t.services.subscriptions,
      customerLock: new KeyedLock(),
    });
    const ps = (await portalSync(module.deps, t.portalId))!;
    const { runId, report } = await dryRun(module.deps, ps);
    expect(report).toEqual({ hubspot: { create: 80, link: 400, conflict: 10 }, accounting: { create: 790, link: 400, conflict: 5 } });
    const before = { persons: count('person'), companies: count('company'), contacts: hubspotCount('contacts'), hubspotCompanies: hubspotCount('companies') };

    // The first attempt dies right after the vendor committed its 300th new customer.
    let creates = 0;
    const dying: AccountingProvider = Object.create(ps.provider, {
      createCustomer: {
        value: async (input: Parameters<AccountingProvider['createCustomer']>[0]) => {
          const created = await ps.provider.createCustomer(input);
          if (++creates === 300) throw new ProviderError('unavailable', 'connection dropped after the commit', { provider: 'lexoffice' });
          return created;
        },
      },
    });
    await expect(executeInitialSync(module.deps, { ...ps, provider: dying }, runId, silentLogger())).rejects.toThrow('connection dropped');
    const halfway = (await latestRun(module.deps, t.portalId))!;
    expect(halfway.done).toBeGreaterThan(0);
    expect(halfway.done).toBeLessThan(halfway.total);

    await executeInitialSync(module.deps, (await portalSync(module.deps, t.portalId))!, runId, silentLogger());
    const run = (await latestRun(module.deps, t.portalId))!;
    expect(run).toMatchObject({ state: 'succeeded', done: run.total, total: 790 + 80 + 400 });
    expect(count('person') + count('company') - before.persons - before.companies).toBe(report.accounting.create);
    expect(hubspotCount('contacts') + hubspotCount('companies') - before.contacts - before.hubspotCompanies).toBe(report.hubspot.create);
    const links = await ps.store.links(t.portalId, 'lexoffice');
    expect(links).toHaveLength(400 + 790 + 80);
    expect(new Set(links.map((l) => l.vendorId)).size).toBe(links.length);
    expect(await ps.store.conflicts(t.portalId)).toHaveLength(10);

    const again = await dryRun(module.deps, (await portalSync(module.deps, t.portalId))!);
    expect(again.report).toEqual({ hubspot: { create: 0, link: 0, conflict: 10 }, accounting: { create: 0, link: 0, conflict: 5 } });
  }, 180_000);
});
