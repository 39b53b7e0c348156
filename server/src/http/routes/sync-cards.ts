/**
 * Backend of the contact and company cards (signed `hubspot.fetch`, docs/api.md): the link, an open
 * conflict with its candidates, and "sync now". The portal comes only from the verified request.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AccountingConnections } from '../../accounting/connections';
import { providerLabel } from '../../accounting/registry';
import type { Subscriptions } from '../../billing/subscriptions';
import type { Db } from '../../db/client';
import type { SyncJobs } from '../../jobs/definitions/sync';
import type { JobQueue } from '../../jobs/queue';
import { SyncStore } from '../../sync/store';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';

export interface SyncCardDeps {
  signature: SignatureOptions;
  /** `hubspot/tokens.ts` status: the card offers "connect" or "re-authorise" when it is not `active`. */
  portalStatus: (portalId: string) => Promise<'active' | 'needs_reauth' | 'not_connected'>;
  db: Db;
  queue: JobQueue;
  jobs: SyncJobs;
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  now: () => number;
  onEnqueued?: () => void;
}

const Params = z.object({ id: z.string().regex(/^\d+$/, 'a HubSpot record id') });

export function syncCardRoutes(deps: SyncCardDeps): Router {
  const router = Router();
  const store = new SyncStore(deps.db, deps.now);
  for (const [path, objectType] of [
    ['contacts', 'contact'],
    ['companies', 'company'],
  ] as const) {
    router.use(`/api/v1/${path}`, requireHubspotSignature(deps.signature));
    router.get(`/api/v1/${path}/:id/sync`, async (req: Request, res: Response) => {
      const portalId = verifiedPortalId(res);
      const { id } = Params.parse(req.params);
      const [link, conflict, status, features, connection] = await Promise.all([
        store.link(portalId, objectType, id),
        store.conflictFor(portalId, objectType, id),
        deps.portalStatus(portalId),
        deps.subscriptions.features(portalId),
        deps.connections.view(portalId),
      ]);
      res.json({
        portal: { status },
        link: link ? { provider: link.provider, providerLabel: providerLabel(link.provider), vendorId: link.vendorId, lastSyncedAt: link.lastSyncedAt } : null,
        conflict: conflict ? { id: conflict.id, candidates: conflict.candidates } : null,
        features,
        connection: connection ?? null,
      });
    });
    router.post(`/api/v1/${path}/:id/sync`, async (req: Request, res: Response) => {
      const portalId = verifiedPortalId(res);
      const { id } = Params.parse(req.params);
      const job = await deps.queue.enqueue(deps.jobs.hubspot, { portalId, objectType, hubspotId: id });
      // "Sync now" looks at both sides: a change made in the accounting system since the last poll comes over too.
      const link = await store.link(portalId, objectType, id);
      if (link) await deps.queue.enqueue(deps.jobs.accounting, { portalId, vendorId: link.vendorId });
      deps.onEnqueued?.();
      res.status(202).json({ jobId: job.id });
    });
  }
  return router;
}
