/**
 * The chaos run's world: the sandboxes live in this process; APIUP runs as separate `node` processes
 * (live mode against the sandboxes) that can be killed with SIGKILL and started again on the same
 * database and port: one on a SQLite file, or `instances` on one throw-away PostgreSQL behind a small
 * round-robin load balancer in this process (HubSpot's webhooks and the cards reach whichever
 * instance is up). A worker-less APIUP in this process reads the shared database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerIds, type ProviderId } from '../../server/src/accounting/provider';
import { loadConfig } from '../../server/src/config';
import { silentLogger } from '../../server/src/logger';
import { startApiup, type RunningApiup } from '../../server/src/runtime';
import { liveEnvFor, startSandboxes, type SandboxSet } from '../../server/src/sandbox-mode';
import { freePort, waitUntilUp } from '../lib/net';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../postgres/throwaway';
import pg from 'pg';

export interface Tenant {
  provider: ProviderId;
  portalId: string;
}

export interface ClusterOptions {
  /** One throw-away PostgreSQL instead of a SQLite file. */
  postgres: boolean;
  /** APIUP processes on the one database (more than one needs PostgreSQL). */
  instances: number;
}

export class ChaosCluster {
  readonly children: Array<ChildProcess | undefined>;
  kills = 0;
  private constructor(
    readonly dir: string,
    readonly sandboxes: SandboxSet,
    readonly observer: RunningApiup,
    readonly env: Record<string, string>,
    readonly backendUrl: string,
    readonly tenants: Tenant[],
    readonly ports: number[],
    private readonly balancer: Server,
    private readonly postgres: ThrowawayPostgres | undefined,
  ) {
    this.children = ports.map(() => undefined);
  }

  get instances(): number {
    return this.ports.length;
  }

  static async start(timeScale: number, options: ClusterOptions = { postgres: false, instances: 1 }): Promise<ChaosCluster> {
    if (options.instances > 1 && !options.postgres) throw new Error('several instances need --postgres (SQLite is one process per file)');
    const dir = mkdtempSync(join(tmpdir(), 'apiup-chaos-'));
    const postgres = options.postgres ? await startThrowawayPostgres() : undefined;
    const database = postgres ? await createDatabase(postgres.url, 'apiup_chaos') : { DATABASE_PATH: join(dir, 'apiup.sqlite') };
    const sandboxes = await startSandboxes(loadConfig({ RATE_LIMIT_TIME_SCALE: String(timeScale), LOG_LEVEL: 'silent' }), silentLogger());
    const ports: number[] = [];
    for (let i = 0; i < options.instances; i++) ports.push(await freePort());
    const balancer = await startBalancer(ports);
    const backendUrl = `http://127.0.0.1:${(balancer.address() as { port: number }).port}`;
    const env: Record<string, string> = {
      ...liveEnvFor(sandboxes),
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PUBLIC_BASE_URL: backendUrl,
      DATA_DIR: dir,
      ...database,
      QUEUE_LEASE_MS: '2000',
      QUEUE_POLL_MS: '25',
      QUEUE_CONCURRENCY: '8',
      QUEUE_BACKOFF_BASE_MS: '100',
      QUEUE_BACKOFF_MAX_MS: '3000',
      RATE_LIMIT_TIME_SCALE: String(timeScale),
      VENDOR_TIMEOUT_MS: '1500',
      INVOICE_PAYMENT_POLL_MS: String(60 * 60_000),
      LOG_LEVEL: process.env.CHAOS_LOG_DIR ? 'info' : 'silent',
    };
    const observer = await startApiup(loadConfig({ ...env, PORT: '0' }), silentLogger(), { startWorker: false });
    sandboxes.attachBackend(backendUrl);
    const tenants: Tenant[] = [];
    for (const [index, provider] of providerIds.entries()) {
      const install = sandboxes.hubspot.installDemoPortal(30_000_001 + index);
      const portalId = String(install.portalId);
      await observer.services.hubspot.tokens.store(portalId, {
        accessToken: install.accessToken,
        refreshToken: install.refreshToken,
        expiresAt: Date.now() + 30 * 60_000,
        scopes: [],
      });
      await observer.services.connections.connect(portalId, provider, sandboxes.vendors[provider].sandbox.credentials);
      await observer.services.subscriptions.activate(portalId, 'business_plus');
      // Lines without a HubSpot rate take the account's standard rate, as its user sets it (a bexio account is Swiss).
      const settings = observer.services.settings;
      const { standard } = sandboxes.vendors[provider].entry.accountVatRates;
      const current = await settings.get(portalId);
      // Exactly-once under faults is what the run checks, with ordinary invoices: the chaos deals carry no
      // contact with an e-mail address, which an e-invoice needs (einvoice.e2e.test.ts covers e-invoices).
      await settings.save(
        portalId,
        await settings.prepare(portalId, { invoice: { ...current.invoice, defaultTaxRatePercent: standard, eInvoiceForBusinessCustomers: false } }),
      );
      await observer.queue.enqueue(observer.services.portalSetupJob, { portalId });
      tenants.push({ provider, portalId });
    }
    return new ChaosCluster(dir, sandboxes, observer, env, backendUrl, tenants, ports, balancer, postgres);
  }

  /** Starts every instance that is not running (or only `index`) and resolves once each answers /healthz. */
  async startServer(index?: number): Promise<void> {
    const which = index === undefined ? this.ports.map((_, i) => i) : [index];
    await Promise.all(
      which.map(async (i) => {
        if (isAlive(this.children[i])) return;
        this.children[i] = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
          env: { ...process.env, ...this.env, PORT: String(this.ports[i]) },
          stdio: process.env.CHAOS_LOG_DIR ? ['ignore', openSync(join(process.env.CHAOS_LOG_DIR, `instance-${i + 1}.log`), 'a'), 'inherit'] : 'ignore',
        });
        await waitUntilUp(`http://127.0.0.1:${this.ports[i]}/healthz`);
      }),
    );
  }

  /** kill -9 instance `index`, no warning, wherever it is. */
  async killServer(index = 0): Promise<void> {
    const child = this.children[index];
    if (!child || !isAlive(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async stop(): Promise<void> {
    for (const child of this.children) if (isAlive(child)) child!.kill('SIGKILL');
    await new Promise((resolve) => this.balancer.close(resolve));
    await this.observer.stop();
    await this.sandboxes.close();
    await this.postgres?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Running: neither exited nor ended by a signal (a SIGKILLed child keeps `exitCode` null). */
function isAlive(child: ChildProcess | undefined): boolean {
  return child !== undefined && child.exitCode === null && child.signalCode === null;
}

async function createDatabase(adminUrl: string, name: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

/**
 * A load balancer as a host would put in front of N instances: round robin, and a request whose
 * instance is down (connection refused while it restarts) goes to the next one. Bodies are buffered
 * (webhook batches are small), so a retry resends the exact bytes HubSpot signed.
 */
function startBalancer(ports: number[]): Promise<Server> {
  let next = 0;
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const port = ports[next++ % ports.length];
        const upstream = httpRequest({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => {
          if (res.headersSent) return res.destroy();
          if (tries + 1 < ports.length * 3) setTimeout(() => attempt(tries + 1), 20);
          else res.writeHead(502).end();
        });
        upstream.end(body);
      };
      attempt(0);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
