/**
 * Starts the whole product in one process: database and migrations, sandboxes (sandbox mode), the
 * job worker and the HTTP server. Used by `npm start`, the demo, benchmarks and integration tests.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import { createApp } from './app';
import type { Config } from './config';
import type { ProviderId } from './accounting/provider';
import { loadSecretBox } from './crypto/key-store';
import { migrateDb, openDb, postgresUrl, type Db } from './db/client';
import { PgBossRuns } from './jobs/pg-boss-runs';
import { DbJobQueue } from './jobs/queue';
import { maxLeaseLosses, Worker } from './jobs/worker';
import { startSandboxes, type SandboxSet } from './sandbox-mode';
import { buildServices, type Services } from './services';
import { StorageHealth } from './storage-health';

export interface RunningApiup {
  url: string;
  config: Config;
  db: Db;
  queue: DbJobQueue;
  worker: Worker;
  services: Services;
  storage: StorageHealth;
  sandboxes?: SandboxSet;
  banner(): string;
  /** Graceful: stop accepting, let running jobs finish, close sandboxes and the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Do not start the worker (tests that drive jobs by hand). */
  startWorker?: boolean;
}

export async function startApiup(config: Config, log: Logger, options: StartOptions = {}): Promise<RunningApiup> {
  const db = openDb(config.databaseUrl ?? config.databasePath, { poolSize: config.databasePoolSize });
  await migrateDb(db);
  const secrets = loadSecretBox(config);
  // PostgreSQL: pg-boss runs the jobs (its schema `pgboss`, made and migrated by pg-boss on start).
  const pgUrl = postgresUrl(db);
  const runs = pgUrl
    ? await PgBossRuns.start({ url: pgUrl, leaseMs: config.queue.leaseMs, takeoverLimit: maxLeaseLosses + 5, log: log.child({ component: 'pg-boss' }) })
    : undefined;
  const queue = new DbJobQueue(db, { now: Date.now }, { baseMs: config.queue.backoffBaseMs, maxMs: config.queue.backoffMaxMs }, runs);
  const adopted = await queue.adoptOrphans();
  if (adopted > 0) log.info({ jobs: adopted }, 'live jobs without a pg-boss run were put in its queue (a copied database)');

  let server: Server | undefined;
  const publicUrl = () => config.publicBaseUrl ?? `http://${config.host}:${(server?.address() as AddressInfo).port}`;
  const sandboxes = config.mode === 'sandbox' ? await startSandboxes(config, log) : undefined;
  const resolved = sandboxes ? sandboxes.applyTo(config) : config;

  const worker = new Worker(queue, [], { ...resolved.queue, log: log.child({ component: 'worker' }) });
  const services = buildServices({ config: resolved, db, log, queue, worker, secrets, publicUrl });
  for (const definition of services.jobs) worker.register(definition);

  const storage = new StorageHealth({
    // PostgreSQL keeps its data on its own server: only a SQLite file's folder is ours to watch.
    directory: config.databaseUrl || config.databasePath === ':memory:' ? undefined : dirname(config.databasePath),
    minFreeBytes: config.minFreeDiskBytes,
  });
  const queueHealth = {
    workerRunning: () => (options.startWorker === false ? undefined : worker.isRunning),
    oldestDueAgeMs: () => queue.oldestDueAgeMs(),
    engine: queue.engine,
  };
  const app = createApp({
    db,
    log,
    storage,
    queue: queueHealth,
    routers: services.routers,
    sandboxDirectory: sandboxes ? () => sandboxes.directory() : undefined,
  });
  server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(resolved.port, resolved.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  if (sandboxes) {
    sandboxes.attachBackend(publicUrl());
    await installDemoPortal(sandboxes, services, queue, resolved.sandboxDemoProvider);
  }
  // A process without a worker is an observer (tests, the chaos run): no background work at all.
  if (options.startWorker !== false) {
    await services.afterListen();
    worker.start();
  }
  const url = `http://${resolved.host}:${(server.address() as AddressInfo).port}`;
  log.info({ url, mode: resolved.mode }, 'apiup listening');

  return {
    url,
    config: resolved,
    db,
    queue,
    worker,
    services,
    storage,
    sandboxes,
    banner: () => renderBanner(url, resolved, sandboxes),
    async stop() {
      await new Promise<void>((resolve) => {
        server?.close(() => resolve());
        server?.closeIdleConnections();
      });
      await worker.stop();
      await services.close();
      await sandboxes?.close();
      await queue.close();
      await db.close();
    },
  };
}

/**
 * Sandbox mode: the demo HubSpot portal is installed, as if a user had approved the app, connected
 * to one accounting sandbox and on a Business Plus trial, so a deal moved to won is invoiced at once.
 */
async function installDemoPortal(sandboxes: SandboxSet, services: Services, queue: DbJobQueue, provider: ProviderId | 'none'): Promise<void> {
  const demo = sandboxes.hubspot.installDemoPortal();
  const portalId = String(demo.portalId);
  await services.hubspot.tokens.store(portalId, {
    accessToken: demo.accessToken,
    refreshToken: demo.refreshToken,
    expiresAt: Date.now() + 30 * 60_000,
    scopes: [],
  });
  await queue.enqueue(services.portalSetupJob, { portalId });
  if (provider !== 'none') {
    await services.connections.connect(portalId, provider, sandboxes.vendors[provider].sandbox.credentials);
    await services.subscriptions.activate(portalId, 'business_plus');
  }
  sandboxes.demo = {
    portalId,
    accessToken: sandboxes.hubspot.issuePrivateAppToken(demo.portalId),
    appAccessToken: demo.accessToken,
    connectedProvider: provider === 'none' ? undefined : provider,
  };
}

function renderBanner(url: string, config: Config, sandboxes: SandboxSet | undefined): string {
  const lines = [`APIUP ${config.mode} mode`, `  backend      ${url}  (health: ${url}/healthz)`];
  if (sandboxes) {
    for (const entry of sandboxes.list()) lines.push(`  ${entry.name.padEnd(12)} ${entry.url}`);
    lines.push(`  credentials  ${url}/sandbox`);
  }
  lines.push('Press Ctrl-C to stop.', '');
  return lines.join('\n');
}
