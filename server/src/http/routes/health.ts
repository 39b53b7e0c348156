import { Router } from 'express';
import { sql } from 'drizzle-orm';
import { isMigrated, type Db } from '../../db/client';
import type { StorageHealth } from '../../storage-health';

/** What /readyz shows of the job queue: whether this process works jobs and how far behind they are. */
export interface QueueHealth {
  /** undefined: this process was started without a worker (an observer) and works no jobs. */
  workerRunning(): boolean | undefined;
  oldestDueAgeMs(): Promise<number>;
  /** What runs the jobs: pg-boss (PostgreSQL) or our own claim on the jobs table (SQLite). */
  engine: string;
}

/**
 * `/healthz`: the process is up. `/readyz`: the database answers, every migration is applied and
 * there is room to store what we accept (storage-health.ts); it also reports the queue (worker
 * running, age of the oldest due job). A backlog alone does not make the process unready: intake
 * keeps storing events durably while the worker catches up, and taking the instance out of a load
 * balancer would not make the backlog shorter. A worker that was started and has stopped does.
 */
export function healthRoutes(db: Db, storage?: StorageHealth, queue?: QueueHealth): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let database = false;
    try {
      database = (await db.execute(sql`select 1 as ok`)).length === 1;
    } catch {
      database = false;
    }
    const migrations = database && (await isMigrated(db));
    const disk = storage?.canWrite() ?? true;
    const workerRunning = queue?.workerRunning();
    const jobs =
      queue && database && migrations
        ? {
            engine: queue.engine,
            worker: workerRunning === undefined ? 'off' : workerRunning ? 'running' : 'stopped',
            oldestDueJobAgeMs: await queue.oldestDueAgeMs().catch(() => -1),
          }
        : undefined;
    const ready = database && migrations && disk && workerRunning !== false;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', database, engine: db.dialect, migrations, disk, ...(jobs ? { queue: jobs } : {}) });
  });
  return router;
}
