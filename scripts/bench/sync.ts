/**
 * Initial sync of N HubSpot contacts into an empty accounting system, through the settings API
 * (dry run, then start) with the vendor sandbox enforcing its documented limit at the time scale.
 * Reports calls per record on each side, achieved ÷ allowed vendor request rate, peak RSS, and how
 * many writes a second, no-op run makes (it should make none).
 */
import { spawn } from 'node:child_process';
import type { ProviderId } from '../../server/src/accounting/provider';
import { providers } from '../../server/src/accounting/registry';
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
}

export async function benchSync(provider: ProviderId, contacts: number, timeScale: number): Promise<SyncBenchResult> {
  const app = await startBenchApp({ provider, timeScale, env: { QUEUE_CONCURRENCY: '4' } });
  try {
    const hubspot = app.sandboxes!.hubspot;
    const vendor = app.sandboxes!.vendors[provider].sandbox;
    // Records that exist before APIUP is connected: no webhooks for them, only the initial sync.
    hubspot.setWebhookTarget(undefined);
    for (let i = 0; i < contacts; i++) {
      hubspot.simulateChange(Number(app.portalId), 'contacts', undefined, { firstname: `Vorname${i}`, lastname: `Nachname${i}`, email: `kontakt${i}@bench.example`, city: 'Berlin', zip: '10115', address: `Weg ${i}` });
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

/** Runs `benchSync` for each vendor in a child process, `parallel` at a time (one per core). */
export async function benchSyncInProcesses(providers: readonly ProviderId[], contacts: number, timeScale: number, parallel: number): Promise<Record<string, SyncBenchResult>> {
  const results: Record<string, SyncBenchResult> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < providers.length) {
        const provider = providers[next++];
        results[provider] = await runChild(provider, contacts, timeScale);
      }
    }),
  );
  return results;
}

function runChild(provider: ProviderId, contacts: number, timeScale: number): Promise<SyncBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/sync-child.ts', '--provider', provider, '--contacts', String(contacts), '--time-scale', String(timeScale)], { stdio: ['ignore', 'pipe', 'inherit'] });
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
