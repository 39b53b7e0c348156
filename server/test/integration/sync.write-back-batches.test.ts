import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider } from '../../src/accounting/provider';
import { HubspotError } from '../../src/hubspot/client';
import { KeyedLock } from '../../src/lib/keyed-lock';
import { silentLogger } from '../../src/logger';
import { portalSync } from '../../src/sync/context';
import type { HubspotSide } from '../../src/sync/hubspot-side';
import { dryRun, executeInitialSync, latestRun } from '../../src/sync/initial';
import { syncFromAccounting } from '../../src/sync/live';
import { createSyncModule } from '../../src/jobs/definitions/sync-module';
import { pollVendor } from '../../src/sync/poll';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';

/**
 * The initial sync creates 250 customers in the accounting system (lexoffice numbers each one) and
 * writes the numbers back to HubSpot 100 at a time with the batch update endpoint, not one call per
 * record; a batch that fails stops the run, and nothing is lost: the retry and the next poll write it.
 */
const firstNames = ['Jürgen', 'Bärbel', 'Hans-Jörg', 'Ülkü', 'Søren', 'Änne', 'Grzegorz', 'Mechthild'];
const lastNames = ['Müller-Lüdenscheidt', 'Schäfer-Großkopf', 'Weißenbäcker', 'Öztürk-Brandstätter', 'von Hohenzollern-Sigmaringen'];

describe('customer numbers written back to HubSpot in batches of up to 100', () => {
  let t: TestApiup;
  let user: HubspotUser;
  let token: string;
  async function raw(method: string, path: string, body: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(new URL(path, t.sandboxes!.list()[0].url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }
  const contacts = (portal: number) => [...t.sandboxes!.hubspot.store.ensurePortal(portal).records.contacts.values()].filter((r) => !r.archived);
  const batchUpdates = () => t.sandboxes!.hubspot.recorder.exchanges.filter((e) => e.method === 'POST' && e.path === '/crm/v3/objects/contacts/batch/update');
  const singleUpdates = () => t.sandboxes!.hubspot.recorder.exchanges.filter((e) => e.method === 'PATCH' && e.path.startsWith('/crm/v3/objects/contacts/'));

  async function seed(count: number, prefix: string): Promise<void> {
    for (let i = 0; i < count; i++) {
      const first = firstNames[i % firstNames.length];
      const last = `${lastNames[i % lastNames.length]} ${prefix}${i}`;
      user.create('contacts', {
        firstname: first,
        lastname: last,
        email: `${prefix}${i}@baeckerei-hoelzl-soehne.de`,
        address: `Königsallee ${i + 1}`,
        zip: '40212',
        city: 'Düsseldorf',
      });
    }
  }

  function module() {
    return createSyncModule({
      db: t.db,
      queue: t.queue,
      log: silentLogger(),
      hubspot: t.services.hubspot.clients,
      connections: t.services.connections,
      settings: t.services.settings,
      subscriptions: t.services.subscriptions,
      customerLock: new KeyedLock(),
    });
  }

  beforeAll(async () => {
    t = await startTestApiup({ RATE_LIMIT_TIME_SCALE: '0.0005' }, { startWorker: false });
    const sandboxes = t.sandboxes!;
    sandboxes.hubspot.setWebhookTarget(undefined);
    token = sandboxes.hubspot.issuePrivateAppToken();
    user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, token);
    const credentials = (sandboxes.vendors.lexoffice.sandbox as { credentials: Record<string, string> }).credentials;
    await t.services.connections.connect(t.portalId, 'lexoffice', credentials);
    await t.services.subscriptions.activate(t.portalId, 'sync');
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('writes the numbers of 250 new customers with 3 batch updates (100, 100, 50) and no single updates', async () => {
    await seed(250, 'k');
    const m = module();
    const { runId, report } = await dryRun(m.deps, (await portalSync(m.deps, t.portalId))!);
    expect(report.accounting.create).toBe(250);
    t.sandboxes!.hubspot.recorder.enabled = true;
    await executeInitialSync(m.deps, (await portalSync(m.deps, t.portalId))!, runId, silentLogger());
    t.sandboxes!.hubspot.recorder.enabled = false;

    expect(
      batchUpdates()
        .map((e) => (e.requestBody as { inputs: unknown[] }).inputs.length)
        .sort((a, b) => b - a),
    ).toEqual([100, 100, 50]);
    expect(batchUpdates().every((e) => e.status === 200)).toBe(true);
    expect(singleUpdates()).toHaveLength(0);
    const numbered = contacts(Number(t.portalId)).filter((r) => r.properties.apiup_customer_number);
    expect(numbered).toHaveLength(250);
    expect(new Set(numbered.map((r) => r.properties.apiup_customer_number)).size).toBe(250);
    // The links record what HubSpot now holds: a second run finds nothing to do.
    const again = await dryRun(m.deps, (await portalSync(m.deps, t.portalId))!);
    expect(again.report).toEqual({ hubspot: { create: 0, link: 0, conflict: 0 }, accounting: { create: 0, link: 0, conflict: 0 } });
    expect((await pollVendor(m.deps, (await portalSync(m.deps, t.portalId))!, silentLogger())).changed).toEqual([]);
  }, 180_000);

  it('loses no number when a batch fails: the run stops, its retry and the next poll write what was pending', async () => {
    await seed(150, 'f');
    const m = module();
    const ps = (await portalSync(m.deps, t.portalId))!;
    const { runId } = await dryRun(m.deps, ps);
    let calls = 0;
    const failingOnce: HubspotSide = Object.create(m.deps.hubspot, {
      update: {
        value: async (...args: Parameters<HubspotSide['update']>) => {
          if (++calls === 1) throw new HubspotError(502, 'HubSpot answered 502 five times', undefined);
          return m.deps.hubspot.update(...args);
        },
      },
    });
    await expect(executeInitialSync({ ...m.deps, hubspot: failingOnce }, ps, runId, silentLogger())).rejects.toThrow('502');
    const missing = () => contacts(Number(t.portalId)).filter((r) => r.properties.email?.startsWith('f') && !r.properties.apiup_customer_number);
    expect(missing().length).toBeGreaterThanOrEqual(100);

    await executeInitialSync(m.deps, (await portalSync(m.deps, t.portalId))!, runId, silentLogger());
    expect(await latestRun(m.deps, t.portalId)).toMatchObject({ state: 'succeeded' });
    // The failed batch's pairs are linked and on record as out of sync: the poll finds them and writes their numbers.
    const poll = await pollVendor(m.deps, (await portalSync(m.deps, t.portalId))!, silentLogger());
    expect(poll.changed.length).toBe(missing().length);
    for (const vendorId of poll.changed) await syncFromAccounting(m.deps, (await portalSync(m.deps, t.portalId))!, vendorId, silentLogger());
    expect(missing()).toEqual([]);
    const vendorNumbers = new Map((await listNumbers(ps.provider)).map((c) => [c.email, c.customerNumber]));
    for (const r of contacts(Number(t.portalId)).filter((c) => c.properties.email?.startsWith('f')))
      expect(r.properties.apiup_customer_number).toBe(vendorNumbers.get(r.properties.email!));
    expect(await ps.store.links(t.portalId, 'lexoffice')).toHaveLength(400);
  }, 180_000);

  it('answers a batch update of 101 inputs with 400 and one with an unknown id with 207 and the error per input, as HubSpot does', async () => {
    const [a, b] = contacts(Number(t.portalId));
    const inputs = Array.from({ length: 101 }, () => ({ id: a.id, properties: { city: 'Köln' } }));
    const tooMany = await raw('POST', '/crm/v3/objects/contacts/batch/update', { inputs });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const partly = await raw('POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: b.id, properties: { city: 'Mönchengladbach' } },
        { id: '999999999', properties: { city: 'Köln' } },
      ],
    });
    expect(partly.status).toBe(207);
    expect(partly.body).toMatchObject({ status: 'COMPLETE', numErrors: 1, errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999'] } }] });
    expect(partly.body.results.map((r: { id: string }) => r.id)).toEqual([b.id]);
  });
});

async function listNumbers(provider: AccountingProvider): Promise<Array<{ email?: string; customerNumber?: string }>> {
  const out: Array<{ email?: string; customerNumber?: string }> = [];
  for (let page: string | undefined; ;) {
    const result = await provider.listCustomers(null, page);
    out.push(...result.customers);
    page = result.nextPage;
    if (!page) return out;
  }
}
