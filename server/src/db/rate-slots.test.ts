import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/helpers/db';
import { openDb } from './client';
import { DbSlotStore } from './rate-slots';
import { testEngine } from '../../test/helpers/postgres';

const databases = testDatabases();

describe(`rate-limit slots shared through the database (${testEngine()})`, () => {
  it('hands out each slot once, one spacing apart, to every instance on the database', async () => {
    const db = await databases.fresh();
    const instanceA = new DbSlotStore(db);
    const instanceB = new DbSlotStore(db);
    const key = 'qonto:ip';
    const now = Date.UTC(2026, 11, 2, 10, 0);
    expect(await instanceA.reserve(key, 60, now)).toBe(now);
    expect(await instanceB.reserve(key, 60, now)).toBe(now + 60);
    // 40 requests at once from both instances: 40 distinct starts, exactly one spacing apart.
    const starts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? instanceA : instanceB).reserve(key, 60, now)));
    expect(starts.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => now + 120 + i * 60));
    // Another key is not slowed by this one.
    expect(await instanceB.reserve('hubspot:30000001', 60, now)).toBe(now);
  });

  it('holds every instance back after the outside API said to wait, and never moves a wait earlier', async () => {
    const db = await databases.fresh();
    const [a, b] = [new DbSlotStore(db), new DbSlotStore(db)];
    const now = Date.UTC(2026, 11, 2, 10, 0);
    await a.reserve('bexio:ab12', 100, now);
    await a.block('bexio:ab12', now + 30_000);
    await b.block('bexio:ab12', now + 5_000);
    expect(await b.reserve('bexio:ab12', 100, now + 1_000)).toBe(now + 30_000);
    // A wait on a key never used before is kept too.
    await b.block('sevdesk:cd34', now + 2_000);
    expect(await a.reserve('sevdesk:cd34', 100, now)).toBe(now + 2_000);
  });
});

describe.runIf(testEngine() === 'postgres')('two connection pools on one PostgreSQL (two instances)', () => {
  it('share the slots', async () => {
    const db = await databases.fresh();
    const url = process.env.APIUP_TEST_POSTGRES_URL!;
    expect(url).toBeTruthy();
    // A second pool on the same database: what a second process has.
    const current = await db.execute<{ name: string }>(sql`select current_database() as name`);
    const second = openDb(Object.assign(new URL(url), { pathname: `/${current[0].name}` }).toString(), { poolSize: 2 });
    databases.closeAfter(second);
    const now = Date.UTC(2026, 11, 2, 11, 0);
    const starts = await Promise.all([
      ...Array.from({ length: 10 }, () => new DbSlotStore(db).reserve('lexoffice:ef56', 500, now)),
      ...Array.from({ length: 10 }, () => new DbSlotStore(second).reserve('lexoffice:ef56', 500, now)),
    ]);
    expect(new Set(starts).size).toBe(20);
    expect(Math.max(...starts)).toBe(now + 19 * 500);
  });
});
