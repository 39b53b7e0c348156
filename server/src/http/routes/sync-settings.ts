/**
 * Sync parts of the settings page (docs/api.md): initial sync (dry run, start, progress), conflicts
 * (list, resolve by choosing a candidate or creating a new customer) and the mass-delete guard's
 * held deletions (confirm or dismiss), and the customers kept in the accounting system after a HubSpot
 * deletion. Every call is scoped to the verified portal.
 */
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { SyncJobs } from '../../jobs/definitions/sync';
import type { JobQueue } from '../../jobs/queue';
import { portalSync, type PortalSync, type SyncDeps } from '../../sync/context';
import { applyDeletions, dismissHeldDeletions } from '../../sync/deletions';
import { dryRun, latestRun } from '../../sync/initial';
import { createInVendor } from '../../sync/live';
import { syncPair } from '../../sync/pair';
import { syncRuns } from '../../db/schema';
import { eq } from 'drizzle-orm';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';

export interface SyncSettingsDeps {
  signature: SignatureOptions;
  sync: SyncDeps;
  queue: JobQueue;
  jobs: SyncJobs;
  onEnqueued?: () => void;
}

const ConflictParams = z.object({ id: z.coerce.number().int().positive() });
const ResolveBody = z.union([z.object({ vendorId: z.string().min(1) }).strict(), z.object({ create: z.literal(true) }).strict()]);

export function syncSettingsRoutes(deps: SyncSettingsDeps): Router {
  const router = Router();
  router.use('/api/v1/settings', requireHubspotSignature(deps.signature));
  const context = async (portalId: string): Promise<PortalSync> => {
    const ps = await portalSync(deps.sync, portalId);
    if (!ps) throw new AppError('plan_required', 'Contact sync needs an active sync package and a connected accounting system.');
    return ps;
  };

  router.post('/api/v1/settings/initial-sync/dry-run', async (_req, res) => {
    const { report } = await dryRun(deps.sync, await context(verifiedPortalId(res)));
    res.json({ report });
  });

  router.post('/api/v1/settings/initial-sync/start', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    const ps = await context(portalId);
    const planned = await latestRun(deps.sync, portalId);
    const runId = planned && planned.state !== 'succeeded' ? planned.id : (await dryRun(deps.sync, ps)).runId;
    await deps.sync.db.update(syncRuns).set({ state: 'running', startedAt: deps.sync.now(), updatedAt: deps.sync.now() }).where(eq(syncRuns.id, runId));
    await deps.queue.enqueue(deps.jobs.initial, { portalId, runId });
    deps.onEnqueued?.();
    res.json({ runId });
  });

  router.get('/api/v1/settings/initial-sync', async (_req, res) => {
    const run = await latestRun(deps.sync, verifiedPortalId(res));
    res.json({
      run: run
        ? { id: run.id, state: run.state, done: run.done, total: run.total, report: run.report, startedAt: run.startedAt, finishedAt: run.finishedAt }
        : null,
    });
  });

  router.get('/api/v1/settings/conflicts', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    const ps = await portalSync(deps.sync, portalId);
    const view = async (kinds: Parameters<PortalSync['store']['conflicts']>[1]) =>
      ((await ps?.store.conflicts(portalId, kinds)) ?? []).map((c) => ({
        id: c.id,
        kind: c.kind,
        objectType: c.objectType,
        hubspotId: c.hubspotId,
        name: c.name,
        candidates: c.candidates,
        createdAt: c.createdAt,
      }));
    res.json({ conflicts: await view(['ambiguous']), notices: await view(['deletion_unsupported', 'mass_delete']) });
  });

  /** Accounting customers kept after their HubSpot record was deleted; the sync leaves them alone. */
  router.get('/api/v1/settings/sync/kept', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    const ps = await portalSync(deps.sync, portalId);
    const kept = ps
      ? (await ps.store.kept(portalId, ps.providerId)).map((k) => ({
          vendorId: k.vendorId,
          objectType: k.objectType,
          hubspotId: k.hubspotId,
          name: k.name,
          keptAt: k.keptAt,
        }))
      : [];
    res.json({ provider: ps?.providerId ?? null, kept });
  });

  router.post('/api/v1/settings/conflicts/:id/resolve', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const ps = await context(portalId);
    const { id } = ConflictParams.parse(req.params);
    const body = ResolveBody.parse(req.body);
    const conflict = await ps.store.conflict(portalId, id);
    if (!conflict || conflict.state !== 'open') throw new AppError('not_found', 'No open conflict with this id.');
    if (conflict.kind !== 'ambiguous') {
      await ps.store.resolveConflicts(portalId, conflict.objectType, conflict.hubspotId, [conflict.kind]);
      return res.json({ resolved: id });
    }
    const hub = await deps.sync.hubspot.read(portalId, conflict.objectType, conflict.hubspotId);
    if (!hub) throw new AppError('not_found', 'The HubSpot record no longer exists.');
    const log = deps.sync.log.child({ portalId, conflictId: id });
    if ('create' in body) await createInVendor(deps.sync, ps, conflict.objectType, hub, log);
    else {
      if (!conflict.candidates.some((c) => c.vendorId === body.vendorId)) throw new AppError('invalid_request', 'This customer is not one of the candidates.');
      if (await ps.store.linkByVendor(portalId, ps.providerId, body.vendorId))
        throw new AppError('conflict', 'This customer is already linked to another record.');
      const vendor = await ps.provider.getCustomer(body.vendorId);
      if (!vendor) throw new AppError('not_found', 'The customer no longer exists in the accounting system.');
      await syncPair(deps.sync, ps, conflict.objectType, hub, vendor, 'hubspot', log, undefined);
    }
    res.json({ resolved: id });
  });

  router.post('/api/v1/settings/sync/deletions/:action', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const ps = await context(portalId);
    const { action } = z.object({ action: z.enum(['confirm', 'dismiss']) }).parse(req.params);
    if (action === 'dismiss') return res.json({ dismissed: await dismissHeldDeletions(deps.sync, ps) });
    const outcome = await applyDeletions(deps.sync, ps, deps.sync.log.child({ portalId }), { confirmHeld: true });
    res.json({ applied: outcome.applied });
  });
  return router;
}
