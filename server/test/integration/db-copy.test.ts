import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, getTableColumns, getTableName, inArray, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDb, postgresUrl, type Db } from '../../src/db/client';
import { copyDatabase } from '../../src/db/copy';
import * as schema from '../../src/db/schema';
import { defineJob } from '../../src/jobs/define';
import { PgBossRuns } from '../../src/jobs/pg-boss-runs';
import { DbJobQueue } from '../../src/jobs/queue';
import { silentLogger } from '../../src/logger';
import { startTestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { createTestPostgresDatabase, testEngine } from '../helpers/postgres';
import { activateBusinessPlus, connectVendor } from '../helpers/vendors';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const tables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

/** Every row of every table, in primary-key order (what a copy must keep exactly). */
async function contents(db: Db): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {};
  for (const table of tables) {
    const columns = Object.values(getTableColumns(table));
    const key = columns.filter((c) => c.primary);
    all[getTableName(table)] = await db
      .select()
      .from(table)
      .orderBy(...(key.length > 0 ? key : columns).map((c) => asc(c)));
  }
  return all;
}

const followUp = defineJob({
  name: 'test.nachfassen',
  payload: z.object({ portalId: z.string(), dealId: z.string() }),
  portalId: (p) => p.portalId,
  key: (p) => `nachfassen:${p.dealId}`,
  run: async () => {},
});

describe.runIf(testEngine() === 'postgres')('moving from SQLite to PostgreSQL (npm run db:copy)', () => {
  it('copies every row of a used SQLite database, and the live jobs continue on pg-boss', async () => {
    // A SQLite installation that has invoiced a deal (portal, tokens, settings, connection, customer, invoice, events, jobs).
    const dir = mkdtempSync(join(tmpdir(), 'apiup-copy-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const sqlitePath = join(dir, 'apiup.sqlite');
    const t = await startTestApiup({ DATABASE_PATH: sqlitePath });
    const stopProduct = async () => t.stop();
    cleanup.push(stopProduct);
    const sandboxes = t.sandboxes!;
    const user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, t.portalId, sandboxes.hubspot.installDemoPortal().accessToken);
    await connectVendor(t, 'lexoffice');
    await activateBusinessPlus(t);
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { eInvoiceForBusinessCustomers: false } } });
    const pipeline = await user.createPipeline();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.openStageId,
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', address: 'Schloßstraße 7', zip: '70176', city: 'Stuttgart', country: 'DE' },
      lineItems: [{ name: 'Brezelautomat „Schwäbisch“', quantity: '2', price: '1249.90' }],
    });
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    await sandboxes.hubspot.flushWebhooks();
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, 'succeeded', 20_000);
    cleanup.splice(cleanup.indexOf(stopProduct), 1);
    await t.stop();

    // Live jobs left behind by the stopped process: one waiting, one it was running, one retrying.
    const source = openDb(sqlitePath);
    cleanup.push(() => source.close());
    const sqliteQueue = new DbJobQueue(source);
    const waiting = await sqliteQueue.enqueue(followUp, { portalId: t.portalId, dealId: 'wartet' });
    const running = await sqliteQueue.enqueue(followUp, { portalId: t.portalId, dealId: 'lief' });
    const retrying = await sqliteQueue.enqueue(followUp, { portalId: t.portalId, dealId: 'wiederholt' });
    await source
      .update(schema.jobs)
      .set({ state: 'running', attempts: 1, lockedBy: 'worker-gone', leaseUntil: Date.now() + 60_000 })
      .where(eq(schema.jobs.id, running.id));
    await source
      .update(schema.jobs)
      .set({ state: 'retrying', attempts: 1, runAt: Date.now() - 1 })
      .where(eq(schema.jobs.id, retrying.id));

    const database = await createTestPostgresDatabase();
    cleanup.push(() => database.drop());
    const target = openDb(database.url, { poolSize: 4 });
    cleanup.push(() => target.close());
    const copied = await copyDatabase(source, target, { pageSize: 7 });
    expect(copied.deal_invoices).toBe(1);
    expect(copied.webhook_events).toBeGreaterThan(0);
    expect(await contents(target)).toEqual(await contents(source));

    // New rows continue after the copied ids.
    const queue = new DbJobQueue(target, undefined, undefined, await startRuns(target));
    const fresh = await queue.enqueue(followUp, { portalId: t.portalId, dealId: 'neu' });
    expect(fresh.id).toBe(retrying.id + 1);

    // The product adopts the copied live jobs into pg-boss when it starts; the interrupted one is not counted as failed.
    // Every live job of the SQLite installation (ours above and what the product itself had waiting, such as its payment check).
    const live = await source
      .select({ id: schema.jobs.id })
      .from(schema.jobs)
      .where(inArray(schema.jobs.state, ['queued', 'running', 'retrying']));
    expect(live.length).toBeGreaterThanOrEqual(3);
    expect(await queue.adoptOrphans()).toBe(live.length);
    expect(await queue.adoptOrphans()).toBe(0);
    expect(await queue.get(running.id)).toMatchObject({ state: 'queued', attempts: 0, leaseLosses: 1, lockedBy: null });
    // All are due (the product's payment check only later): pg-boss hands out ours and the new one.
    const claimed = new Set<number>();
    for (let job = await queue.claim('worker-pg', 60_000, new Map()); job; job = await queue.claim('worker-pg', 60_000, new Map())) claimed.add(job.id);
    expect([...claimed]).toEqual(expect.arrayContaining([waiting.id, running.id, retrying.id, fresh.id]));

    // A second copy into a database that has rows is refused.
    await expect(copyDatabase(source, target)).rejects.toThrow(/already holds rows in/);
  });
});

async function startRuns(db: Db): Promise<PgBossRuns> {
  const runs = await PgBossRuns.start({ url: postgresUrl(db)!, leaseMs: 60_000, takeoverLimit: 30, log: silentLogger() });
  cleanup.push(() => runs.stop());
  return runs;
}
