/**
 * Initial sync when the package is activated: a dry-run report first (plan.ts over both full lists),
 * then, once confirmed, the same plan executed with progress in `sync_runs`. Resumable: a restarted
 * run plans again from the links that exist by then, so a customer created just before a crash is
 * found again by matching and linked instead of created twice. Companies go first so contacts can
 * name their company. Calls run at the vendor's limit (the provider's shared limiter).
 */
import { associateVendorParent } from './associations';
import { and, desc, eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { customerKeyOf } from '../lib/keyed-lock';
import type { Customer } from '../accounting/provider';
import { syncRuns } from '../db/schema';
import { displayName, objectTypeOfKind, type Content, type ObjectType } from './content';
import type { PortalSync, SyncDeps } from './context';
import { fieldsOf, hubspotProperties } from './hubspot-mapping';
import type { HubspotRecord } from './hubspot-side';
import { HubspotWriteBatch } from './hubspot-write-batch';
import { createInVendor } from './live';
import { syncPair } from './pair';
import { addToReport, emptyReport, planPairs, type PlanOutcome, type SyncReport } from './plan';
import { listAllCustomers, vendorContent } from './vendor-side';

export type RunRow = typeof syncRuns.$inferSelect;

interface TypePlan {
  objectType: ObjectType;
  outcomes: PlanOutcome[];
  /** What matching needs of each unlinked HubSpot record (names, e-mail): full records are read again, a page at a time, when the plan runs. */
  hubs: Map<string, Content>;
  vendors: Map<string, Customer>;
}

/** The fields matching looks at (plan.ts: the name key, then the e-mail), and what a conflict shows. */
function matchingContent(c: Content): Content {
  return { firstName: c.firstName, lastName: c.lastName, companyName: c.companyName, email: c.email };
}

export async function planInitialSync(deps: SyncDeps, ps: PortalSync): Promise<{ plans: TypePlan[]; report: SyncReport; work: number }> {
  const customers = await listAllCustomers(ps.provider, null);
  const report = emptyReport();
  const plans: TypePlan[] = [];
  // Kept after their HubSpot record was deleted: the user removed them from HubSpot on purpose.
  const kept = await ps.store.keptVendorIds(ps.portalId, ps.providerId);
  for (const objectType of ['company', 'contact'] as const) {
    // A portal may hold many thousands: keep only what matching needs, page by page.
    const hubs = new Map<string, Content>();
    for await (const page of deps.hubspot.pages(ps.portalId, objectType)) {
      for (const h of page) if (!(await ps.store.link(ps.portalId, objectType, h.id))) hubs.set(h.id, matchingContent(h.content));
    }
    const vendors: Customer[] = [];
    for (const c of customers) {
      if (objectTypeOfKind(c.kind) !== objectType || c.isArchived || kept.has(c.id)) continue;
      if (!(await ps.store.linkByVendor(ps.portalId, ps.providerId, c.id))) vendors.push(c);
    }
    const outcomes = planPairs(
      objectType,
      [...hubs].map(([id, content]) => ({ id, content })),
      vendors.map((c) => ({ id: c.id, content: vendorContent(c) })),
    );
    addToReport(report, outcomes);
    plans.push({ objectType, outcomes, hubs, vendors: new Map(vendors.map((c) => [c.id, c])) });
  }
  const work = plans.reduce((n, p) => n + p.outcomes.filter((o) => o.action !== 'conflict').length, 0);
  return { plans, report, work };
}

export async function dryRun(deps: SyncDeps, ps: PortalSync): Promise<{ runId: number; report: SyncReport }> {
  const { report, work } = await planInitialSync(deps, ps);
  const now = deps.now();
  const [row] = await deps.db
    .insert(syncRuns)
    .values({ portalId: ps.portalId, state: 'planned', report: report as never, total: work, done: 0, updatedAt: now })
    .returning();
  return { runId: row.id, report };
}

export async function latestRun(deps: SyncDeps, portalId: string): Promise<RunRow | undefined> {
  const [row] = await deps.db.select().from(syncRuns).where(eq(syncRuns.portalId, portalId)).orderBy(desc(syncRuns.id)).limit(1);
  return row;
}

export async function runById(deps: SyncDeps, portalId: string, runId: number): Promise<RunRow | undefined> {
  const [row] = await deps.db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.portalId, portalId), eq(syncRuns.id, runId)))
    .limit(1);
  return row;
}

/** Records synced at once during the initial sync (requests are paced by the vendor's limiter). */
const initialSyncConcurrency = 8;

/**
 * Runs tasks `concurrency` at a time, taking them from `tasks` as they are needed (an async source
 * reads its next page only when the workers get to it). After the first failure no new task starts,
 * and the ones in flight finish before the failure is thrown: nothing keeps writing behind a failed
 * run's back (the retry re-plans from what exists, so a half-done run resumes without duplicates).
 */
async function runPool(tasks: AsyncIterable<() => Promise<void>>, concurrency: number): Promise<void> {
  const source = tasks[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!failure) {
        let next: IteratorResult<() => Promise<void>>;
        try {
          next = await source.next();
        } catch (error) {
          failure ??= { error };
          return;
        }
        if (next.done) return;
        try {
          await next.value();
        } catch (error) {
          failure ??= { error };
        }
      }
    }),
  );
  if (failure) throw failure.error;
}

export async function executeInitialSync(deps: SyncDeps, ps: PortalSync, runId: number, log: Logger): Promise<void> {
  const run = await runById(deps, ps.portalId, runId);
  if (!run || run.state === 'succeeded') return;
  await deps.properties.ensure(ps.portalId);
  const { plans, work } = await planInitialSync(deps, ps);
  let done = Math.max(0, run.total - work);
  const progress = async (state: RunRow['state'] = 'running'): Promise<void> => {
    await deps.db
      .update(syncRuns)
      .set({ state, done, startedAt: run.startedAt ?? deps.now(), updatedAt: deps.now(), ...(state === 'succeeded' ? { finishedAt: deps.now() } : {}) })
      .where(eq(syncRuns.id, runId));
  };
  await progress();
  for (const plan of plans) {
    const { objectType, hubs, vendors } = plan;
    const creates = plan.outcomes.filter((o): o is Extract<PlanOutcome, { action: 'create_hubspot' }> => o.action === 'create_hubspot');
    for (let i = 0; i < creates.length; i += 100) {
      const batch = creates.slice(i, i + 100).map((o) => vendors.get(o.vendorId)!);
      const created = await deps.hubspot.create(
        ps.portalId,
        objectType,
        batch.map((c) => hubspotProperties(objectType, vendorContent(c), fieldsOf(objectType))),
      );
      for (const [k, c] of batch.entries())
        await ps.store.saveLink(ps.portalId, objectType, created[k].id, ps.providerId, c, created[k].content, vendorContent(c));
      // Companies are planned and created first, so a person's company is linked by now.
      for (const [k, c] of batch.entries()) await associateVendorParent(deps, ps, objectType, created[k], c);
      done += batch.length;
      await progress();
    }
    const hubspotWrites = new HubspotWriteBatch(deps, ps, objectType, log);
    const planned = new Map<string, Extract<PlanOutcome, { action: 'link' | 'create_vendor' }>>();
    for (const o of plan.outcomes) {
      if (o.action === 'conflict') {
        const candidates = o.vendorIds
          .map((id) => vendors.get(id)!)
          .map((c) => ({ vendorId: c.id, name: displayName(objectType, vendorContent(c)), email: vendorContent(c).email }));
        for (const id of o.hubspotIds)
          await ps.store.openConflict(ps.portalId, 'ambiguous', objectType, id, displayName(objectType, hubs.get(id)!), candidates);
      } else if (o.action !== 'create_hubspot') planned.set(o.hubspotId, o);
    }
    hubs.clear();
    const syncRecord = (o: Extract<PlanOutcome, { action: 'link' | 'create_vendor' }>, hub: HubspotRecord) => () =>
      deps.customerLock.run(customerKeyOf(ps.portalId, objectType, hub.id), async () => {
        // Linked meanwhile (a live change of the same record got there first): nothing left to do here.
        if (!(await ps.store.link(ps.portalId, objectType, hub.id))) {
          if (o.action === 'create_vendor') await createInVendor(deps, ps, objectType, hub, log, hubspotWrites);
          else {
            // A listed customer may lack detail fields (sevDesk pages): merge against a full read.
            const vendor = (await ps.provider.getCustomer(o.vendorId)) ?? vendors.get(o.vendorId)!;
            await syncPair(deps, ps, objectType, hub, vendor, 'hubspot', log, undefined, hubspotWrites);
          }
        }
        done++;
        await progress();
      });
    // The HubSpot records are read again a page at a time as the workers need them, so the run holds
    // a page or two, never the whole portal; a record deleted since the plan is simply not met again.
    async function* recordsToSync(): AsyncGenerator<() => Promise<void>> {
      for await (const page of deps.hubspot.pages(ps.portalId, objectType)) {
        for (const hub of page) {
          const o = planned.get(hub.id);
          if (o) yield syncRecord(o, hub);
        }
      }
    }
    // Several records in flight keep the vendor's limit busy; the shared limiter does the pacing.
    // What is queued for HubSpot is written even when the run stops (a vendor failure, say), so the
    // retry starts from fewer pending links.
    let failure: { error: unknown } | undefined;
    await runPool(recordsToSync(), initialSyncConcurrency).catch((error: unknown) => (failure = { error }));
    await hubspotWrites.flush().catch((error: unknown) => (failure ??= { error }));
    if (failure) throw failure.error;
  }
  await progress('succeeded');
  log.info({ runId, done }, 'initial sync finished');
}
