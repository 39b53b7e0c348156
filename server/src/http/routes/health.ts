import { Router } from 'express';
import { isMigrated, type Db } from '../../db/client';

/** `/healthz`: the process is up. `/readyz`: the database answers and every migration is applied. */
export function healthRoutes(db: Db): Router {
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
    res.status(database && migrations ? 200 : 503).json({ status: database && migrations ? 'ready' : 'not_ready', database, migrations });
  });
  return router;
}
