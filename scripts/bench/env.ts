/**
 * Starts the product in sandbox mode for a benchmark section: fresh data folder, given time scale.
 * With `APIUP_BENCH_POSTGRES_URL` (an admin URL; `npm run bench -- --postgres` sets it), on a new
 * PostgreSQL database of its own instead of SQLite.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderId } from '../../server/src/accounting/provider';
import { loadConfig } from '../../server/src/config';
import { silentLogger } from '../../server/src/logger';
import { startApiup, type RunningApiup } from '../../server/src/runtime';
import { hubspotSignedHeaders } from '../../server/src/hubspot/signature';

export interface BenchApp extends RunningApiup {
  portalId: string;
  privateToken: string;
  hubspot(method: string, path: string, body?: unknown): Promise<any>;
  /** A signed call to our backend as the settings page makes it. */
  signed(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startBenchApp(options: {
  provider: ProviderId | 'none';
  timeScale: number;
  startWorker?: boolean;
  env?: Record<string, string>;
}): Promise<BenchApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'apiup-bench-'));
  const postgres = process.env.APIUP_BENCH_POSTGRES_URL ? await createBenchDatabase(process.env.APIUP_BENCH_POSTGRES_URL) : undefined;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SANDBOX_DEMO_PROVIDER: options.provider,
    RATE_LIMIT_TIME_SCALE: String(options.timeScale),
    QUEUE_POLL_MS: '20',
    QUEUE_CONCURRENCY: '8',
    INVOICE_PAYMENT_POLL_MS: String(60 * 60_000),
    ...(postgres ? { DATABASE_URL: postgres } : {}),
    ...options.env,
  });
  const app = await startApiup(config, silentLogger(), { startWorker: options.startWorker });
  const demo = app.sandboxes!.demo!;
  const hubspotUrl = app.sandboxes!.list()[0].url;
  return {
    ...app,
    portalId: demo.portalId,
    privateToken: demo.accessToken,
    async hubspot(method, path, body) {
      const response = await fetch(`${hubspotUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${demo.accessToken}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`HubSpot ${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async signed(method, path, body) {
      const url = new URL(path, app.url);
      url.searchParams.set('portalId', demo.portalId);
      const raw = body === undefined ? '' : JSON.stringify(body);
      const response = await fetch(url, {
        method,
        body: raw || undefined,
        headers: hubspotSignedHeaders({ clientSecret: app.config.hubspot.clientSecret!, method, url: url.toString(), body: raw }),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new database on the bench's PostgreSQL server, for one app. */
export async function createBenchDatabase(adminUrl: string): Promise<string> {
  const name = `apiup_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
}
