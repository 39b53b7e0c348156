import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/helpers/db';
import { insertIgnoringConflicts } from './bulk-insert';
import { jobs } from './schema';

const databases = testDatabases();

function job(n: number, key: string | null) {
  return {
    name: 'invoice.process',
    portalId: '48151623',
    payload: { portalId: '48151623', dealId: String(9_000_000 + n), note: `Bäckerei Hölzl & Söhne Nr. ${n}` },
    dedupeKey: key,
    state: 'queued' as const,
    maxAttempts: 8,
    runAt: 1_796_000_000_000 + n,
    createdAt: 1_796_000_000_000,
    updatedAt: 1_796_000_000_000,
    rerunRequested: n % 2 === 0,
  };
}

describe('insertIgnoringConflicts', () => {
  it('stores what drizzle would store, skips rows whose unique key is taken, and returns the stored rows', async () => {
    const db = await databases.fresh();
    await db.insert(jobs).values(job(0, 'invoice:48151623:vorhanden'));
    const rows = [job(1, 'invoice:48151623:1'), job(2, 'invoice:48151623:vorhanden'), job(3, null), job(4, 'invoice:48151623:1')];
    const inserted = await insertIgnoringConflicts(db, jobs, rows, { id: jobs.id, dedupeKey: jobs.dedupeKey, rerun: jobs.rerunRequested });
    expect(inserted.map((r) => [r.dedupeKey, r.rerun])).toEqual([
      ['invoice:48151623:1', false],
      [null, false],
    ]);
    const stored = await db.select().from(jobs).orderBy(asc(jobs.id));
    expect(stored).toHaveLength(3);
    // JSON, booleans and numbers read back as drizzle's own insert wrote them.
    expect(stored[1]).toMatchObject({ ...job(1, 'invoice:48151623:1'), id: inserted[0].id, steps: {}, attempts: 0 });
    expect(stored[2]).toMatchObject({ payload: job(3, null).payload, dedupeKey: null, rerunRequested: false });
    // The same statement again (prepared once) with other values.
    const again = await insertIgnoringConflicts(db, jobs, [job(5, 'a'), job(6, 'b'), job(7, 'c'), job(8, 'd')], { id: jobs.id });
    expect(again).toHaveLength(4);
  });

  it('refuses rows that leave out a column the first row has, instead of storing a default', async () => {
    const db = await databases.fresh();
    const { rerunRequested: _, ...withoutFlag } = job(2, 'b');
    await expect(insertIgnoringConflicts(db, jobs, [job(1, 'a'), withoutFlag], { id: jobs.id })).rejects.toThrow(/every row needs rerunRequested/);
  });
});
