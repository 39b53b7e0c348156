/**
 * On PostgreSQL the queue's engine is pg-boss: every run of a job (its first run, each retry, a
 * rerun) is one pg-boss job in the queue `apiup.runs`, carrying the id of our job record. pg-boss
 * decides which run is due (`start_after`), hands each run to exactly one worker of all instances
 * (`fetch`: `FOR UPDATE SKIP LOCKED`, highest priority first), and gives the run of a dead process to
 * another worker once its expiry passes (its maintenance, shared by the instances). Our `jobs` table
 * stays the record the product shows and decides by: dedupe keys, attempts, steps, errors, dead letters.
 *
 * What pg-boss 10 lacks is built on its own mechanisms, in `DbJobQueue`:
 * - a per-retry delay (the vendor's retry-after): a retry is a new run with its own `startAfter`;
 * - lease extension: the heartbeat moves the run's expiry (`expire_in`), which pg-boss's maintenance
 *   reads to give the run to another worker;
 * - fairness across portals: a run's priority is minus the number of live jobs its portal has, so
 *   `fetch` (priority first) alternates between portals instead of draining the busiest one first.
 */
import { randomUUID } from 'node:crypto';
import PgBoss from 'pg-boss';
import { sql, type SQL } from 'drizzle-orm';
import type { Logger } from 'pino';
import { isDeadlock, type DbOrTx } from '../db/client';

export const runsQueue = 'apiup.runs';
const schema = 'pgboss';

export interface RunsOptions {
  url: string;
  /** How long a run may go without a heartbeat before another worker takes it (ms). */
  leaseMs: number;
  log: Logger;
  /** Takeovers pg-boss allows per run; above our own poison limit, so we decide first. */
  takeoverLimit: number;
}

/** A run to put in the queue for the job record `job`, due `delayMs` from now. */
export interface NewRun {
  runId: string;
  job: number;
  portalId: string;
  /** Relative, so pg-boss measures it on the database's clock, the one it decides due-ness by. */
  delayMs: number;
}

/**
 * pg-boss statements inside one of our transactions: pg-boss hands its SQL (`$1…` placeholders) to
 * this object, which runs it on the transaction's connection, so a run exists exactly when its job
 * record's change commits.
 */
export function onConnection(target: DbOrTx): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const chunks: SQL[] = [];
      let last = 0;
      for (const match of text.matchAll(/\$(\d+)/g)) {
        chunks.push(sql.raw(text.slice(last, match.index)), sql`${sql.param(values[Number(match[1]) - 1])}`);
        last = match.index + match[0].length;
      }
      chunks.push(sql.raw(text.slice(last)));
      return { rows: await target.execute(sql.join(chunks)) };
    },
  };
}

/**
 * Makes the queue `apiup.runs` unless it exists. pg-boss's `create_queue` is not safe against itself:
 * instances starting at once can deadlock on the partition it attaches (PostgreSQL aborts one of
 * them), so the one that lost tries again and finds the queue made.
 */
async function createRunsQueue(boss: PgBoss, retryLimit: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await boss.getQueue(runsQueue)) return;
    try {
      await boss.createQueue(runsQueue, { name: runsQueue, policy: 'standard', retryLimit, retryDelay: 0, retryBackoff: false });
      return;
    } catch (error) {
      if (!isDeadlock(error) || attempt >= 5) throw error;
    }
  }
}

export class PgBossRuns {
  private constructor(
    private readonly boss: PgBoss,
    private readonly options: RunsOptions,
  ) {}

  /** Starts pg-boss on the database (its schema `pgboss` is made or migrated by pg-boss itself). */
  static async start(options: RunsOptions): Promise<PgBossRuns> {
    const boss = new PgBoss({
      connectionString: options.url,
      schema,
      max: 2,
      application_name: 'apiup-pg-boss',
      migrate: true,
      supervise: true,
      schedule: false,
      // Expired runs are found by the maintenance: it runs about as often as a lease is long.
      maintenanceIntervalSeconds: Math.max(1, Math.round(options.leaseMs / 2_000)),
    });
    boss.on('error', (error: unknown) => options.log.warn({ err: error }, 'pg-boss reported an error'));
    await boss.start();
    try {
      await createRunsQueue(boss, options.takeoverLimit);
    } catch (error) {
      await boss.stop({ graceful: false, wait: true, timeout: 1_000 });
      throw error;
    }
    return new PgBossRuns(boss, options);
  }

  newRunId(): string {
    return randomUUID();
  }

  /** Puts runs in the queue, in the caller's transaction. Priority: minus the portal's live jobs (fairness). */
  async schedule(tx: DbOrTx, runs: NewRun[]): Promise<void> {
    if (runs.length === 0) return;
    const portals = [...new Set(runs.map((r) => r.portalId))];
    const counts = await tx.execute<{ portal_id: string; live: number }>(
      sql`select portal_id, count(*)::int as live from jobs where portal_id in ${portals} and state in ('queued', 'running', 'retrying') group by portal_id`,
    );
    // The records of these runs are live already (inserted or made due in this transaction): a portal's
    // n-th live job gets priority -(n-1), so the first job of every portal comes before the second of any.
    const rank = new Map(counts.map((c) => [c.portal_id, Number(c.live)]));
    for (const run of runs) rank.set(run.portalId, (rank.get(run.portalId) ?? 0) - 1);
    await this.boss.insert(
      runs.map((run) => {
        const ahead = Math.max(0, rank.get(run.portalId) ?? 0);
        rank.set(run.portalId, ahead + 1);
        return {
          id: run.runId,
          name: runsQueue,
          data: { job: run.job },
          priority: -ahead,
          startAfter: `${Math.max(0, run.delayMs) / 1000} seconds`,
          expireInSeconds: this.leaseSeconds(),
        };
      }),
      { db: onConnection(tx) },
    );
  }

  /** The next due run for this worker, active from now on; undefined when none is due. */
  async fetch(tx: DbOrTx): Promise<{ runId: string; job: number } | undefined> {
    const [run] = await this.boss.fetch<{ job: number } | string>(runsQueue, { batchSize: 1, db: onConnection(tx) });
    if (!run) return undefined;
    // Our connection hands jsonb back as text (see db/client.ts).
    const data = typeof run.data === 'string' ? (JSON.parse(run.data) as { job: number }) : run.data;
    return { runId: run.id, job: data.job };
  }

  /** The run ended (succeeded, will be retried as a new run, or its job is dead); `outcome` is kept on the run. */
  async finish(tx: DbOrTx, runId: string, outcome: Record<string, unknown>): Promise<void> {
    await this.boss.complete(runsQueue, runId, outcome, { db: onConnection(tx) });
  }

  /** Runs that will not start (their job was made due now as a new run, or ended). */
  async cancel(tx: DbOrTx, runIds: string[]): Promise<void> {
    if (runIds.length > 0) await this.boss.cancel(runsQueue, runIds, { db: onConnection(tx) });
  }

  /**
   * The heartbeat: the run's expiry moves to `leaseMs` from now. pg-boss 10 has no call for this; its
   * maintenance expires a run when `started_on + expire_in` has passed, so the expiry is that column.
   */
  async extend(tx: DbOrTx, runId: string, leaseMs: number): Promise<void> {
    await tx.execute(
      sql`update ${sql.identifier(schema)}.job set expire_in = (now() - started_on) + make_interval(secs => ${leaseMs / 1000}) where name = ${runsQueue} and id = ${runId}::uuid and state = 'active'`,
    );
  }

  /**
   * Live job records whose run pg-boss does not hold (pending or active): a database copied from
   * SQLite, or runs removed by hand. Locked for the caller's transaction; rows another instance is
   * adopting right now are skipped.
   */
  async orphans(tx: DbOrTx): Promise<number[]> {
    const rows = await tx.execute<{ id: number }>(
      sql`select j.id from jobs j where j.state in ('queued', 'running', 'retrying')
          and not exists (select 1 from ${sql.identifier(schema)}.job b where b.name = ${runsQueue} and b.id = j.run_id::uuid and b.state < 'completed')
          for update of j skip locked`,
    );
    return rows.map((r) => Number(r.id));
  }

  /** Gives expired runs to other workers now (pg-boss's maintenance does this every few seconds by itself). */
  async expireOverdue(): Promise<void> {
    await this.boss.expire();
  }

  private leaseSeconds(): number {
    return Math.max(1, Math.ceil(this.options.leaseMs / 1000));
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: false, wait: true, timeout: 1_000 });
  }
}
