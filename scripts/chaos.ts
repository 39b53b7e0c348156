/**
 * `npm run chaos`: won deals and contact edits across the four vendors while webhooks are duplicated
 * and reordered, vendors answer 429/5xx, time out and commit-then-drop, and the APIUP process is
 * killed with SIGKILL at random moments and restarted. Ends with
 * "deals won N, invoices N, duplicates 0, lost 0, contacts diverged 0" and exit 0, or says what broke.
 *   --deals N (500)  --contact-edits N (2000)  --time-scale X (0.02)  --seed N
 *   --postgres (a throw-away PostgreSQL instead of SQLite)  --instances N (1; more need --postgres)
 */
import { parseArgs } from 'node:util';
import { ChaosCluster } from './chaos/cluster';
import { countDocuments, waitForQuiet } from './chaos/verify';
import { runContactEdits, verifyContacts } from './chaos/contacts';
import { runDeals } from './chaos/deals';
import { Killer } from './chaos/killer';

const { values } = parseArgs({
  options: {
    deals: { type: 'string', default: '500' },
    'contact-edits': { type: 'string', default: '2000' },
    'time-scale': { type: 'string', default: '0.02' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    postgres: { type: 'boolean', default: false },
    instances: { type: 'string', default: '1' },
  },
});
const log = (line: string) => process.stdout.write(`${line}\n`);
let seed = Number(values.seed);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const started = Date.now();
const cluster = await ChaosCluster.start(Number(values['time-scale']), { postgres: values.postgres, instances: Number(values.instances) });
let exitCode = 1;
try {
  log(
    `chaos: ${values.postgres ? `PostgreSQL, ${cluster.instances} instance(s)` : 'SQLite'}, seed ${values.seed}, ${values.deals} deals, ${values['contact-edits']} contact edits, tenants ${cluster.tenants.map((t) => `${t.provider}:${t.portalId}`).join(' ')}`,
  );
  cluster.sandboxes.hubspot.setWebhookSwitches({ duplicate: true, reorder: true });
  for (const tenant of cluster.tenants) {
    cluster.sandboxes.vendors[tenant.provider].sandbox.faults.set({ serverErrorRate: 0.05, dropAfterCommitRate: 0.03, latencyMs: 5 });
  }
  await cluster.startServer();
  const killer = new Killer(cluster, random, log);
  killer.start();
  const faultTimer = setInterval(() => {
    // Bursts of 429s and a hang (the vendor commits, the answer never comes: a timeout after commit).
    const tenant = cluster.tenants[Math.floor(random() * cluster.tenants.length)];
    cluster.sandboxes.vendors[tenant.provider].sandbox.faults.set(random() < 0.5 ? { rateLimitBurst: 3 } : { hangAfterCommit: 1 });
  }, 700);

  const [deals] = await Promise.all([runDeals(cluster, Number(values.deals), random), runContactEdits(cluster, Number(values['contact-edits']), random)]);
  clearInterval(faultTimer);
  await killer.stop();
  for (const tenant of cluster.tenants) cluster.sandboxes.vendors[tenant.provider].sandbox.faults.reset();
  log(`workload done after ${Math.round((Date.now() - started) / 1000)} s, ${cluster.kills} kills; waiting for the queue to drain …`);

  await waitForQuiet(cluster, deals, 240_000);
  const documents = await countDocuments(cluster, deals);
  const contacts = await verifyContacts(cluster);
  const ok = documents.invoices === deals.length && documents.duplicates === 0 && documents.lost === 0 && contacts.diverged === 0;
  log(
    `\ndeals won ${deals.length}, invoices ${documents.invoices}, duplicates ${documents.duplicates}, lost ${documents.lost}, contacts diverged ${contacts.diverged}`,
  );
  log(`(${cluster.kills} kills, ${contacts.checked} linked contacts checked, ${Math.round((Date.now() - started) / 1000)} s)`);
  if (!ok) {
    for (const problem of [...documents.problems, ...contacts.problems].slice(0, 20)) log(`  ✘ ${problem}`);
    log('chaos: FAILED');
  }
  exitCode = ok ? 0 : 1;
} catch (error) {
  log(`chaos: broke: ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await cluster.stop();
}
process.exit(exitCode);
