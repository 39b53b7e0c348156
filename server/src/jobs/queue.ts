/**
 * The durable job queue. Our `jobs` table is every job's record (dedupe key, attempts, steps, errors,
 * dead letters) on both engines. Who runs what when: on SQLite this class itself (claim below); on
 * PostgreSQL pg-boss (`pg-boss-runs.ts`), which holds one run per due job and hands it to one worker
 * of all instances; each change of a record and of its run is one transaction. `JobQueue` is the seam
 * callers use; they only enqueue, read and retry.
 */
import { and, desc, eq, gt, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core';
import { insertIgnoringConflicts } from '../db/bulk-insert';
import { isUniqueViolation, type Db, type DbOrTx } from '../db/client';
import { jobs, type JobErrorInfo, type JobState } from '../db/schema';
import { backoffMs } from '../lib/backoff';
import type { JobDefinition } from './define';
import type { NewRun, PgBossRuns } from './pg-boss-runs';

export type JobRecord = typeof jobs.$inferSelect;
/** A job row about to be inserted, its dedupe key decided (null: none). */
type NewJob = typeof jobs.$inferInsert & { dedupeKey: string | null };

export interface EnqueueOptions {
  /** Enqueue inside the caller's transaction (the job exists only if the transaction commits). */
  tx?: DbOrTx;
  /** Not before this instant (epoch ms). */
  runAt?: number;
}

export interface EnqueueRequest {
  definition: JobDefinition<unknown>;
  payload: unknown;
  runAt?: number;
}

export interface EnqueueResult {
  id: number;
  /** A live job with the same key existed; no new job was made. */
  deduplicated: boolean;
}

export interface JobQueue {
  enqueue<P>(definition: JobDefinition<P>, payload: P, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** Many jobs in the caller's transaction, as `enqueue` one by one would make them, in fewer statements. */
  enqueueMany(requests: EnqueueRequest[], tx: DbOrTx): Promise<EnqueueResult[]>;
  get(id: number): Promise<JobRecord | undefined>;
  /** The newest job with this dedupe key. */
  latestByKey(key: string): Promise<JobRecord | undefined>;
  list(filter: { portalId: string; states?: JobState[]; limit?: number }): Promise<JobRecord[]>;
  /** Puts a dead job of this portal back in the queue, or makes a waiting one due now; false if there is neither. */
  retryNow(portalId: string, id: number): Promise<boolean>;
  /** Makes a waiting job with this key due now; false if none waits. */
  expedite(key: string): Promise<boolean>;
  /** Makes every waiting job of the portal due now (its tokens came back); returns how many. */
  wakePortal(portalId: string, tx?: DbOrTx): Promise<number>;
  /** Ends every live job of the portal (it was disconnected) as dead with this reason; returns how many. */
  endPortal(portalId: string, reason: { code: string; message: string }): Promise<number>;
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

/** A record that has just become due at `runAt` (inserted, retried, made due now) and needs a run. */
type Due = Pick<JobRecord, 'id' | 'portalId' | 'runAt' | 'runId'>;
const dueColumns = { id: jobs.id, portalId: jobs.portalId, runAt: jobs.runAt, runId: jobs.runId };

export class DbJobQueue implements JobQueue {
  constructor(
    private readonly db: Db,
    private readonly clock: QueueClock = { now: Date.now },
    private readonly backoff: BackoffSettings = defaultBackoff,
    /** PostgreSQL: pg-boss runs the jobs. Absent: this class claims from the table itself (SQLite, tools). */
    private readonly runs?: PgBossRuns,
  ) {}

  /** The engine that runs the jobs, for /readyz. */
  get engine(): 'pg-boss' | 'apiup' {
    return this.runs ? 'pg-boss' : 'apiup';
  }

  async close(): Promise<void> {
    await this.runs?.stop();
  }

  async enqueue<P>(definition: JobDefinition<P>, payload: P, options: EnqueueOptions = {}): Promise<EnqueueResult> {
    const row = this.row(definition, payload, options.runAt);
    return this.within(options.tx, (tx) => this.insertOrJoin(tx, row));
  }

  /** `work` in the caller's transaction, or (with pg-boss, where a record and its run change together) in a new one. */
  private within<T>(target: DbOrTx | undefined, work: (tx: DbOrTx) => Promise<T>): Promise<T> {
    if (target) return work(target);
    return this.runs ? this.db.transaction(work) : work(this.db);
  }

  /** pg-boss: the runs for records that became due (no-op on SQLite, where the table is the queue). */
  private async scheduleRuns(tx: DbOrTx, due: Due[]): Promise<void> {
    if (!this.runs) return;
    const now = this.clock.now();
    const runs: NewRun[] = due.map((d) => ({ runId: d.runId!, job: d.id, portalId: d.portalId, delayMs: d.runAt - now }));
    await this.runs.schedule(tx, runs);
  }

  /** A new run id for a record that becomes due (null on SQLite). */
  private nextRunId(): string | null {
    return this.runs?.newRunId() ?? null;
  }

  /**
   * Many jobs in one transaction (a webhook delivery's routing): one insert for all new keys, one
   * prepared insert per job without a key, the per-job path only for a key a live job already holds.
   * Same results as `enqueue` one by one.
   */
  async enqueueMany(requests: EnqueueRequest[], tx: DbOrTx): Promise<EnqueueResult[]> {
    const rows = requests.map((r) => this.row(r.definition, r.payload, r.runAt));
    const results: Array<EnqueueResult | undefined> = rows.map(() => undefined);
    // The first row of each key goes into the one insert; a repeat of a key in the batch joins that job.
    const firstOfKey = new Map<string, number>();
    const batch: number[] = [];
    rows.forEach((row, index) => {
      if (row.dedupeKey === null) return;
      if (!firstOfKey.has(row.dedupeKey)) {
        firstOfKey.set(row.dedupeKey, index);
        batch.push(index);
      }
    });
    if (batch.length > 0) {
      const inserted = await insertIgnoringConflicts(
        tx,
        jobs,
        batch.map((index) => rows[index]),
        { ...dueColumns, dedupeKey: jobs.dedupeKey },
      );
      for (const { id, dedupeKey } of inserted) results[firstOfKey.get(dedupeKey!)!] = { id, deduplicated: false };
      await this.scheduleRuns(tx, inserted);
    }
    for (const [index, row] of rows.entries()) {
      if (results[index]) continue;
      if (row.dedupeKey === null) {
        // Nothing to join: the same prepared insert, one row (on SQLite drizzle would build and prepare it anew).
        const [inserted] = await insertIgnoringConflicts(tx, jobs, [row], dueColumns);
        await this.scheduleRuns(tx, [inserted]);
        results[index] = { id: inserted.id, deduplicated: false };
        continue;
      }
      const first = firstOfKey.get(row.dedupeKey);
      if (first !== undefined && first !== index && results[first]) {
        results[index] = { id: results[first]!.id, deduplicated: true };
        continue;
      }
      results[index] = await this.insertOrJoin(tx, row);
    }
    return results as EnqueueResult[];
  }

  private row<P>(definition: JobDefinition<P>, payload: P, runAt: number | undefined): NewJob {
    const checked = definition.payload.parse(payload);
    const now = this.clock.now();
    return {
      name: definition.name,
      portalId: definition.portalId(checked),
      payload: checked,
      dedupeKey: definition.key?.(checked) ?? null,
      state: 'queued' as const,
      maxAttempts: definition.maxAttempts ?? 8,
      runAt: runAt ?? now,
      createdAt: now,
      updatedAt: now,
      runId: this.nextRunId(),
    };
  }

  private async insertOrJoin(target: DbOrTx, row: NewJob): Promise<EnqueueResult> {
    const { dedupeKey, updatedAt: now } = row;
    // Each step is one statement, so it holds against a job that finishes or starts meanwhile (another
    // worker, another instance): a running job is flagged only while it still runs, and a key whose
    // live job ended between two steps is inserted again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const [inserted] = await target.insert(jobs).values(row).onConflictDoNothing().returning(dueColumns);
      if (inserted) {
        await this.scheduleRuns(target, [inserted]);
        return { id: inserted.id, deduplicated: false };
      }
      // A live job holds the key. If it is already running it may have read stale data: ask for one more run.
      const [flagged] = await target
        .update(jobs)
        .set({ rerunRequested: true, updatedAt: now })
        .where(and(eq(jobs.dedupeKey, dedupeKey!), eq(jobs.state, 'running')))
        .returning({ id: jobs.id });
      if (flagged) return { id: flagged.id, deduplicated: true };
      const [waiting] = await target
        .select({ id: jobs.id })
        .from(jobs)
        .where(and(eq(jobs.dedupeKey, dedupeKey!), inArray(jobs.state, waitingStates)))
        .limit(1);
      if (waiting) return { id: waiting.id, deduplicated: true };
    }
    throw new Error(`enqueue of ${row.name} kept conflicting without a live job`);
  }

  /** A vendor event says there is news, or the user pressed "create now": the waiting job runs now. */
  async expedite(key: string): Promise<boolean> {
    return (await this.makeDueNow(and(eq(jobs.dedupeKey, key), inArray(jobs.state, waitingStates))!)) > 0;
  }

  /**
   * Waiting jobs matching `where` become due now. With pg-boss a run's start cannot be moved: the
   * waiting run is cancelled and a new one, due now, takes its place (one transaction).
   */
  private async makeDueNow(where: SQL, target?: DbOrTx): Promise<number> {
    const now = this.clock.now();
    return this.within(target, async (tx) => {
      if (!this.runs) {
        const changed = await tx.update(jobs).set({ runAt: now, updatedAt: now }).where(where).returning({ id: jobs.id });
        return changed.length;
      }
      const waiting = await tx.execute<{ id: number; run_id: string | null }>(sql`select id, run_id from ${jobs} where ${where} for update`);
      await this.runs.cancel(
        tx,
        waiting.flatMap((w) => (w.run_id ? [w.run_id] : [])),
      );
      return this.renewRuns(
        tx,
        waiting.map((w) => Number(w.id)),
        { runAt: now, updatedAt: now },
      );
    });
  }

  /** pg-boss: the records `ids` change by `set` and each gets a new run id (one statement); the runs go in the queue. */
  private async renewRuns(tx: DbOrTx, ids: number[], set: SQLiteUpdateSetSource<typeof jobs>): Promise<number> {
    if (ids.length === 0) return 0;
    const due = await tx
      .update(jobs)
      .set({ ...set, runId: sql`gen_random_uuid()::text` })
      .where(inArray(jobs.id, ids))
      .returning(dueColumns);
    await this.scheduleRuns(tx, due);
    return due.length;
  }

  /**
   * After a re-install the portal's jobs may be postponed for up to `reauthWaitMs` (or backing off
   * from the 401s before it): they were waiting only for the tokens, so they run now.
   */
  async wakePortal(portalId: string, tx?: DbOrTx): Promise<number> {
    return this.makeDueNow(and(eq(jobs.portalId, portalId), inArray(jobs.state, waitingStates), gt(jobs.runAt, this.clock.now()))!, tx);
  }

  /**
   * A disconnected portal's jobs would wait for tokens forever: they end here, visible in the
   * activity log with the reason. A running job keeps running to its end, but its lock is taken
   * away, so its result does not put it back in the queue.
   */
  async endPortal(portalId: string, reason: { code: string; message: string }): Promise<number> {
    const now = this.clock.now();
    return this.within(undefined, async (tx) => {
      // pg-boss: the waiting runs are cancelled; a running one is left to its worker, whose result no
      // longer matches the record, and ends at the next fetch or expiry (see claim).
      const waitingRuns = this.runs
        ? await tx
            .select({ runId: jobs.runId })
            .from(jobs)
            .where(and(eq(jobs.portalId, portalId), inArray(jobs.state, waitingStates)))
        : [];
      await this.runs?.cancel(
        tx,
        waitingRuns.flatMap((r) => (r.runId ? [r.runId] : [])),
      );
      const ended = await tx
        .update(jobs)
        .set({
          state: 'dead',
          leaseUntil: null,
          lockedBy: null,
          rerunRequested: false,
          lastError: { ...reason, retryable: false, at: now },
          updatedAt: now,
          finishedAt: now,
          runId: null,
        })
        .where(and(eq(jobs.portalId, portalId), inArray(jobs.state, liveStates)))
        .returning({ id: jobs.id });
      return ended.length;
    });
  }

  /**
   * pg-boss: every live record without a run gets one (a database copied from SQLite with
   * `npm run db:copy`). A record that was running is queued again: the process that ran it is gone;
   * its attempts and finished steps stay. Called when the product starts; returns how many.
   */
  async adoptOrphans(): Promise<number> {
    const runs = this.runs;
    if (!runs) return 0;
    return this.db.transaction(async (tx) =>
      this.renewRuns(tx, await runs.orphans(tx), {
        state: sql`case when ${jobs.state} = 'running' then 'queued' else ${jobs.state} end`,
        // As a take-over after a crash: the interrupted run was not the job's failure (claim counts it again).
        attempts: sql`case when ${jobs.state} = 'running' then ${jobs.attempts} - 1 else ${jobs.attempts} end`,
        leaseLosses: sql`${jobs.leaseLosses} + case when ${jobs.state} = 'running' then 1 else 0 end`,
        leaseUntil: null,
        lockedBy: null,
        updatedAt: this.clock.now(),
      }),
    );
  }

  /** How long the job that has waited longest past its `run_at` has waited (ms), 0 when none is due: /readyz shows it. */
  async oldestDueAgeMs(): Promise<number> {
    const now = this.clock.now();
    const [row] = await this.db
      .select({ runAt: sql<number | null>`min(${jobs.runAt})` })
      .from(jobs)
      .where(and(inArray(jobs.state, waitingStates), sql`${jobs.runAt} <= ${now}`));
    return row?.runAt === null || row?.runAt === undefined ? 0 : now - Number(row.runAt);
  }

  async get(id: number): Promise<JobRecord | undefined> {
    const [job] = await this.db.select().from(jobs).where(eq(jobs.id, id)).limit(1);
    return job;
  }

  async latestByKey(key: string): Promise<JobRecord | undefined> {
    const [job] = await this.db.select().from(jobs).where(eq(jobs.dedupeKey, key)).orderBy(desc(jobs.id)).limit(1);
    return job;
  }

  /** `quietWhenSucceeded`: jobs of these names are left out once succeeded (plumbing the user need not see work). */
  async list(filter: { portalId: string; states?: JobState[]; limit?: number; quietWhenSucceeded?: string[] }): Promise<JobRecord[]> {
    const conditions = [eq(jobs.portalId, filter.portalId)];
    if (filter.states?.length) conditions.push(inArray(jobs.state, filter.states));
    if (filter.quietWhenSucceeded?.length) conditions.push(or(notInArray(jobs.name, filter.quietWhenSucceeded), ne(jobs.state, 'succeeded'))!);
    return this.db
      .select()
      .from(jobs)
      .where(and(...conditions))
      .orderBy(desc(jobs.id))
      .limit(filter.limit ?? 50);
  }

  async retryNow(portalId: string, id: number): Promise<boolean> {
    const now = this.clock.now();
    if ((await this.makeDueNow(and(eq(jobs.id, id), eq(jobs.portalId, portalId), inArray(jobs.state, waitingStates))!)) === 1) return true;
    try {
      return await this.within(undefined, async (tx) => {
        const revived = await tx
          .update(jobs)
          .set({ state: 'queued', attempts: 0, runAt: now, updatedAt: now, finishedAt: null, runId: this.nextRunId() })
          .where(and(eq(jobs.id, id), eq(jobs.portalId, portalId), eq(jobs.state, 'dead')))
          .returning(dueColumns);
        await this.scheduleRuns(tx, revived);
        return revived.length === 1;
      });
    } catch (error) {
      // Another live job with the same key exists: that one will do the work.
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async waitFor(selector: number | string, states: JobState | JobState[], timeoutMs = 10_000): Promise<JobRecord> {
    const wanted = Array.isArray(states) ? states : [states];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = typeof selector === 'number' ? await this.get(selector) : await this.latestByKey(selector);
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
   * Claims the next runnable job. With pg-boss: the next due run pg-boss hands out (of all instances,
   * each run to one worker; portals alternate through the runs' priorities). Without: round-robin over
   * portals here, the one served longest ago first, in one transaction (SQLite: IMMEDIATE).
   * A job taken over from a dead process keeps its attempt: the crash was not its failure.
   */
  async claim(workerId: string, leaseMs: number, lastServed: Map<string, number>): Promise<JobRecord | undefined> {
    const now = this.clock.now();
    const running = {
      attempts: sql`${jobs.attempts} + case when ${jobs.state} = 'running' then 0 else 1 end`,
      leaseLosses: sql`${jobs.leaseLosses} + case when ${jobs.state} = 'running' then 1 else 0 end`,
      state: 'running' as const,
      leaseUntil: now + leaseMs,
      lockedBy: workerId,
      updatedAt: now,
    };
    if (this.runs) {
      const runs = this.runs;
      return this.db.transaction(async (tx) => {
        for (;;) {
          const run = await runs.fetch(tx);
          if (!run) return undefined;
          const [claimed] = await tx
            .update(jobs)
            .set(running)
            .where(and(eq(jobs.id, run.job), eq(jobs.runId, run.runId), inArray(jobs.state, liveStates)))
            .returning();
          if (claimed) return claimed;
          // A run its record no longer wants (the job ended or was made due as a newer run): it ends here.
          await runs.finish(tx, run.runId, { outcome: 'superseded' });
        }
      });
    }
    const runnable = sql`((${jobs.state} in ('queued','retrying') and ${jobs.runAt} <= ${now}) or (${jobs.state} = 'running' and ${jobs.leaseUntil} < ${now}))`;
    return this.db.transaction(async (tx) => {
      const portals = await tx
        .select({ portalId: jobs.portalId, firstDue: sql<number>`min(${jobs.runAt})` })
        .from(jobs)
        .where(runnable)
        .groupBy(jobs.portalId);
      if (portals.length === 0) return undefined;
      portals.sort((a, b) => (lastServed.get(a.portalId) ?? 0) - (lastServed.get(b.portalId) ?? 0) || Number(a.firstDue) - Number(b.firstDue));
      for (const { portalId } of portals) {
        // PostgreSQL without pg-boss (tools, tests of the table itself): the row locked with SKIP LOCKED.
        const lock = tx.dialect === 'postgres' ? sql` for update skip locked` : sql``;
        const [row] = await tx.execute<{ id: number }>(
          sql`select ${jobs.id} as id from ${jobs} where ${jobs.portalId} = ${portalId} and ${runnable} order by ${jobs.runAt}, ${jobs.id} limit 1${lock}`,
        );
        if (!row) continue; // another process holds this portal's due jobs right now
        const [claimed] = await tx
          .update(jobs)
          .set(running)
          .where(eq(jobs.id, Number(row.id)))
          .returning();
        return claimed;
      }
      return undefined;
    });
  }

  /** Extends the lease while the job runs (with pg-boss: its run's expiry too); false when another worker took it over. */
  async heartbeat(id: number, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    return this.within(undefined, async (tx) => {
      const [extended] = await tx
        .update(jobs)
        .set({ leaseUntil: now + leaseMs, updatedAt: now })
        .where(and(eq(jobs.id, id), eq(jobs.lockedBy, workerId), eq(jobs.state, 'running')))
        .returning({ runId: jobs.runId });
      if (extended?.runId) await this.runs?.extend(tx, extended.runId, leaseMs);
      return extended !== undefined;
    });
  }

  async saveStep(id: number, name: string, value: unknown): Promise<void> {
    const entry = JSON.stringify({ v: value ?? null });
    const steps =
      this.db.dialect === 'postgres'
        ? sql`jsonb_set(${jobs.steps}, array[${name}]::text[], ${entry}::jsonb)`
        : sql`json_set(${jobs.steps}, ${'$.' + JSON.stringify(name)}, json(${entry}))`;
    await this.db.update(jobs).set({ steps }).where(eq(jobs.id, id));
  }

  /**
   * Ends the worker's run of `job` with the record change `set` (only while this worker still holds
   * the job): with pg-boss, in one transaction, the run is completed with the outcome and, when the
   * record is due again, its next run is put in the queue.
   */
  private async settle(
    job: JobRecord,
    workerId: string,
    set: (nextRunId: string | null) => SQLiteUpdateSetSource<typeof jobs>,
    outcome: string,
  ): Promise<JobRecord | undefined> {
    return this.within(undefined, async (tx) => {
      const [settled] = await tx
        .update(jobs)
        .set(set(this.nextRunId()))
        .where(and(eq(jobs.id, job.id), eq(jobs.lockedBy, workerId)))
        .returning();
      // Not ours any more (another worker took the run over after an expiry, or the portal's jobs were ended): leave the run alone.
      if (!settled || !this.runs) return settled;
      if (job.runId) await this.runs.finish(tx, job.runId, { outcome: settled.state === 'queued' ? 'rerun' : outcome });
      if (settled.runId && waitingStates.includes(settled.state)) await this.scheduleRuns(tx, [settled]);
      return settled;
    });
  }

  async complete(job: JobRecord, workerId: string): Promise<void> {
    const now = this.clock.now();
    // One statement: a trigger that flags the job while it finishes is either seen here (queued again)
    // or, arriving after, finds the job ended and makes a new one (enqueue). Never lost between two reads.
    const again = sql`${jobs.rerunRequested}`;
    const emptySteps = this.db.dialect === 'postgres' ? sql`'{}'::jsonb` : sql`'{}'`;
    await this.settle(
      job,
      workerId,
      (nextRunId) => ({
        state: sql`case when ${again} then 'queued' else 'succeeded' end`,
        attempts: sql`case when ${again} then 0 else ${jobs.attempts} end`,
        runAt: sql`case when ${again} then cast(${now} as bigint) else ${jobs.runAt} end`,
        steps: sql`case when ${again} then ${emptySteps} else ${jobs.steps} end`,
        lastError: sql`case when ${again} then ${jobs.lastError} else null end`,
        finishedAt: sql`case when ${again} then null else cast(${now} as bigint) end`,
        runId: sql`case when ${again} then ${nextRunId} else null end`,
        rerunRequested: false,
        leaseUntil: null,
        lockedBy: null,
        updatedAt: now,
      }),
      'succeeded',
    );
  }

  /** Records a failure: retry after a backoff (the vendor's retry-after wins), or dead. */
  async fail(job: JobRecord, workerId: string, error: JobErrorInfo, retryAfterMs?: number): Promise<'retrying' | 'dead'> {
    const now = this.clock.now();
    const dead = !error.retryable || job.attempts >= job.maxAttempts;
    await this.settle(
      job,
      workerId,
      (nextRunId) => ({
        state: dead ? 'dead' : 'retrying',
        runAt: dead ? job.runAt : now + (retryAfterMs ?? backoffMs(job.attempts, this.backoff.baseMs, this.backoff.maxMs)),
        leaseUntil: null,
        lockedBy: null,
        lastError: error,
        updatedAt: now,
        finishedAt: dead ? now : null,
        runId: dead ? null : nextRunId,
      }),
      dead ? 'dead' : 'failed',
    );
    return dead ? 'dead' : 'retrying';
  }

  /** Reschedules without using up an attempt (JobWaitError). */
  async postpone(job: JobRecord, workerId: string, delayMs: number, reason: JobErrorInfo): Promise<void> {
    const now = this.clock.now();
    await this.settle(
      job,
      workerId,
      (nextRunId) => ({
        state: 'retrying',
        attempts: job.attempts - 1,
        runAt: now + delayMs,
        leaseUntil: null,
        lockedBy: null,
        lastError: reason,
        updatedAt: now,
        runId: nextRunId,
      }),
      'waiting',
    );
  }

  /** A job whose lease expired too often (it keeps killing its process) is dead. */
  async markDead(job: JobRecord, workerId: string, error: JobErrorInfo): Promise<void> {
    const now = this.clock.now();
    await this.settle(
      job,
      workerId,
      () => ({ state: 'dead', leaseUntil: null, lockedBy: null, lastError: error, updatedAt: now, finishedAt: now, runId: null }),
      'dead',
    );
  }
}
