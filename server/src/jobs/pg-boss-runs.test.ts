import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresUrl, type Db } from '../db/client';
import { jobs } from '../db/schema';
import { silentLogger } from '../logger';
import { testDatabases } from '../../test/helpers/db';
import { testEngine } from '../../test/helpers/postgres';
import { defineJob } from './define';
import { PgBossRuns } from './pg-boss-runs';
import { DbJobQueue } from './queue';

const databases = testDatabases();
const started: PgBossRuns[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((runs) => runs.stop()));
});

async function startRuns(db: Db, leaseMs = 60_000): Promise<PgBossRuns> {
  const runs = await PgBossRuns.start({ url: postgresUrl(db)!, leaseMs, takeoverLimit: 30, log: silentLogger() });
  started.push(runs);
  return runs;
}

const invoiceDeal = defineJob({
  name: 'test.invoice',
  payload: z.object({ portalId: z.string(), dealId: z.string() }),
  portalId: (p) => p.portalId,
  key: (p) => `invoice:${p.portalId}:${p.dealId}`,
  run: async () => {},
});

const runRows = (db: Db) =>
  db.execute<{ id: string; state: string; job: string }>(sql`select id::text, state::text, data->>'job' as job from pgboss.job order by created_on`);

describe.runIf(testEngine() === 'postgres')('pg-boss as the queue engine', () => {
  it('starts on a fresh database when several instances start at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const db = await databases.fresh();
      const all = await Promise.all([1, 2, 3, 4].map(() => startRuns(db)));
      expect(all).toHaveLength(4);
      const [queue] = await db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.queue where name = 'apiup.runs'`);
      expect(queue.n).toBe(1);
    }
  });

  it('has a run exactly when the transaction that made the job commits', async () => {
    const db = await databases.fresh();
    const queue = new DbJobQueue(db, undefined, undefined, await startRuns(db));
    await expect(
      db.transaction(async (tx) => {
        await queue.enqueue(invoiceDeal, { portalId: '48151623', dealId: '9001' }, { tx });
        throw new Error('the webhook batch failed after the enqueue');
      }),
    ).rejects.toThrow('the webhook batch failed');
    expect(await runRows(db)).toEqual([]);
    expect(await db.select().from(jobs)).toEqual([]);

    const { id } = await db.transaction((tx) => queue.enqueue(invoiceDeal, { portalId: '48151623', dealId: '9001' }, { tx }));
    const [record] = await db.select().from(jobs);
    expect(await runRows(db)).toEqual([{ id: record.runId, state: 'created', job: String(id) }]);
    // The same key again joins the waiting job: no second run.
    expect(await queue.enqueue(invoiceDeal, { portalId: '48151623', dealId: '9001' })).toEqual({ id, deduplicated: true });
    expect(await runRows(db)).toHaveLength(1);
  });

  it("keeps a heartbeating run from being given away, and gives a silent one's run to the next worker", async () => {
    const db = await databases.fresh();
    const runs = await startRuns(db, 1_000);
    const queue = new DbJobQueue(db, undefined, undefined, runs);
    const alive = await queue.enqueue(invoiceDeal, { portalId: '48151623', dealId: 'lebt' });
    const dead = await queue.enqueue(invoiceDeal, { portalId: '48151623', dealId: 'abgestürzt' });
    const first = await queue.claim('worker-a', 1_000, new Map());
    const second = await queue.claim('worker-b', 1_000, new Map());
    expect([first?.id, second?.id].sort()).toEqual([alive.id, dead.id].sort());
    const holder = first?.id === alive.id ? 'worker-a' : 'worker-b';
    // Both runs started 1.5 s ago (moved back on the database clock); only the living one beats.
    await db.execute(sql`update pgboss.job set started_on = started_on - interval '1.5 seconds' where state = 'active'`);
    expect(await queue.heartbeat(alive.id, holder, 1_000)).toBe(true);
    await runs.expireOverdue();
    const states = Object.fromEntries((await runRows(db)).map((r) => [Number(r.job), r.state]));
    expect(states).toEqual({ [alive.id]: 'active', [dead.id]: 'retry' });
    // The next claim takes the silent one over: a lease loss, not an attempt.
    const takenOver = await queue.claim('worker-c', 1_000, new Map());
    expect(takenOver).toMatchObject({ id: dead.id, attempts: 1, leaseLosses: 1, lockedBy: 'worker-c' });
    // The worker that went silent comes back: its result no longer counts, and the job stays with worker-c.
    await queue.complete(first?.id === dead.id ? first : second!, first?.id === dead.id ? 'worker-a' : 'worker-b');
    expect(await queue.get(dead.id)).toMatchObject({ state: 'running', lockedBy: 'worker-c' });
  });
});
