import { Router } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/app';
import { AppError } from '../../src/errors';
import { defineJob } from '../../src/jobs/define';
import { DbJobQueue } from '../../src/jobs/queue';
import { createLogger, silentLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

const databases = testDatabases();

const testDb = databases.fresh;

async function appWith(router?: Router, sandboxDirectory?: () => unknown) {
  return createApp({ db: await testDb(), log: silentLogger(), routers: router ? [router] : [], sandboxDirectory });
}

describe('http app', () => {
  it('answers /healthz and /readyz once migrations are applied', async () => {
    const app = await appWith();
    await request(app).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({ status: 'ready', database: true, migrations: true });
  });

  it('reports the queue on /readyz: the worker, the oldest due job, and not ready once the worker stopped', async () => {
    const db = await testDb();
    let now = Date.UTC(2026, 11, 2, 9, 0);
    const queue = new DbJobQueue(db, { now: () => now });
    const syncJob = defineJob({
      name: 'sync.customer',
      payload: z.object({ portalId: z.string(), name: z.string() }),
      portalId: (p) => p.portalId,
      run: async () => undefined,
    });
    await queue.enqueue(syncJob, { portalId: '24681357', name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' });
    await queue.enqueue(syncJob, { portalId: '24681357', name: 'Müller-Lüdenscheidt Maschinenbau KG' }, { runAt: now + 60_000 });
    now += 4_250;
    let workerRunning: boolean | undefined = true;
    const app = createApp({
      db,
      log: silentLogger(),
      queue: { workerRunning: () => workerRunning, oldestDueAgeMs: () => queue.oldestDueAgeMs(), engine: queue.engine },
    });
    const ready = await request(app).get('/readyz').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ready',
      database: true,
      migrations: true,
      queue: { engine: 'apiup', worker: 'running', oldestDueJobAgeMs: 4_250 },
    });
    workerRunning = undefined;
    expect((await request(app).get('/readyz').expect(200)).body.queue.worker).toBe('off');
    workerRunning = false;
    const stopped = await request(app).get('/readyz').expect(503);
    expect(stopped.body).toMatchObject({ status: 'not_ready', queue: { worker: 'stopped' } });
  });

  it('writes every error in the one shape with a request id', async () => {
    const router = Router();
    router.post('/things', (req) => {
      z.object({ name: z.string() }).parse(req.body);
    });
    router.get('/boom', () => {
      throw new Error('secret internals');
    });
    router.get('/gone', () => {
      throw new AppError('not_found', 'No such thing.');
    });
    const app = await appWith(router);
    const invalid = await request(app).post('/things').send({ name: 1 }).expect(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'name' }] });
    expect(invalid.body.error.requestId).toMatch(/[0-9a-f-]{36}/);
    const boom = await request(app).get('/boom').expect(500);
    expect(boom.body.error).toMatchObject({ code: 'internal' });
    expect(JSON.stringify(boom.body)).not.toContain('secret internals');
    await request(app).get('/gone').expect(404);
    const missing = await request(app).get('/nowhere').expect(404);
    expect(missing.body.error.code).toBe('not_found');
    const badJson = await request(app).post('/things').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(badJson.body.error.code).toBe('invalid_request');
  });

  it('refuses bodies over the size limit', async () => {
    const router = Router();
    router.post('/things', (_req, res) => void res.json({}));
    const big = JSON.stringify({ data: 'x'.repeat(1_100_000) });
    const response = await request(await appWith(router))
      .post('/things')
      .set('content-type', 'application/json')
      .send(big)
      .expect(413);
    expect(response.body.error.code).toBe('payload_too_large');
  });

  it('serves /sandbox only in sandbox mode', async () => {
    await request(await appWith())
      .get('/sandbox')
      .expect(404);
    const response = await request(await appWith(undefined, () => ({ hubspot: { baseUrl: 'http://127.0.0.1:1' } })))
      .get('/sandbox')
      .expect(200);
    expect(response.body.hubspot.baseUrl).toBe('http://127.0.0.1:1');
  });

  it('sets security headers', async () => {
    const response = await request(await appWith()).get('/healthz');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('logger', () => {
  it('never writes tokens, keys or secrets', () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    log.info({ accessToken: 'at-123', credentials: { apiKey: 'k-456' }, headers: { authorization: 'Bearer zzz' }, client: { secret: 's-789' } }, 'x');
    const text = lines.join('');
    for (const secret of ['at-123', 'k-456', 'zzz', 's-789']) expect(text).not.toContain(secret);
  });
});
