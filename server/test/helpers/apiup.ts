/**
 * Starts the whole product in sandbox mode for an integration test: every emulator on port 0, a
 * throwaway data folder with its SQLite file (or, in the `postgres` project, a new PostgreSQL
 * database, dropped on stop) and fast polling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, count, eq, inArray } from 'drizzle-orm';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { startApiup, type RunningApiup, type StartOptions } from '../../src/runtime';
import { hubspotSignedHeaders } from '../../src/hubspot/signature';
import { createTestPostgresDatabase, testEngine } from './postgres';
import { jobs } from '../../src/db/schema';
import { liveStates } from '../../src/jobs/queue';

export interface TestApiup extends RunningApiup {
  portalId: string;
  /** A signed `hubspot.fetch`-style call to our backend as HubSpot would send it. */
  signedFetch(path: string, init?: { method?: string; body?: unknown; portalId?: string; locale?: string }): Promise<Response>;
}

export async function startTestApiup(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApiup> {
  const dataDir = mkdtempSync(join(tmpdir(), 'apiup-test-'));
  const postgres = testEngine() === 'postgres' && !env.DATABASE_PATH && !env.DATABASE_URL ? await createTestPostgresDatabase() : undefined;
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_PATH: join(dataDir, 'apiup.sqlite'),
    ...(postgres ? { DATABASE_URL: postgres.url, DATABASE_POOL_SIZE: '4' } : {}),
    LOG_LEVEL: 'silent',
    QUEUE_POLL_MS: '20',
    INVOICE_PAYMENT_POLL_MS: '100',
    RATE_LIMIT_TIME_SCALE: '0.1',
    SANDBOX_DEMO_PROVIDER: 'none',
    ...env,
  });
  const running = await startApiup(config, silentLogger(), options);
  routedWithFlush(running);
  const portalId = String(running.sandboxes!.hubspot.installDemoPortal().portalId);
  const stop = running.stop;
  return {
    ...running,
    portalId,
    async stop() {
      await stop();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async signedFetch(path, init = {}) {
      const url = new URL(path, running.url);
      url.searchParams.set('portalId', init.portalId ?? portalId);
      url.searchParams.set('userId', '7654321');
      if (init.locale) url.searchParams.set('locale', init.locale);
      const method = init.method ?? 'GET';
      const body = init.body === undefined ? '' : JSON.stringify(init.body);
      const headers = hubspotSignedHeaders({ clientSecret: running.config.hubspot.clientSecret!, method, url: url.toString(), body });
      return fetch(url, { method, headers, body: body || undefined });
    },
  };
}

/**
 * The intake answers HubSpot once the events are stored and makes their jobs after that, in a routing job
 * (jobs/definitions/webhook-routing.ts). This resolves once no routing job is left, so what follows sees the
 * events' jobs; with no worker running nothing routes, and it resolves at once.
 */
export async function webhooksRouted(running: RunningApiup, timeoutMs = 20_000): Promise<void> {
  const where = and(eq(jobs.name, running.services.webhookRouting.name), inArray(jobs.state, [...liveStates]));
  const routingLeft = async () => Number((await running.db.select({ n: count() }).from(jobs).where(where))[0].n);
  const deadline = Date.now() + timeoutMs;
  while (running.worker.isRunning && (await routingLeft()) > 0) {
    if (Date.now() > deadline) throw new Error(`the webhook routing jobs did not finish within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The tests' `flushWebhooks()` resolves once the deliveries' routing jobs ran too (`webhooksRouted`). */
function routedWithFlush(running: RunningApiup): void {
  const hubspot = running.sandboxes?.hubspot;
  if (!hubspot) return;
  const flush = hubspot.flushWebhooks.bind(hubspot);
  hubspot.flushWebhooks = async () => {
    await flush();
    await webhooksRouted(running);
  };
}
