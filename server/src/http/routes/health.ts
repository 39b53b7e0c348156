import { Router } from 'express';
import { isMigrated, type Db } from '../../db/client';
import type { StorageHealth } from '../../storage-health';

/**
 * `/healthz`: the process is up. `/readyz`: the database answers, every migration is applied and
 * there is room to store what we accept (storage-health.ts).
 */
export function healthRoutes(db: Db, storage?: StorageHealth): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res) => {
    let database = false;
    try {
      database = db.$client.prepare('select 1 as ok').get() !== undefined;
    } catch {
      database = false;
    }
    const migrations = database && isMigrated(db);
    const disk = storage?.canWrite() ?? true;
    const ready = database && migrations && disk;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', database, migrations, disk });
  });
  return router;
}
