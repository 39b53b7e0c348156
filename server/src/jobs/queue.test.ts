import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { postgresUrl } from '../db/client';
import { silentLogger } from '../logger';
import { FakeClock, testDatabases } from '../../test/helpers/db';
import { defineJob, JobError, JobWaitError, type JobDefinition } from './define';
import { PgBossRuns } from './pg-boss-runs';
import { DbJobQueue } from './queue';
import { maxLeaseLosses, Worker } from './worker';

const Payload = z.object({ portalId: z.string(), n: z.number() });
type P = z.infer<typeof Payload>;

/**
 * The same queue on either engine: SQLite (our claim on the jobs table) and, in the `postgres` project,
 * pg-boss running the jobs. `advance` is time passing: the fake clock the records use and, with
 * pg-boss, the database clock its runs are due and expire by (their times moved back by as much).
 */
async function setup(definitions: JobDefinition<any>[], options: { concurrency?: number; leaseMs?: number } = {}) {
  const db = await databases.fresh();
  const clock = new FakeClock();
  const leaseMs = options.leaseMs ?? 60_000;
  const url = postgresUrl(db);
  const runs = url ? await PgBossRuns.start({ url, leaseMs, takeoverLimit: maxLeaseLosses + 5, log: silentLogger() }) : undefined;
  const queue = new DbJobQueue(db, clock, undefined, runs);
  queues.push(queue);
  const worker = new Worker(queue, definitions, { concurrency: options.concurrency ?? 2, leaseMs, pollMs: 5, log: silentLogger(), clock });
  workers.push(worker);
  const advance = async (ms: number) => {
    clock.advance(ms);
    if (!runs) return;
    const by = sql`make_interval(secs => ${ms / 1000})`;
    await db.execute(sql`update pgboss.job set start_after = start_after - ${by}, started_on = started_on - ${by}`);
    await runs.expireOverdue();
  };
  /** pg-boss's runs of a job, oldest first (PostgreSQL only): their state, the outcome we gave and seconds until due. */
  const runsOf = async (id: number) =>
    db.execute<{ state: string; outcome: string | null; dueInSeconds: number }>(
      sql`select state::text as state, output->>'outcome' as outcome, extract(epoch from start_after - now())::float8 as "dueInSeconds"
          from pgboss.job where data->>'job' = ${String(id)} order by created_on`,
    );
  return { db, clock, queue, worker, advance, runsOf };
}

const workers: Worker[] = [];
const queues: DbJobQueue[] = [];
const databases = testDatabases();
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await Promise.all(queues.splice(0).map((q) => q.close()));
});

function job(name: string, run: JobDefinition<P>['run'], extra: Partial<JobDefinition<P>> = {}): JobDefinition<P> {
  return defineJob({ name, payload: Payload, portalId: (p) => p.portalId, run, ...extra });
}

describe('job queue', () => {
  it('retries a failing job with growing backoff, then succeeds', async () => {
    let calls = 0;
    const flaky = job('test.flaky', async () => {
      calls++;
      if (calls < 3) throw new Error('temporary');
    });
    const { queue, worker, clock, advance, runsOf } = await setup([flaky]);
    const { id } = await queue.enqueue(flaky, { portalId: 'p1', n: 1 });
    worker.start();
    const first = await queue.waitFor(id, 'retrying');
    const firstDelay = first.runAt - clock.now();
    expect(firstDelay).toBeGreaterThanOrEqual(500);
    await advance(firstDelay);
    await expect.poll(async () => (await queue.get(id))!.attempts).toBe(2);
    const second = await queue.waitFor(id, 'retrying');
    const secondDelay = (await queue.get(id))!.runAt - clock.now();
    expect(secondDelay).toBeGreaterThanOrEqual(1_000);
    expect(second.lastError?.message).toBe('temporary');
    await advance(secondDelay);
    const done = await queue.waitFor(id, 'succeeded');
    expect(done.attempts).toBe(3);
    expect(done.lastError).toBeNull();
    if (queue.engine === 'pg-boss') {
      // Each attempt was one pg-boss run: two ended as failed (and were followed by a new run), the last succeeded.
      expect((await runsOf(id)).map((r) => [r.state, r.outcome])).toEqual([
        ['completed', 'failed'],
        ['completed', 'failed'],
        ['completed', 'succeeded'],
      ]);
    }
  });

  it("honours the provider's retry-after instead of its own backoff", async () => {
    const limited = job('test.limited', async () => {
      throw new JobError('rate_limited', 'slow down', { retryable: true, retryAfterMs: 42_000 });
    });
    const { queue, worker, clock, runsOf } = await setup([limited]);
    const { id } = await queue.enqueue(limited, { portalId: 'p1', n: 1 });
    worker.start();
    const retrying = await queue.waitFor(id, 'retrying');
    expect(retrying.runAt - clock.now()).toBe(42_000);
    if (queue.engine === 'pg-boss') {
      // pg-boss itself holds the next run back for the 42 s, not only our record.
      const next = (await runsOf(id)).at(-1)!;
      expect(next.state).toBe('created');
      expect(next.dueInSeconds).toBeGreaterThan(39);
      expect(next.dueInSeconds).toBeLessThanOrEqual(42);
    }
  });

  it('marks a job dead after its last attempt and keeps the error for the UI', async () => {
    const broken = job(
      'test.broken',
      async () => {
        throw new Error('vendor said no');
      },
      { maxAttempts: 2 },
    );
    const { queue, worker, clock, advance } = await setup([broken]);
    const { id } = await queue.enqueue(broken, { portalId: 'p1', n: 1 });
    worker.start();
    const retrying = await queue.waitFor(id, 'retrying');
    await advance(retrying.runAt - clock.now());
    const dead = await queue.waitFor(id, 'dead');
    expect(dead.attempts).toBe(2);
    expect(dead.lastError).toMatchObject({ code: 'unexpected', message: 'vendor said no' });
    expect(await queue.list({ portalId: 'p1', states: ['dead'] })).toHaveLength(1);
  });

  it('sends a non-retryable error straight to dead', async () => {
    const invalid = job('test.invalid', async () => {
      throw new JobError('no_line_items', 'deal has no line items', { retryable: false });
    });
    const { queue, worker } = await setup([invalid]);
    const { id } = await queue.enqueue(invalid, { portalId: 'p1', n: 1 });
    worker.start();
    const dead = await queue.waitFor(id, 'dead');
    expect(dead.attempts).toBe(1);
    expect(dead.lastError?.code).toBe('no_line_items');
  });

  it('tells the job definition once, with the error, when its job is dead, and not on a retry', async () => {
    const notices: Array<{ n: number; code: string; message: string }> = [];
    let calls = 0;
    const failing = job(
      'test.dying',
      async () => {
        calls++;
        if (calls === 1) throw new Error('temporary');
        throw new JobError('vendor_failed', 'Steuersatz 13 % ist nicht erlaubt', { retryable: false });
      },
      { onDead: async (p, error) => void notices.push({ n: p.n, ...error }) },
    );
    const { queue, worker, clock, advance } = await setup([failing]);
    const { id } = await queue.enqueue(failing, { portalId: 'p1', n: 7 });
    worker.start();
    const retrying = await queue.waitFor(id, 'retrying');
    expect(notices).toEqual([]);
    await advance(retrying.runAt - clock.now());
    await queue.waitFor(id, 'dead');
    await expect.poll(async () => notices).toEqual([{ n: 7, code: 'vendor_failed', message: 'Steuersatz 13 % ist nicht erlaubt' }]);
  });

  it('makes a batch of jobs as one-by-one enqueues would: new keys inserted together, repeats and live keys joined', async () => {
    const keyed = job('test.batched', async () => {}, { key: (p) => `k:${p.portalId}` });
    const { db, queue } = await setup([keyed]);
    const running = await queue.enqueue(keyed, { portalId: 'laufend', n: 0 });
    const waiting = await queue.enqueue(keyed, { portalId: 'wartend', n: 0 });
    await queue.claim('other-worker', 60_000, new Map([['wartend', Number.MAX_SAFE_INTEGER]]));
    expect((await queue.get(running.id))!.state).toBe('running');
    const requests = ['Müller', 'wartend', 'Schäfer', 'Müller', 'laufend', 'Özdemir'].map((portalId, n) => ({ definition: keyed, payload: { portalId, n } }));
    const results = await db.transaction((tx) => queue.enqueueMany(requests as never, tx));
    const [mueller, wartend, schaefer, muellerAgain, laufend, oezdemir] = results;
    expect([mueller, schaefer, oezdemir].every((r) => !r.deduplicated)).toBe(true);
    expect(new Set([mueller.id, schaefer.id, oezdemir.id]).size).toBe(3);
    expect(muellerAgain).toEqual({ id: mueller.id, deduplicated: true });
    expect(wartend).toEqual({ id: waiting.id, deduplicated: true });
    expect(laufend).toEqual({ id: running.id, deduplicated: true });
    // The running job was asked for one more run, as a single enqueue would have.
    expect((await queue.get(running.id))!.rerunRequested).toBe(true);
    expect((await queue.get(mueller.id))!.payload).toEqual({ portalId: 'Müller', n: 0 });
  });

  it('makes each job without a key of a batch a job of its own, and runs it', async () => {
    const ran: number[] = [];
    const unkeyed = job('test.unkeyed', async (p) => void ran.push(p.n));
    const keyed = job('test.batched', async () => {}, { key: (p) => `k:${p.portalId}` });
    const { db, queue, worker } = await setup([unkeyed, keyed]);
    const requests = [
      { definition: unkeyed, payload: { portalId: 'Bäckerei Hölzl', n: 1 } },
      { definition: keyed, payload: { portalId: 'Bäckerei Hölzl', n: 2 } },
      { definition: unkeyed, payload: { portalId: 'Bäckerei Hölzl', n: 3 } },
    ];
    const results = await db.transaction((tx) => queue.enqueueMany(requests as never, tx));
    expect(results.every((r) => !r.deduplicated)).toBe(true);
    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    expect((await queue.get(results[0].id))!.payload).toEqual({ portalId: 'Bäckerei Hölzl', n: 1 });
    expect((await queue.get(results[2].id))!.payload).toEqual({ portalId: 'Bäckerei Hölzl', n: 3 });
    worker.start();
    for (const { id } of results) await queue.waitFor(id, 'succeeded');
    expect(ran.sort()).toEqual([1, 3]);
  });

  it('leaves a quiet job out of the list once it succeeded, and shows it while it waits or when it is dead', async () => {
    const plumbing = job('test.plumbing', async (p) => {
      if (p.n === 3) throw new JobError('vendor_failed', 'Bäckerei Hölzl: kaputt', { retryable: false });
    });
    const work = job('test.work', async () => {});
    const { queue, worker } = await setup([plumbing, work]);
    const done = await queue.enqueue(plumbing, { portalId: 'p1', n: 1 });
    const visible = await queue.enqueue(work, { portalId: 'p1', n: 2 });
    const failing = await queue.enqueue(plumbing, { portalId: 'p1', n: 3 });
    const ids = async () => (await queue.list({ portalId: 'p1', quietWhenSucceeded: ['test.plumbing'] })).map((j) => j.id).sort();
    expect(await ids()).toEqual([done.id, visible.id, failing.id].sort());
    worker.start();
    await queue.waitFor(done.id, 'succeeded');
    await queue.waitFor(visible.id, 'succeeded');
    await queue.waitFor(failing.id, 'dead');
    expect(await ids()).toEqual([visible.id, failing.id].sort());
    expect((await queue.list({ portalId: 'p1' })).map((j) => j.id).sort()).toEqual([done.id, visible.id, failing.id].sort());
  });

  it('keeps at most one live job per dedupe key, and reruns once when triggered while running', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let runs = 0;
    const keyed = job(
      'test.keyed',
      async () => {
        runs++;
        if (runs === 1) await gate;
      },
      { key: (p) => `k:${p.portalId}` },
    );
    const { queue, worker } = await setup([keyed]);
    const a = await queue.enqueue(keyed, { portalId: 'p1', n: 1 });
    const b = await queue.enqueue(keyed, { portalId: 'p1', n: 2 });
    expect(b).toEqual({ id: a.id, deduplicated: true });
    worker.start();
    await queue.waitFor(a.id, 'running');
    expect(await queue.enqueue(keyed, { portalId: 'p1', n: 3 })).toEqual({ id: a.id, deduplicated: true });
    release();
    await expect.poll(async () => runs).toBe(2);
    await queue.waitFor(a.id, 'succeeded');
    const fresh = await queue.enqueue(keyed, { portalId: 'p1', n: 4 });
    expect(fresh.deduplicated).toBe(false);
  });

  it('runs a job again after its lease expires when its process died mid-run', async () => {
    const ran: number[] = [];
    const work = job('test.work', async (p) => {
      ran.push(p.n);
    });
    const { queue, worker, advance } = await setup([work], { leaseMs: 1_000 });
    const { id } = await queue.enqueue(work, { portalId: 'p1', n: 7 });
    // A process that died after claiming: the row says running, nobody heartbeats.
    const claimed = await queue.claim('worker-that-died', 1_000, new Map());
    expect(claimed?.id).toBe(id);
    worker.start();
    await new Promise((r) => setTimeout(r, 30));
    expect(ran).toEqual([]);
    await advance(1_001);
    const done = await queue.waitFor(id, 'succeeded');
    expect(ran).toEqual([7]);
    expect(done.attempts).toBe(1);
    expect(done.leaseLosses).toBe(1);
  });

  it('gives up on a job whose process keeps dying under it', async () => {
    const work = job('test.poison', async () => {});
    const { queue, worker, advance } = await setup([work], { leaseMs: 1_000 });
    const { id } = await queue.enqueue(work, { portalId: 'p1', n: 1 });
    for (let i = 0; i <= maxLeaseLosses; i++) {
      expect((await queue.claim(`dying-${i}`, 1_000, new Map()))?.id).toBe(id);
      await advance(1_001);
    }
    worker.start();
    const dead = await queue.waitFor(id, 'dead');
    expect(dead.lastError?.code).toBe('lease_expired');
    expect(dead.attempts).toBe(1);
  });

  it('reuses a completed step after a crash instead of repeating it', async () => {
    let vendorCalls = 0;
    let crash = true;
    const stepped = job('test.stepped', async (_p, ctx) => {
      await ctx.step('create-document', async () => ({ documentId: `doc-${++vendorCalls}` }));
      if (crash) {
        crash = false;
        throw new Error('crash after the vendor call');
      }
      const again = await ctx.step('create-document', async () => ({ documentId: `doc-${++vendorCalls}` }));
      expect(again.documentId).toBe('doc-1');
    });
    const { queue, worker, clock, advance } = await setup([stepped]);
    const { id } = await queue.enqueue(stepped, { portalId: 'p1', n: 1 });
    worker.start();
    const retrying = await queue.waitFor(id, 'retrying');
    await advance(retrying.runAt - clock.now());
    await queue.waitFor(id, 'succeeded');
    expect(vendorCalls).toBe(1);
  });

  it('postpones a waiting job without using up attempts', async () => {
    const waiting = job(
      'test.waiting',
      async () => {
        throw new JobWaitError('needs_reauth', 'portal needs re-authorisation', 300_000);
      },
      { maxAttempts: 1 },
    );
    const { queue, worker, clock } = await setup([waiting]);
    const { id } = await queue.enqueue(waiting, { portalId: 'p1', n: 1 });
    worker.start();
    const postponed = await queue.waitFor(id, 'retrying');
    expect(postponed.attempts).toBe(0);
    expect(postponed.runAt - clock.now()).toBe(300_000);
  });

  it("does not let one portal's 1,000 queued jobs delay another portal's job by more than a few jobs", async () => {
    const order: string[] = [];
    const work = job('test.fair', async (p) => {
      order.push(`${p.portalId}:${p.n}`);
    });
    const { queue, worker } = await setup([work], { concurrency: 1 });
    for (let n = 0; n < 1000; n++) await queue.enqueue(work, { portalId: 'busy', n });
    await queue.enqueue(work, { portalId: 'quiet', n: 0 });
    worker.start();
    await expect.poll(async () => order.includes('quiet:0'), { timeout: 10_000 }).toBe(true);
    expect(order.indexOf('quiet:0')).toBeLessThanOrEqual(3);
  });

  it('lets running jobs finish on graceful shutdown and claims nothing new', async () => {
    let finished = 0;
    const slow = job('test.slow', async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished++;
    });
    const { queue, worker } = await setup([slow], { concurrency: 1 });
    const first = await queue.enqueue(slow, { portalId: 'p1', n: 1 });
    const second = await queue.enqueue(slow, { portalId: 'p1', n: 2 });
    worker.start();
    await queue.waitFor(first.id, 'running');
    await worker.stop();
    expect(finished).toBe(1);
    expect((await queue.get(first.id))!.state).toBe('succeeded');
    expect((await queue.get(second.id))!.state).toBe('queued');
  });

  it('lets the UI retry a dead job of its own portal only', async () => {
    const broken = job('test.dead', async () => {
      throw new JobError('bad', 'bad', { retryable: false });
    });
    const { queue, worker } = await setup([broken]);
    const { id } = await queue.enqueue(broken, { portalId: 'p1', n: 1 });
    worker.start();
    await queue.waitFor(id, 'dead');
    await worker.stop();
    expect(await queue.retryNow('p2', id)).toBe(false);
    expect(await queue.retryNow('p1', id)).toBe(true);
    expect(await queue.get(id)).toMatchObject({ state: 'queued', attempts: 0 });
  });

  it('makes a job that waits for re-authorisation due at once when the user retries it', async () => {
    const waiting = job('test.retry-waiting', async () => {
      throw new JobWaitError('needs_reauth', 'portal needs re-authorisation', 600_000);
    });
    const { queue, worker, clock } = await setup([waiting]);
    const { id } = await queue.enqueue(waiting, { portalId: 'p1', n: 1 });
    worker.start();
    await queue.waitFor(id, 'retrying');
    await worker.stop();
    expect(await queue.retryNow('p2', id)).toBe(false);
    expect((await queue.get(id))!.runAt).toBe(clock.now() + 600_000);
    expect(await queue.retryNow('p1', id)).toBe(true);
    expect(await queue.get(id)).toMatchObject({ state: 'retrying', runAt: clock.now(), attempts: 0 });
  });

  it("wakes only the re-installed portal's waiting jobs", async () => {
    const waiting = job('test.wake', async () => {
      throw new JobWaitError('portal_not_connected', 'no tokens', 549_000);
    });
    const { queue, worker, clock } = await setup([waiting]);
    const mine = await queue.enqueue(waiting, { portalId: '101', n: 1 });
    const other = await queue.enqueue(waiting, { portalId: '202', n: 1 });
    worker.start();
    await queue.waitFor(mine.id, 'retrying');
    await queue.waitFor(other.id, 'retrying');
    await worker.stop();
    clock.advance(1_000);
    expect(await queue.wakePortal('101')).toBe(1);
    expect(await queue.get(mine.id)).toMatchObject({ state: 'retrying', runAt: clock.now() });
    expect((await queue.get(other.id))!.runAt).toBe(clock.now() + 548_000);
    expect(await queue.wakePortal('101')).toBe(0);
  });

  it('ends every live job of a disconnected portal with the reason, and a run still in flight does not bring it back', async () => {
    let release!: () => void;
    const slow = job('test.end', () => new Promise<void>((resolve) => (release = resolve)));
    const { queue, worker } = await setup([slow], { concurrency: 1 });
    const running = await queue.enqueue(slow, { portalId: '101', n: 1 });
    const queued = await queue.enqueue(slow, { portalId: '101', n: 2 });
    const foreign = await queue.enqueue(slow, { portalId: '202', n: 1 }, { runAt: Date.UTC(2030, 0, 1) });
    worker.start();
    await queue.waitFor(running.id, 'running');
    expect(await queue.endPortal('101', { code: 'portal_disconnected', message: 'The portal was disconnected.' })).toBe(2);
    release();
    await worker.stop();
    for (const id of [running.id, queued.id]) {
      expect(await queue.get(id)).toMatchObject({ state: 'dead', lastError: { code: 'portal_disconnected', retryable: false } });
    }
    expect((await queue.get(foreign.id))!.state).toBe('queued');
  });

  it('rejects a payload that does not match the job schema at enqueue', async () => {
    const strict = job('test.strict', async () => {});
    const { queue } = await setup([strict]);
    await expect(queue.enqueue(strict, { portalId: 'p1' } as unknown as P)).rejects.toThrow();
  });
});
