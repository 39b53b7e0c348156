/** Helpers for the sync integration tests: wait until sync work is done, count writes per side. */
import { and, inArray, like, lte } from 'drizzle-orm';
import type { ProviderId } from '../../src/accounting/provider';
import { jobs } from '../../src/db/schema';
import type { JobDefinition } from '../../src/jobs/define';
import { SyncStore } from '../../src/sync/store';
import type { TestApiup } from '../helpers/apiup';
import type { HubspotUser } from '../helpers/hubspot-user';

export function syncJob(t: TestApiup, name: string): JobDefinition<any>;
export function syncJob(t: TestApiup): { store(): SyncStore };
export function syncJob(t: TestApiup, name?: string): any {
  if (!name) return { store: () => new SyncStore(t.db, Date.now) };
  const definition = t.services.jobs.find((j) => j.name === name);
  if (!definition) throw new Error(`no job ${name}`);
  return definition;
}

/** Resolves when HubSpot has delivered every webhook and no sync job is due or running. */
export async function settleSync(t: TestApiup, options: { expediteDeletions?: boolean; timeoutMs?: number } = {}): Promise<void> {
  // The deletion window exists so that one cycle's deletions are judged together: let every event job record
  // its deletion first (the window is still open), and only then cut the window short.
  if (options.expediteDeletions) await settleSync(t, { timeoutMs: options.timeoutMs });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let quiet = 0; quiet < 3;) {
    await t.sandboxes!.hubspot.flushWebhooks();
    if (options.expediteDeletions) await t.queue.expedite(`sync-deletions:${t.portalId}`);
    t.worker.poke();
    const live = await t.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(like(jobs.name, 'sync.%'), inArray(jobs.state, ['queued', 'running', 'retrying']), lte(jobs.runAt, Date.now())));
    quiet = live.length === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error(`sync did not settle: ${live.length} jobs live`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const dead = await t.db
    .select()
    .from(jobs)
    .where(and(like(jobs.name, 'sync.%'), inArray(jobs.state, ['dead'])))
    .orderBy(jobs.id);
  if (dead.length > 0) throw new Error(`sync job died: ${dead.map((j) => `${j.name} ${j.lastError?.message}`).join('; ')}`);
}

const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Mutating requests the vendor sandbox received so far. */
export function vendorWrites(t: TestApiup, providerId: ProviderId): number {
  const recorder = t.sandboxes!.vendors[providerId].sandbox.recorder as { exchanges: Array<{ method: string; path: string }> };
  return recorder.exchanges.filter((e) => mutating.has(e.method) && !e.path.includes('/search')).length;
}

/** Batch writes (create/update/archive) HubSpot received for contacts and companies. */
export function hubspotWrites(t: TestApiup): number {
  return t.sandboxes!.hubspot.recorder.exchanges.filter((e) => /\/crm\/v3\/objects\/(contacts|companies)\/batch\/(create|update|archive)$/.test(e.path)).length;
}

/** Runs the portal's vendor poll now (as the poller would) and waits until all sync work it started is done. */
export async function pollNow(t: TestApiup): Promise<void> {
  await t.queue.enqueue(syncJob(t, 'sync.poll'), { portalId: t.portalId });
  t.worker.poke();
  await settleSync(t);
}

/** The ids of the companies a HubSpot contact is associated with, each once (labelled and unlabelled rows). */
export async function hubspotCompaniesOf(user: HubspotUser, contactId: string): Promise<string[]> {
  const contact = await user.api('GET', `/crm/v3/objects/contacts/${contactId}?associations=companies`);
  return [...new Set<string>((contact.associations?.companies?.results ?? []).map((r: { id: string }) => r.id))];
}
