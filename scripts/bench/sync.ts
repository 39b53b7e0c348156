/**
 * Initial sync of N HubSpot contacts into an empty accounting system, through the settings API
 * (dry run, then start) with the vendor sandbox enforcing its documented limit at the time scale.
 * Reports calls per record on each side, achieved ÷ allowed vendor request rate, peak RSS, and how
 * many writes a second, no-op run makes (it should make none).
 */
import { spawn } from 'node:child_process';
import type { ProviderId } from '../../server/src/accounting/provider';
import { providers } from '../../server/src/accounting/registry';
import { eq } from 'drizzle-orm';
import { reconcileState } from '../../server/src/db/schema';
import { scaleLimit } from '../../server/src/lib/rate-limit';
import { startBenchApp, type BenchApp } from './env';
import { round, sampleRss } from './stats';

export interface SyncBenchResult {
  records: number;
  seconds: number;
  vendorCallsPerRecord: number;
  hubspotCallsPerRecord: number;
  achievedToAllowedRate: number;
  vendor429s: number;
  peakRssMiB: number;
  dryRun: unknown;
  noopResyncWrites: number;
  /** How the child ran: under tsx, or compiled under plain node. */
  runtime?: string;
}

export async function benchSync(provider: ProviderId, contacts: number, timeScale: number): Promise<SyncBenchResult> {
  const app = await startBenchApp({ provider, timeScale, env: { QUEUE_CONCURRENCY: '4' } });
  try {
    const hubspot = app.sandboxes!.hubspot;
    const vendor = app.sandboxes!.vendors[provider].sandbox;
    // Records that exist before APIUP is connected: no webhooks for them, only the initial sync. They are
    // made after the first reconciliation sweep, which looks back to the install: made before it, they
    // would count as changes no webhook brought, and 10,000 live syncs would run ahead of the initial one.
    await waitForFirstSweep(app);
    hubspot.setWebhookTarget(undefined);
    for (let i = 0; i < contacts; i++) {
      hubspot.simulateChange(Number(app.portalId), 'contacts', undefined, {
        firstname: `Vorname${i}`,
        lastname: `Nachname${i}`,
        email: `kontakt${i}@bench.example`,
        city: 'Berlin',
        zip: '10115',
        address: `Weg ${i}`,
      });
    }
    hubspot.setWebhookTarget(`${app.url}/webhooks/hubspot`);
    await app.queue.waitFor(`portal-setup:${app.portalId}`, 'succeeded', 60_000);

    const rss = sampleRss();
    hubspot.recorder.counting = true;
    vendor.recorder.counting = true;
    const started = Date.now();
    const { report } = await app.signed('POST', '/api/v1/settings/initial-sync/dry-run');
    await runInitialSync(app);
    const seconds = (Date.now() - started) / 1000;
    const vendorCalls = vendor.recorder.counts.total;
    const hubspotCalls = hubspot.recorder.counts.total;
    const allowed = scaleLimit(providers[provider].rateLimit, timeScale);
    const allowedPerSecond = (allowed.requests / allowed.perMs) * 1000;
    const peakRssMiB = rss.stop();

    const writesBefore = vendor.recorder.counts.writes + hubspot.recorder.counts.writes;
    await runInitialSync(app);
    const noopResyncWrites = vendor.recorder.counts.writes + hubspot.recorder.counts.writes - writesBefore;
    return {
      records: contacts,
      seconds: round(seconds),
      vendorCallsPerRecord: round(vendorCalls / contacts, 2),
      hubspotCallsPerRecord: round(hubspotCalls / contacts, 3),
      achievedToAllowedRate: round(vendorCalls / seconds / allowedPerSecond, 2),
      vendor429s: vendor.recorder.counts.rateLimited,
      peakRssMiB,
      dryRun: report,
      noopResyncWrites,
    };
  } finally {
    await app.close();
  }
}

async function waitForFirstSweep(app: BenchApp): Promise<void> {
  const swept = async () =>
    (await app.db.select({ sweptAt: reconcileState.sweptAt }).from(reconcileState).where(eq(reconcileState.portalId, app.portalId)).limit(1)).length > 0;
  for (const deadline = Date.now() + 120_000; !(await swept());) {
    if (Date.now() > deadline) throw new Error('the first reconciliation sweep did not run within 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function runInitialSync(app: BenchApp): Promise<void> {
  const { runId } = await app.signed('POST', '/api/v1/settings/initial-sync/start');
  for (;;) {
    const { run } = await app.signed('GET', '/api/v1/settings/initial-sync');
    if (run?.id === runId && (run.state === 'succeeded' || run.state === 'failed')) {
      if (run.state === 'failed') throw new Error('the initial sync failed');
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Runs `benchSync` for each vendor in a child process, `parallel` at a time (one per core). `compiled`:
 * the command that runs sync-child compiled to JavaScript under plain node, as `npm run start:prod`
 * runs the product, instead of under tsx, whose compiler alone holds about 60 MiB.
 */
export async function benchSyncInProcesses(
  providers: readonly ProviderId[],
  contacts: number,
  timeScale: number,
  parallel: number,
  compiled?: string[],
): Promise<Record<string, SyncBenchResult>> {
  const results: Record<string, SyncBenchResult> = {};
  const command = compiled ?? ['--import', 'tsx', 'scripts/bench/sync-child.ts'];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < providers.length) {
        const provider = providers[next++];
        results[provider] = { ...(await runChild(command, provider, contacts, timeScale)), runtime: compiled ? 'node (compiled)' : 'tsx' };
      }
    }),
  );
  return results;
}

function runChild(command: string[], provider: ProviderId, contacts: number, timeScale: number): Promise<SyncBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...command, '--provider', provider, '--contacts', String(contacts), '--time-scale', String(timeScale)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`sync benchmark for ${provider} failed (exit ${code})`));
      resolve(JSON.parse(line) as SyncBenchResult);
    });
  });
}
