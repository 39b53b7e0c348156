/**
 * The durable job queue on the application's SQLite database. Small on purpose: `JobQueue` is the
 * seam where a Postgres engine (pg-boss) can replace it; callers only enqueue, read and retry.
 */
import type Database from 'better-sqlite3';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client';
import { jobs, type JobErrorInfo, type JobState } from '../db/schema';
import { backoffMs } from '../lib/backoff';
import type { JobDefinition } from './define';

export type JobRecord = typeof jobs.$inferSelect;

export interface EnqueueOptions {
  /** Enqueue inside the caller's transaction (the job exists only if the transaction commits). */
  tx?: DbOrTx;
  /** Not before this instant (epoch ms). */
  runAt?: number;
}

export interface EnqueueResult {
  id: number;
  /** A live job with the same key existed; no new job was made. */
  deduplicated: boolean;
}

export interface JobQueue {
  enqueue<P>(definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): EnqueueResult;
  get(id: number): JobRecord | undefined;
  /** The newest job with this dedupe key. */
  latestByKey(key: string): JobRecord | undefined;
  list(filter: { portalId: string; states?: JobState[]; limit?: number }): JobRecord[];
  /** Puts a dead job of this portal back in the queue, or makes a waiting one due now; false if there is neither. */
  retryNow(portalId: string, id: number): boolean;
  /** Makes a waiting job with this key due now; false if none waits. */
  expedite(key: string): boolean;
  /** Makes every waiting job of the portal due now (its tokens came back); returns how many. */
  wakePortal(portalId: string, tx?: DbOrTx): number;
  /** Ends every live job of the portal (it was disconnected) as dead with this reason; returns how many. */
  endPortal(portalId: string, reason: { code: string; message: string }): number;
  /** Test and tooling helper: resolves when the job (by id or newest with key) reaches one of `states`. */
  waitFor(selector: number | string, states: JobState | JobState[], timeoutMs?: number): Promise<JobRecord>;
}

export interface QueueClock {
  now(): number;
}

export const liveStates: JobState[] = ['queued', 'running', 'retrying'];
/** Live but not running: due at `run_at`. */
export const waitingStates: JobState[] = ['queued', 'retrying'];

export interface BackoffSettings {
  /** First retry waits about this long; each further one twice as long. */
  baseMs: number;
  /** No retry waits longer. */
  maxMs: number;
}

export const defaultBackoff: BackoffSettings = { baseMs: 1_000, maxMs: 5 * 60_000 };

export class SqliteJobQueue implements JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: QueueClock = { now: Date.now },
    private readonly backoff: BackoffSettings = defaultBackoff,
  ) {}

  enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): EnqueueResult {
    const checked = definition.payload.parse(payload);
    const dedupeKey = definition.key?.(checked) ?? null;
    const target = options.tx ?? this.db;
    const now = this.clock.now();
    // The webhook intake enqueues once per event: one prepared statement instead of building the
    // query each time. `tx` is a transaction on this same connection (better-sqlite3), so the row
    // is part of it either way.
    const inserted = this.insertJob().get(
      definition.name,
      definition.portalId(checked),
      JSON.stringify(checked),
      dedupeKey,
      definition.maxAttempts ?? 8,
      options.runAt ?? now,
      now,
      now,
    ) as { id: number } | undefined;
    if (inserted) return { id: inserted.id, deduplicated: false };
    // A live job holds the key. If it is already running it may have read stale data: ask for one more run.
    const live = target
      .select({ id: jobs.id, state: jobs.state })
      .from(jobs)
      .where(and(eq(jobs.dedupeKey, dedupeKey!), inArray(jobs.state, liveStates)))
      .get();
    if (!live) throw new Error(`enqueue of ${definition.name} conflicted without a live job`);
    if (live.state === 'running') {
      target.update(jobs).set({ rerunRequested: true, updatedAt: now }).where(eq(jobs.id, live.id)).run();
    }
    return { id: live.id, deduplicated: true };
  }

  private insertJobStatement: Database.Statement | undefined;
  private insertJob(): Database.Statement {
    this.insertJobStatement ??= this.db.$client.prepare(
      `insert into jobs (name, portal_id, payload, dedupe_key, state, max_attempts, run_at, created_at, updated_at)
       values (?, ?, ?, ?, 'queued', ?, ?, ?, ?) on conflict do nothing returning id`,
    );
    return this.insertJobStatement;
  }

  /** A vendor event says there is news, or the user pressed "create now": the waiting job runs now. */
  expedite(key: string): boolean {
    const now = this.clock.now();
    const result = this.db
      .update(jobs)
      .set({ runAt: now, updatedAt: now })
      .where(and(eq(jobs.dedupeKey, key), inArray(jobs.state, waitingStates)))
      .run();
    return result.changes > 0;
  }

  /**
   * After a re-install the portal's jobs may be postponed for up to `reauthWaitMs` (or backing off
   * from the 401s before it): they were waiting only for the tokens, so they run now.
   */
  wakePortal(portalId: string, tx: DbOrTx = this.db): number {
    const now = this.clock.now();
    return tx
      .update(jobs)
      .set({ runAt: now, updatedAt: now })
      .where(and(eq(jobs.portalId, portalId), inArray(jobs.state, waitingStates), gt(jobs.runAt, now)))
      .run().changes;
  }

  /**
   * A disconnected portal's jobs would wait for tokens forever: they end here, visible in the
   * activity log with the reason. A running job keeps running to its end, but its lock is taken
   * away, so its result does not put it back in the queue.
   */
  endPortal(portalId: string, reason: { code: string; message: string }): number {
    const now = this.clock.now();
    return this.db
      .update(jobs)
      .set({
        state: 'dead',
        leaseUntil: null,
        lockedBy: null,
        rerunRequested: false,
        lastError: { ...reason, retryable: false, at: now },
        updatedAt: now,
        finishedAt: now,
      })
      .where(and(eq(jobs.portalId, portalId), inArray(jobs.state, liveStates)))
      .run().changes;
  }

  /** How long the job that has waited longest past its `run_at` has waited (ms), 0 when none is due: /readyz shows it. */
  oldestDueAgeMs(): number {
    const now = this.clock.now();
    const row = this.db.$client.prepare(`select min(run_at) as runAt from jobs where state in ('queued','retrying') and run_at <= ?`).get(now) as {
      runAt: number | null;
    };
    return row.runAt === null ? 0 : now - row.runAt;
  }

  get(id: number): JobRecord | undefined {
    return this.db.select().from(jobs).where(eq(jobs.id, id)).get();
  }

  latestByKey(key: string): JobRecord | undefined {
    return this.db.select().from(jobs).where(eq(jobs.dedupeKey, key)).orderBy(desc(jobs.id)).limit(1).get();
  }

  list(filter: { portalId: string; states?: JobState[]; limit?: number }): JobRecord[] {
    const conditions = [eq(jobs.portalId, filter.portalId)];
    if (filter.states?.length) conditions.push(inArray(jobs.state, filter.states));
    return this.db
      .select()
      .from(jobs)
      .where(and(...conditions))
      .orderBy(desc(jobs.id))
      .limit(filter.limit ?? 50)
      .all();
  }

  retryNow(portalId: string, id: number): boolean {
    const now = this.clock.now();
    const waiting = this.db
      .update(jobs)
      .set({ runAt: now, updatedAt: now })
      .where(and(eq(jobs.id, id), eq(jobs.portalId, portalId), inArray(jobs.state, waitingStates)))
      .run();
    if (waiting.changes === 1) return true;
    try {
      const result = this.db
        .update(jobs)
        .set({ state: 'queued', attempts: 0, runAt: now, updatedAt: now, finishedAt: null })
        .where(and(eq(jobs.id, id), eq(jobs.portalId, portalId), eq(jobs.state, 'dead')))
        .run();
      return result.changes === 1;
    } catch (error) {
      // Another live job with the same key exists: that one will do the work.
      if (String(error).includes('UNIQUE')) return false;
      throw error;
    }
  }

  async waitFor(selector: number | string, states: JobState | JobState[], timeoutMs = 10_000): Promise<JobRecord> {
    const wanted = Array.isArray(states) ? states : [states];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = typeof selector === 'number' ? this.get(selector) : this.latestByKey(selector);
      if (job && wanted.includes(job.state)) return job;
      if (Date.now() > deadline) {
        throw new Error(
          `job ${selector} did not reach ${wanted.join('/')} within ${timeoutMs} ms (now ${job?.state ?? 'missing'}${job?.lastError ? `: ${job.lastError.message}` : ''})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  // ---- used by the worker ---------------------------------------------------------------

  /**
   * Claims the next runnable job, round-robin over portals so one busy portal cannot starve the
   * others: among portals with due work, the one served longest ago goes first. Runs in an
   * IMMEDIATE transaction, so two processes never claim the same job.
   */
  claim(workerId: string, leaseMs: number, lastServed: Map<string, number>): JobRecord | undefined {
    const client = this.db.$client;
    const now = this.clock.now();
    return client
      .transaction((): JobRecord | undefined => {
        const portals = client
          .prepare(
            `select portal_id as portalId, min(run_at) as firstDue from jobs
             where (state in ('queued','retrying') and run_at <= ?) or (state = 'running' and lease_until < ?)
             group by portal_id`,
          )
          .all(now, now) as Array<{ portalId: string; firstDue: number }>;
        if (portals.length === 0) return undefined;
        portals.sort((a, b) => (lastServed.get(a.portalId) ?? 0) - (lastServed.get(b.portalId) ?? 0) || a.firstDue - b.firstDue);
        const portalId = portals[0].portalId;
        const row = client
          .prepare(
            `select id from jobs where portal_id = ? and
             ((state in ('queued','retrying') and run_at <= ?) or (state = 'running' and lease_until < ?))
             order by run_at, id limit 1`,
          )
          .get(portalId, now, now) as { id: number };
        client
          // A job taken over from a dead process keeps its attempt: the crash was not its failure.
          .prepare(
            `update jobs set attempts = attempts + (state != 'running'), lease_losses = lease_losses + (state = 'running'),
             state = 'running', lease_until = ?, locked_by = ?, updated_at = ? where id = ?`,
          )
          .run(now + leaseMs, workerId, now, row.id);
        return this.get(row.id);
      })
      .immediate();
  }

  /** Extends the lease while the job runs; false when another worker took it over. */
  heartbeat(id: number, workerId: string, leaseMs: number): boolean {
    const now = this.clock.now();
    const result = this.db
      .update(jobs)
      .set({ leaseUntil: now + leaseMs, updatedAt: now })
      .where(and(eq(jobs.id, id), eq(jobs.lockedBy, workerId), eq(jobs.state, 'running')))
      .run();
    return result.changes === 1;
  }

  saveStep(id: number, name: string, value: unknown): void {
    this.db
      .update(jobs)
      .set({ steps: sql`json_set(${jobs.steps}, ${'$.' + JSON.stringify(name)}, json(${JSON.stringify({ v: value ?? null })}))` })
      .where(eq(jobs.id, id))
      .run();
  }

  complete(job: JobRecord, workerId: string): void {
    const now = this.clock.now();
    const again = this.get(job.id)?.rerunRequested;
    this.db
      .update(jobs)
      .set(
        again
          ? { state: 'queued', attempts: 0, rerunRequested: false, runAt: now, leaseUntil: null, lockedBy: null, steps: {}, updatedAt: now }
          : { state: 'succeeded', leaseUntil: null, lockedBy: null, lastError: null, updatedAt: now, finishedAt: now },
      )
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)))
      .run();
  }

  /** Records a failure: retry after a backoff (the vendor's retry-after wins), or dead. */
  fail(job: JobRecord, workerId: string, error: JobErrorInfo, retryAfterMs?: number): 'retrying' | 'dead' {
    const now = this.clock.now();
    const dead = !error.retryable || job.attempts >= job.maxAttempts;
    this.db
      .update(jobs)
      .set({
        state: dead ? 'dead' : 'retrying',
        runAt: dead ? job.runAt : now + (retryAfterMs ?? backoffMs(job.attempts, this.backoff.baseMs, this.backoff.maxMs)),
        leaseUntil: null,
        lockedBy: null,
        lastError: error,
        updatedAt: now,
        finishedAt: dead ? now : null,
      })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)))
      .run();
    return dead ? 'dead' : 'retrying';
  }

  /** Reschedules without using up an attempt (JobWaitError). */
  postpone(job: JobRecord, workerId: string, delayMs: number, reason: JobErrorInfo): void {
    const now = this.clock.now();
    this.db
      .update(jobs)
      .set({ state: 'retrying', attempts: job.attempts - 1, runAt: now + delayMs, leaseUntil: null, lockedBy: null, lastError: reason, updatedAt: now })
      .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)))
      .run();
  }

  /** A job whose lease expired too often (it keeps killing its process) is dead. */
  markDead(job: JobRecord, error: JobErrorInfo): void {
    const now = this.clock.now();
    this.db
      .update(jobs)
      .set({ state: 'dead', leaseUntil: null, lockedBy: null, lastError: error, updatedAt: now, finishedAt: now })
      .where(eq(jobs.id, job.id))
      .run();
  }
}
