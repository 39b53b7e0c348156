/**
 * `npm run bench`: measures what the README promises and writes bench/results.json (machine, commit,
 * every figure). Nothing here is written by hand: each number comes from this run.
 *   --deals N        deals per vendor for the invoice latency (default 200)
 *   --time-scale X   shrinks every rate-limit window, ours and the sandboxes' alike (default 0.05)
 *   --contacts N     contacts for the initial sync (default 10000)
 *   --sync-time-scale X  the same for the initial sync (default 0.005, so 10,000 records fit the run)
 *   --only PARTS     comma list of invoices, intake, sync: measure only these and update their figures in
 *                    bench/results.json; each updated figure keeps the one it replaced under `previous`
 *   --providers IDS  comma list of vendors for the invoice and sync parts (default all)
 *   --compiled       the sync children run the compiled build under plain node with start:prod's heap flags
 *   --real-limit-deals N  deals per vendor for the `limits` part (default 5)
 *   --postgres       the same parts on a throw-away PostgreSQL (scripts/postgres/throwaway.ts); intake then runs
 *                    as 1 and as 2 APIUP processes (intake only) to show how the sum grows; figures go to `postgres`
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { providerIds, type ProviderId } from '../server/src/accounting/provider';
import { vendorManifests } from '../server/src/accounting/registry';
import { hubspotLimits } from '../server/src/hubspot/client';
import { build, productionNodeFlags } from './build';
import { benchIntake, type IntakeResult } from './bench/intake';
import { benchIntakeOnPostgres, benchIntakeOnSqliteProcess, type IntakeInstancesResult } from './bench/intake-instances';
import { startThrowawayPostgres } from './postgres/throwaway';
import { benchInvoiceLatency, type InvoiceLatencyResult } from './bench/invoice-latency';
import { round, sampleRss } from './bench/stats';
import { benchSyncInProcesses, type SyncBenchResult } from './bench/sync';

const { values } = parseArgs({
  options: {
    deals: { type: 'string', default: '200' },
    'time-scale': { type: 'string', default: '0.05' },
    contacts: { type: 'string', default: '10000' },
    'sync-time-scale': { type: 'string', default: '0.005' },
    only: { type: 'string' },
    providers: { type: 'string' },
    compiled: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    'real-limit-deals': { type: 'string', default: '5' },
  },
});
const allParts = ['invoices', 'limits', 'intake', 'sync'];
const parts = new Set(values.only ? values.only.split(',') : allParts);
for (const part of parts) if (!allParts.includes(part)) throw new Error(`--only: unknown part ${part}`);
const selected = values.providers ? providerIds.filter((id) => values.providers!.split(',').includes(id)) : providerIds;
const deals = Number(values.deals);
const timeScale = Number(values['time-scale']);
const contacts = Number(values.contacts);
const syncTimeScale = Number(values['sync-time-scale']);
const log = (line: string) => process.stdout.write(`${line}\n`);

const postgresServer = values.postgres ? await startThrowawayPostgres() : undefined;
// Every bench app (this process's and the sync children's) makes its own database on this server (bench/env.ts).
if (postgresServer) process.env.APIUP_BENCH_POSTGRES_URL = postgresServer.url;
const rss = sampleRss();
// Other work on the machine slows every figure: the 1-minute load average at the start is kept with them.
const [startLoad] = loadavg();
const startedAt = new Date().toISOString();
// The commit measured is the one checked out at the start (a commit made during a long run is not in it).
const startCommit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const invoices: Record<string, InvoiceLatencyResult> = {};
if (parts.has('invoices')) {
  for (const provider of selected) {
    log(`invoice latency: ${provider}, ${deals} deals …`);
    invoices[provider] = await benchInvoiceLatency(provider, deals, timeScale);
  }
}
// At each vendor's real limit (time scale 1): how close closed-won → number on the deal comes to the least
// time the limits allow for the calls it needs.
const atRealLimits: Record<string, RealLimitResult> = {};
if (parts.has('limits')) {
  for (const provider of selected) {
    log(`invoice latency at the real rate limits: ${provider}, ${values['real-limit-deals']} deals …`);
    atRealLimits[provider] = atRealLimit(provider, await benchInvoiceLatency(provider, Number(values['real-limit-deals']), 1));
  }
}
let intake: IntakeResult | undefined;
let intakeInstances: IntakeInstancesResult[] | undefined;
let intakeProcess: IntakeInstancesResult | undefined;
if (parts.has('intake')) {
  log('webhook intake …');
  intake = await benchIntake({ batches: 200, concurrency: 8, fixedRatePerSecond: 20, fixedRateSeconds: 10 });
  if (!postgresServer) {
    log('webhook intake, APIUP in a process of its own …');
    intakeProcess = await benchIntakeOnSqliteProcess({ batches: 2000, concurrency: 8, rounds: 5 });
  }
  if (postgresServer) {
    log('webhook intake on PostgreSQL with 1 and with 2 instances …');
    intakeInstances = await benchIntakeOnPostgres({ instanceCounts: [1, 2], batches: 1000, concurrency: 8, rounds: 3 });
  }
}
let sync: Record<string, SyncBenchResult> = {};
if (parts.has('sync')) {
  log(`initial sync: ${contacts} contacts per vendor, two vendors at a time (one process each) …`);
  sync = await benchSyncInProcesses(selected, contacts, syncTimeScale, 2, values.compiled ? compiledSyncChild() : undefined);
}

const results = {
  startedAt,
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    loadAverage1m: round(startLoad, 1),
  },
  commit: startCommit,
  settings: {
    deals,
    timeScale,
    contacts,
    syncTimeScale,
    syncRuntime: values.compiled ? 'node (compiled, bench/tmp/dist)' : 'tsx',
    note: "timeScale shrinks every rate-limit window (ours and the sandboxes' alike); latencies are measured at that scale; the initial syncs run two vendors side by side, one process each, so peakRssMiB there is per vendor process",
  },
  engine: postgresServer ? 'postgres' : 'sqlite',
  invoices,
  invoicesAtRealLimits: atRealLimits,
  intake:
    intake && intakeInstances
      ? { ...intake, instances: intakeInstances, secondInstanceRatio: round(intakeInstances[1].eventsPerSecond / intakeInstances[0].eventsPerSecond, 2) }
      : intake && intakeProcess
        ? {
            ...intake,
            ownProcess: {
              ...intakeProcess,
              note: 'APIUP (tsx, live mode, QUEUE_WORKER=off) in its own process on a SQLite file; the load generator (an HTTP client sending deliveries made and signed before the clock starts) in the bench process, sharing the two cores; five rounds, each on a new file, eventsPerSecond their median',
            },
          }
        : intake,
  sync,
  peakRssMiB: rss.stop(),
};
await postgresServer?.stop();
mkdirSync('bench', { recursive: true });
const full = parts.size === allParts.length && selected.length === providerIds.length;
// SQLite figures at the top level, PostgreSQL ones under `postgres`, each merged the same way.
const stored = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Record<string, any>;
const updated = postgresServer
  ? { ...stored, postgres: full ? results : mergeInto(stored.postgres ?? { invoices: {}, sync: {} }, results) }
  : { ...(full ? results : mergeInto(stored, results)), ...(stored.postgres ? { postgres: stored.postgres } : {}) };
writeFileSync('bench/results.json', `${JSON.stringify(updated, null, 2)}\n`);

log('\nclosed-won → invoice written back');
log('vendor      deals  p50 ms   p99 ms   vendor calls/invoice  HubSpot calls/invoice  429s');
for (const [provider, r] of Object.entries(invoices)) {
  log(
    `${provider.padEnd(10)}  ${String(r.deals).padStart(5)}  ${String(r.p50Ms).padStart(7)}  ${String(r.p99Ms).padStart(7)}  ${String(r.vendorCallsPerInvoice).padStart(20)}  ${String(r.hubspotCallsPerInvoice).padStart(21)}  ${r.vendor429s}`,
  );
}
if (Object.keys(atRealLimits).length > 0) {
  log('\nat the real rate limits (time scale 1)');
  log('vendor      deals  calls to number (vendor/HubSpot)  p50 ms  floor ms  p50/floor');
  for (const [provider, r] of Object.entries(atRealLimits)) {
    const calls = `${r.vendorCallsToNumber}/${r.hubspotCallsToNumber}`;
    log(
      `${provider.padEnd(10)}  ${String(r.deals).padStart(5)}  ${calls.padStart(32)}  ${String(r.p50Ms).padStart(6)}  ${String(r.floorMs).padStart(8)}  ${String(r.p50ToFloor).padStart(9)}`,
    );
  }
}
for (const r of intakeInstances ?? [])
  log(
    `webhook intake on PostgreSQL, ${r.instances} instance(s): ${r.eventsPerSecond} events/s (median of ${r.rounds?.join(', ')}; machine busy ${Math.round(r.machineBusy * 100)} %)`,
  );
if (intakeProcess)
  log(`webhook intake, APIUP in its own process (SQLite): ${intakeProcess.eventsPerSecond} events/s (median of ${intakeProcess.rounds?.join(', ')})`);
if (intake)
  log(
    `\nwebhook intake: ${intake.eventsPerSecond} events/s stored durably (${intake.batches} batches of 100); at ${intake.fixedRate.requestsPerSecond} req/s: p50 ${intake.fixedRate.p50Ms} ms, p99 ${intake.fixedRate.p99Ms} ms`,
  );
log('\ninitial sync');
log('vendor      records  vendor calls/record  HubSpot calls/record  achieved/allowed rate  peak RSS MiB  no-op re-sync writes');
for (const [provider, r] of Object.entries(sync)) {
  log(
    `${provider.padEnd(10)}  ${String(r.records).padStart(7)}  ${String(r.vendorCallsPerRecord).padStart(19)}  ${String(r.hubspotCallsPerRecord).padStart(20)}  ${String(r.achievedToAllowedRate).padStart(21)}  ${String(r.peakRssMiB).padStart(12)}  ${r.noopResyncWrites}`,
  );
}
log(`\npeak RSS ${results.peakRssMiB} MiB · results in bench/results.json`);
process.exit(0);

interface RealLimitResult extends InvoiceLatencyResult {
  /**
   * The least time the limits allow for the calls made until the number is on the deal: n calls under a limit
   * spaced evenly need (n − 1) spacings; the vendor's and HubSpot's limits run side by side, so the larger counts.
   */
  floorMs: number;
  /** Median latency ÷ floor (1 = as fast as the limits allow). */
  p50ToFloor: number;
  vendorLimit: { requests: number; perMs: number };
}

function atRealLimit(provider: ProviderId, r: InvoiceLatencyResult): RealLimitResult {
  const vendorLimit = vendorManifests.find((m) => m.id === provider)!.rateLimit;
  const spacing = (limit: { requests: number; perMs: number }) => limit.perMs / limit.requests;
  const floorMs = round(Math.max((r.vendorCallsToNumber - 1) * spacing(vendorLimit), (r.hubspotCallsToNumber - 1) * spacing(hubspotLimits.standard)), 0);
  return { ...r, floorMs, p50ToFloor: round(r.p50Ms / floorMs, 2), vendorLimit };
}

/** Builds the product and the bench's scripts fresh into bench/tmp/dist; the command that runs sync-child from there. */
function compiledSyncChild(): string[] {
  const out = resolve('bench/tmp/dist');
  build(resolve('.'), out, { typeCheck: false, extraFolders: ['scripts/bench'] });
  return [...productionNodeFlags, join(out, 'scripts/bench/sync-child.js')];
}

/**
 * A partial run (--only, --providers) updates only what it measured. Each replaced figure set keeps the
 * one before it (with its commit, time and machine, and its own `previous`), so before/after stay side by side.
 */
function mergeInto(old: Record<string, any>, now: typeof results): Record<string, any> {
  const stamp = { commit: now.commit, measuredAt: now.startedAt, machine: now.machine };
  const replace = (before: Record<string, any> | undefined, after: object) => ({
    ...after,
    ...stamp,
    previous: before ? { commit: old.commit, measuredAt: old.startedAt, machine: old.machine, ...before } : undefined,
  });
  const merged: Record<string, any> = { ...old, invoices: { ...old.invoices }, sync: { ...old.sync } };
  for (const [provider, r] of Object.entries(now.invoices)) merged.invoices[provider] = replace(old.invoices?.[provider], r);
  merged.invoicesAtRealLimits = { ...old.invoicesAtRealLimits };
  for (const [provider, r] of Object.entries(now.invoicesAtRealLimits))
    merged.invoicesAtRealLimits[provider] = replace(old.invoicesAtRealLimits?.[provider], r);
  if (now.intake) merged.intake = replace(old.intake, now.intake);
  for (const [provider, r] of Object.entries(now.sync)) merged.sync[provider] = replace(old.sync?.[provider], r);
  return merged;
}
