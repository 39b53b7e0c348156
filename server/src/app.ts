import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { dbErrorCode, type Db } from './db/client';
import { AppError } from './errors';
import { errorMiddleware, notFoundHandler } from './http/middleware/errors';
import { keepRawBody } from './http/middleware/raw-body';
import { healthRoutes, type QueueHealth } from './http/routes/health';
import { isStorageFull, type StorageHealth } from './storage-health';

export interface AppDeps {
  db: Db;
  log: Logger;
  /** Feature routers (OAuth, webhooks, card and settings API ...), mounted at the root in order. */
  routers?: Router[];
  /** Free space and "disk full" reports: /readyz and the webhook guard ask it. */
  storage?: StorageHealth;
  /** The worker and the queue's backlog, for /readyz. */
  queue?: QueueHealth;
  /** Sandbox mode only: what `GET /sandbox` shows. Absent in live mode, where `/sandbox` is 404. */
  sandboxDirectory?: () => unknown;
}

/** An express app with no listen() and no globals: everything it uses comes in `deps`. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(helmet());
  app.use(
    pinoHttp({
      logger: deps.log,
      genReqId: (_req, res) => {
        const id = randomUUID();
        res.locals.requestId = id;
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      serializers: { req: (req) => ({ method: req.method, url: req.url?.split('?')[0] }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
  // HubSpot sends at most 100 events per webhook request, and hubspot.fetch bodies are capped at 1 MB.
  app.use(express.json({ limit: '1mb', verify: keepRawBody }));
  app.use(express.urlencoded({ extended: false, limit: '100kb', verify: keepRawBody }));

  app.use(healthRoutes(deps.db, deps.storage, deps.queue));
  // A webhook we could not store must not be answered 2xx: 503 makes the sender deliver it again later.
  app.use('/webhooks', (_req, _res, next) => {
    next(deps.storage && !deps.storage.canWrite() ? new AppError('unavailable', 'We cannot store events right now. Deliver again later.') : undefined);
  });
  app.get('/sandbox', (_req, _res, next) => {
    if (!deps.sandboxDirectory) return next(new AppError('not_found', 'Sandbox mode is off.'));
    _res.json(deps.sandboxDirectory());
  });
  for (const router of deps.routers ?? []) app.use(router);

  app.use(notFoundHandler);
  app.use((error: unknown, req: express.Request, _res: express.Response, next: express.NextFunction) => {
    if (isStorageFull(error)) {
      deps.storage?.reportFull();
      deps.log.warn({ path: req.path, code: dbErrorCode(error) }, 'storage full: request refused');
    }
    next(error);
  });
  app.use(errorMiddleware(deps.log));
  return app;
}
