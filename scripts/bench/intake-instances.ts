/**
 * Webhook intake with APIUP in processes of its own: the same signed batches of 100 events as
 * `intake.ts`, spread round robin over N APIUP processes (`node --import tsx`, live mode,
 * `QUEUE_WORKER=off`: intake only). On PostgreSQL measured once with 1 and once with 2 instances on
 * one throw-away server; the ratio says how the sum grows with the second instance. On SQLite one
 * process on one file. The load generator, the instances and PostgreSQL share this machine's cores,
 * as the note on the figures says.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../../server/src/config';
import { openDb } from '../../server/src/db/client';
import { webhookEvents } from '../../server/src/db/schema';
import { hubspotSignedHeaders } from '../../server/src/hubspot/signature';
import { silentLogger } from '../../server/src/logger';
import { startApiup } from '../../server/src/runtime';
import { sandboxApp } from '../../server/src/sandbox-mode';
import { freePort, waitUntilUp } from '../lib/net';
import { startThrowawayPostgres } from '../postgres/throwaway';
import { webhookBatches } from './intake';
import { round } from './stats';

export interface IntakeInstancesResult {
  instances: number;
  batches: number;
  eventsPerBatch: number;
  eventsPerSecond: number;
  /** Stored in the database afterwards (the least of all rounds): the batches' events, every one. */
  storedEvents: number;
  /**
   * The machine's CPU busy while the deliveries ran (all cores, every process: load generator, instances,
   * PostgreSQL), 0 to 1. Near 1, a further instance has no core left to add.
   */
  machineBusy: number;
  /** Each round's events per second, when measured more than once (`eventsPerSecond` is then their median). */
  rounds?: number[];
}

/**
 * `rounds` times each instance count, alternating (1, 2, 1, 2 …) so that both see the same moments of this
 * shared machine, each round on a new database; per count the median round.
 */
export async function benchIntakeOnPostgres(options: {
  instanceCounts: number[];
  batches: number;
  concurrency: number;
  rounds: number;
}): Promise<IntakeInstancesResult[]> {
  const server = await startThrowawayPostgres();
  try {
    const measured = new Map<number, IntakeInstancesResult[]>(options.instanceCounts.map((n) => [n, []]));
    for (let round = 0; round < options.rounds; round++)
      for (const instances of options.instanceCounts)
        measured.get(instances)!.push(await measure(await newDatabase(server.url, `${instances}_${round}`), instances, options));
    return options.instanceCounts.map((n) => medianRound(measured.get(n)!));
  } finally {
    await server.stop();
  }
}

/** The median round, with every round's figure. */
function medianRound(results: IntakeInstancesResult[]): IntakeInstancesResult {
  const median = [...results].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(results.length / 2)];
  return { ...median, rounds: results.map((r) => r.eventsPerSecond), storedEvents: Math.min(...results.map((r) => r.storedEvents)) };
}

/**
 * The same on one SQLite file served by one APIUP process of its own: the load generator (signing,
 * JSON, HTTP client) then runs beside the server, not on its event loop as in `intake.ts`. Measured
 * `rounds` times, each on a new file: `eventsPerSecond` is the median and `rounds` every figure, since
 * this shared machine's speed moves by a quarter between minutes.
 */
export async function benchIntakeOnSqliteProcess(options: { batches: number; concurrency: number; rounds: number }): Promise<IntakeInstancesResult> {
  const results: IntakeInstancesResult[] = [];
  for (let round = 0; round < options.rounds; round++) results.push(await measure({}, 1, options));
  return medianRound(results);
}

async function newDatabase(adminUrl: string, suffix: string): Promise<{ DATABASE_URL: string }> {
  const name = `apiup_bench_${suffix}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return { DATABASE_URL: Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString() };
}

/** `database`: `DATABASE_URL` of a PostgreSQL database, or nothing for a SQLite file in the temp folder. */
async function measure(
  database: { DATABASE_URL?: string },
  instances: number,
  options: { batches: number; concurrency: number },
): Promise<IntakeInstancesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'apiup-bench-intake-'));
  const env = {
    HUBSPOT_APP_ID: sandboxApp.appId,
    HUBSPOT_CLIENT_ID: sandboxApp.clientId,
    HUBSPOT_CLIENT_SECRET: sandboxApp.clientSecret,
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
    HUBSPOT_OAUTH_BASE_URL: 'http://127.0.0.1:9',
    ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    DATA_DIR: dir,
    ...database,
    QUEUE_WORKER: 'off',
    LOG_LEVEL: 'silent',
  };
  const config = loadConfig({ ...env, PORT: '0', PUBLIC_BASE_URL: 'http://127.0.0.1:9' });
  // Setup migrates the database and installs the portal the events are for. It is closed before the load
  // starts: open, its connection would checkpoint the instances' WAL too, work that is theirs.
  const setup = await startApiup(config, silentLogger(), { startWorker: false });
  const portalId = '30000099';
  await setup.services.hubspot.tokens.store(portalId, { accessToken: 'bench', refreshToken: 'bench', expiresAt: Date.now() + 3_600_000, scopes: [] });
  await setup.stop();
  const children: ChildProcess[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < instances; i++) {
      const port = await freePort();
      ports.push(port);
      children.push(
        // BENCH_CPU_PROF_DIR: each instance writes a V8 CPU profile there when it stops (where does intake spend its time).
        spawn(process.execPath, [...cpuProfile(), '--import', 'tsx', 'server/src/main.ts'], {
          env: { ...process.env, ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
          stdio: 'ignore',
        }),
      );
    }
    for (const port of ports) await waitUntilUp(`http://127.0.0.1:${port}/healthz`);

    // Every delivery is made and signed before the clock starts (round robin over the instances): the load
    // generator shares the machine's two cores with them, and its JSON and HMAC are not intake. Signed
    // deliveries stay valid for five minutes (hubspot.md §5), far longer than the run.
    const batch = webhookBatches(Number(portalId));
    const deliveries = Array.from({ length: options.batches + ports.length }, (_, index) => {
      const target = `http://127.0.0.1:${ports[index % ports.length]}/webhooks/hubspot`;
      const body = JSON.stringify(batch());
      return { target, body, headers: hubspotSignedHeaders({ clientSecret: sandboxApp.clientSecret, method: 'POST', url: target, body }) };
    });
    const send = async ({ target, body, headers }: (typeof deliveries)[number]): Promise<void> => {
      const response = await fetch(target, { method: 'POST', body, headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`intake answered ${response.status}`);
    };
    // Warm-up (connections, JIT): one delivery per instance, not counted.
    await Promise.all(deliveries.splice(options.batches).map(send));
    const cpuBefore = cpuTimes();
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < deliveries.length) await send(deliveries[next++]);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuTimes();
    return {
      instances,
      batches: options.batches,
      eventsPerBatch: 100,
      eventsPerSecond: round((options.batches * 100) / seconds, 0),
      machineBusy: round(1 - (cpuAfter.idle - cpuBefore.idle) / (cpuAfter.total - cpuBefore.total), 2),
      storedEvents: await storedEvents(config),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(
      children.map((child) =>
        child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : Promise.resolve(),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

async function storedEvents(config: ReturnType<typeof loadConfig>): Promise<number> {
  const db = openDb(config.databaseUrl ?? config.databasePath);
  try {
    return Number((await db.select({ n: count() }).from(webhookEvents))[0].n);
  } finally {
    await db.close();
  }
}

function cpuProfile(): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** This machine's CPU time so far, all cores: idle and total (`os.cpus()`, in ms). */
function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}
