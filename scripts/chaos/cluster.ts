/**
 * The chaos run's world: the sandboxes live in this process; APIUP runs as a separate `node` process
 * (live mode against the sandboxes) that can be killed with SIGKILL and started again on the same
 * database file and port. A second, worker-less APIUP in this process reads the shared database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerIds, type ProviderId } from '../../server/src/accounting/provider';
import { vendorManifests } from '../../server/src/accounting/registry';
import { loadConfig } from '../../server/src/config';
import { silentLogger } from '../../server/src/logger';
import { startApiup, type RunningApiup } from '../../server/src/runtime';
import { sandboxApp, startSandboxes, type SandboxSet } from '../../server/src/sandbox-mode';

export interface Tenant {
  provider: ProviderId;
  portalId: string;
}

export class ChaosCluster {
  child: ChildProcess | undefined;
  kills = 0;
  private constructor(
    readonly dir: string,
    readonly sandboxes: SandboxSet,
    readonly observer: RunningApiup,
    readonly env: Record<string, string>,
    readonly backendUrl: string,
    readonly tenants: Tenant[],
  ) {}

  static async start(timeScale: number): Promise<ChaosCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'apiup-chaos-'));
    const sandboxes = await startSandboxes(loadConfig({ RATE_LIMIT_TIME_SCALE: String(timeScale), LOG_LEVEL: 'silent' }), silentLogger());
    const port = await freePort();
    const backendUrl = `http://127.0.0.1:${port}`;
    const hubspotUrl = sandboxes.list()[0].url;
    const env: Record<string, string> = {
      HUBSPOT_APP_ID: sandboxApp.appId,
      HUBSPOT_CLIENT_ID: sandboxApp.clientId,
      HUBSPOT_CLIENT_SECRET: sandboxApp.clientSecret,
      HUBSPOT_API_BASE_URL: hubspotUrl,
      HUBSPOT_OAUTH_BASE_URL: hubspotUrl,
      ...Object.fromEntries(vendorManifests.map((m) => [m.config.baseUrlEnv, sandboxes.vendors[m.id].url])),
      // Vendors that sign webhooks with their own key: the sandbox's key instead of the published one.
      ...Object.fromEntries(
        vendorManifests.flatMap((m) => {
          const { sandbox, entry } = sandboxes.vendors[m.id];
          return m.config.webhookPublicKey && entry.webhookPublicKeyPem ? [[m.config.webhookPublicKey.env, entry.webhookPublicKeyPem(sandbox)]] : [];
        }),
      ),
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      PUBLIC_BASE_URL: backendUrl,
      DATA_DIR: dir,
      DATABASE_PATH: join(dir, 'apiup.sqlite'),
      QUEUE_LEASE_MS: '2000',
      QUEUE_POLL_MS: '25',
      QUEUE_CONCURRENCY: '8',
      QUEUE_BACKOFF_BASE_MS: '100',
      QUEUE_BACKOFF_MAX_MS: '3000',
      RATE_LIMIT_TIME_SCALE: String(timeScale),
      VENDOR_TIMEOUT_MS: '1500',
      INVOICE_PAYMENT_POLL_MS: String(60 * 60_000),
      LOG_LEVEL: 'silent',
    };
    const observer = await startApiup(loadConfig({ ...env, PORT: '0' }), silentLogger(), { startWorker: false });
    sandboxes.attachBackend(backendUrl);
    const tenants: Tenant[] = [];
    for (const [index, provider] of providerIds.entries()) {
      const install = sandboxes.hubspot.installDemoPortal(30_000_001 + index);
      const portalId = String(install.portalId);
      observer.services.hubspot.tokens.store(portalId, {
        accessToken: install.accessToken,
        refreshToken: install.refreshToken,
        expiresAt: Date.now() + 30 * 60_000,
        scopes: [],
      });
      await observer.services.connections.connect(portalId, provider, sandboxes.vendors[provider].sandbox.credentials);
      observer.services.subscriptions.activate(portalId, 'business_plus');
      // Lines without a HubSpot rate take the account's standard rate, as its user sets it (a bexio account is Swiss).
      const settings = observer.services.settings;
      const { standard } = sandboxes.vendors[provider].entry.accountVatRates;
      settings.save(portalId, settings.prepare(portalId, { invoice: { ...settings.get(portalId).invoice, defaultTaxRatePercent: standard } }));
      observer.queue.enqueue(observer.services.portalSetupJob, { portalId });
      tenants.push({ provider, portalId });
    }
    return new ChaosCluster(dir, sandboxes, observer, { ...env, PORT: String(port) }, backendUrl, tenants);
  }

  /** Starts APIUP (again) and resolves once it answers /healthz. */
  async startServer(): Promise<void> {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { env: { ...process.env, ...this.env }, stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const up = await fetch(`${this.backendUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      if (Date.now() > deadline) throw new Error('APIUP did not come up within 20 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** kill -9, no warning, wherever it is. */
  async killServer(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills++;
  }

  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    await this.observer.stop();
    await this.sandboxes.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
