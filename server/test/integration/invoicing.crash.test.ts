/**
 * Kills the worker process (SIGKILL) while the vendor has committed the document but before we
 * recorded it, restarts it, and checks there is still exactly one document. The parent test holds
 * the sandboxes and the shared database file; the worker runs as a separate `node` process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { startApiup, type RunningApiup } from '../../src/runtime';
import { sandboxApp, startSandboxes, type SandboxSet } from '../../src/sandbox-mode';
import { HubspotUser } from '../helpers/hubspot-user';
import { createTestPostgresDatabase, testEngine, type TestPostgresDatabase } from '../helpers/postgres';
import { vendorProbe } from '../helpers/vendors';

let dir: string;
let sandboxes: SandboxSet;
let parent: RunningApiup;
let env: Record<string, string>;
let postgres: TestPostgresDatabase | undefined;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apiup-crash-'));
  sandboxes = await startSandboxes(loadConfig({ RATE_LIMIT_TIME_SCALE: '0.1' }), silentLogger());
  const hubspotUrl = sandboxes.list()[0].url;
  // The worker process and this one share the database: a SQLite file, or a PostgreSQL database on that engine.
  postgres = testEngine() === 'postgres' ? await createTestPostgresDatabase() : undefined;
  env = {
    HUBSPOT_APP_ID: sandboxApp.appId,
    HUBSPOT_CLIENT_ID: sandboxApp.clientId,
    HUBSPOT_CLIENT_SECRET: sandboxApp.clientSecret,
    HUBSPOT_API_BASE_URL: hubspotUrl,
    HUBSPOT_OAUTH_BASE_URL: hubspotUrl,
    LEXOFFICE_API_BASE_URL: sandboxes.vendors.lexoffice.url,
    ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    PUBLIC_BASE_URL: 'https://apiup.invalid',
    DATA_DIR: dir,
    DATABASE_PATH: join(dir, 'apiup.sqlite'),
    ...(postgres ? { DATABASE_URL: postgres.url, DATABASE_POOL_SIZE: '4' } : {}),
    PORT: '0',
    QUEUE_LEASE_MS: '1000',
    QUEUE_POLL_MS: '20',
    RATE_LIMIT_TIME_SCALE: '0.1',
    LOG_LEVEL: 'silent',
  };
  parent = await startApiup(loadConfig(env), silentLogger(), { startWorker: false });
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await parent?.stop();
  await sandboxes?.close();
  await postgres?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  children.push(child);
  return child;
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('keeps one document when the worker is killed between the vendor call and our commit', async () => {
  const demo = sandboxes.hubspot.installDemoPortal();
  const portalId = String(demo.portalId);
  await parent.services.hubspot.tokens.store(portalId, {
    accessToken: demo.accessToken,
    refreshToken: demo.refreshToken,
    expiresAt: Date.now() + 30 * 60_000,
    scopes: [],
  });
  const vendor = vendorProbe(sandboxes, 'lexoffice');
  await parent.services.connections.connect(portalId, 'lexoffice', vendor.credentials);
  await parent.services.subscriptions.activate(portalId, 'business_plus');
  // An ordinary invoice: the e-invoice path would first complete the customer in the vendor, and this test needs the
  // document to be the run's first vendor write.
  await parent.services.settings.save(portalId, await parent.services.settings.prepare(portalId, { invoice: { eInvoiceForBusinessCustomers: false } }));
  // The customer exists in the vendor already, so the first write of the run is the document.
  await (await parent.services.connections.providerFor(portalId))!.provider.createCustomer({ kind: 'company', companyName: 'Crash Test GmbH' });

  const user = new HubspotUser(sandboxes.hubspot, sandboxes.list()[0].url, portalId, demo.accessToken);
  const pipeline = await user.createPipeline();
  const deal = await user.createDeal({
    pipelineId: pipeline.pipelineId,
    stageId: pipeline.wonStageId,
    company: { name: 'Crash Test GmbH' },
    lineItems: [{ name: 'Wartung', quantity: '3', price: '80.00' }],
  });
  sandboxes.vendors.lexoffice.sandbox.faults.set({ hangAfterCommit: 1 });
  const job = await parent.queue.enqueue(parent.services.invoicing.jobs.process, { portalId, dealId: deal.dealId, trigger: 'manual' as const });

  const first = startWorkerProcess();
  await until(() => vendor.documentCount() === 1);
  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  expect((await parent.services.invoicing.records.get(portalId, deal.dealId))?.status).toBe('creating');

  startWorkerProcess();
  const done = await parent.queue.waitFor(job.id, ['succeeded', 'dead'], 30_000);
  expect(done.lastError).toBeNull();
  expect(done.state).toBe('succeeded');
  expect(vendor.documentCount()).toBe(1);
  const record = (await parent.services.invoicing.records.get(portalId, deal.dealId))!;
  expect(record.status).toBe('created');
  expect(record.documentId).toBeTruthy();
}, 60_000);
