import { brotliCompressSync } from 'node:zlib';
import { Router, type Express } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

/** Unsigned requests whose body cannot be read: a 4xx in the one error shape, a warn line without a stack. */
describe('bodies the parser refuses', () => {
  const databases = testDatabases();

  async function appWithLog() {
    const lines: Array<Record<string, unknown>> = [];
    const log = createLogger({ level: 'debug', destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const router = Router();
    let reached = 0;
    router.post('/webhooks/hubspot', (_req, res) => {
      reached++;
      res.json({ ok: true });
    });
    router.get('/files/invoices/:portalId/:dealId.pdf', (req, res) => void res.json(req.params));
    const db = await databases.fresh();
    const app = createApp({ db, log, routers: [router] });
    return { app, lines, reached: () => reached };
  }
  /** Real HTTP (supertest re-encodes compressed bodies). */
  async function post(app: Express, headers: Record<string, string>, bytes: Buffer) {
    const server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const response = await fetch(`http://127.0.0.1:${port}/webhooks/hubspot`, { method: 'POST', headers, body: new Uint8Array(bytes) });
      return { status: response.status, body: await response.json() };
    } finally {
      server.close();
    }
  }
  const body = JSON.stringify([{ eventId: 1, subscriptionType: 'deal.propertyChange', propertyValue: 'Bäckerei Hölzl & Söhne Großhandel GmbH' }]);

  it.each([
    ['charset=koi8-r', { 'content-type': 'application/json; charset=koi8-r' }, Buffer.from(body), 415, 'unsupported_media_type'],
    ['charset=utf-7', { 'content-type': 'application/x-www-form-urlencoded; charset=utf-7' }, Buffer.from('a=1'), 415, 'unsupported_media_type'],
    ['an unknown content encoding', { 'content-type': 'application/json', 'content-encoding': 'x-lzma' }, Buffer.from(body), 415, 'unsupported_media_type'],
    ['brotli that is not brotli', { 'content-type': 'application/json', 'content-encoding': 'br' }, Buffer.from(body), 400, 'invalid_request'],
    ['gzip that is not gzip', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, Buffer.from(body), 400, 'invalid_request'],
  ])('%s: a 4xx in the one shape, logged at warn without a stack', async (_name, headers, bytes, status, code) => {
    const { app, lines, reached } = await appWithLog();
    const response = await post(app, headers, bytes);
    expect(response.status).toBe(status);
    expect(response.body.error).toMatchObject({ code });
    expect(response.body.error.requestId).toMatch(/[0-9a-f-]{36}/);
    expect(reached()).toBe(0);
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('"stack"');
    expect(lines.some((l) => l.level === 40 && l.msg === 'unreadable request refused')).toBe(true);
  });

  it('still reads a genuine brotli body', async () => {
    const { app, reached } = await appWithLog();
    const response = await post(app, { 'content-type': 'application/json', 'content-encoding': 'br' }, brotliCompressSync(Buffer.from(body)));
    expect(response.status).toBe(200);
    expect(reached()).toBe(1);
  });
  it('answers 400 to a path parameter that is not valid percent-encoding, logged at warn without a stack', async () => {
    const { app, lines } = await appWithLog();
    const response = await request(app).get('/files/invoices/24681357/%E0%A4%A.pdf');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('"stack"');
  });
});
