/**
 * Contact and company sync jobs (issue 6). One live job per record and side (dedupe key), so a burst
 * of property-change events for one contact is one run; a trigger during a run asks for one more.
 */
import { z } from 'zod';
import { otherAppOf, type HubspotEvent } from '../../hubspot/webhook-events';
import type { WebhookObserver, WebhookRoute } from '../webhook-routes';
import { portalSync, type SyncDeps } from '../../sync/context';
import { applyDeletions } from '../../sync/deletions';
import { propertyOf } from '../../sync/hubspot-mapping';
import { executeInitialSync } from '../../sync/initial';
import { syncFromAccounting, syncFromHubspot } from '../../sync/live';
import { customerKeyOf } from '../../lib/keyed-lock';
import { recordOtherWrite } from '../../sync/other-writers';
import { pollVendor } from '../../sync/poll';
import { forgetContact } from '../../sync/privacy-deletion';
import { SyncStore } from '../../sync/store';
import { defineJob, type AnyJobDefinition } from '../define';
import type { JobQueue } from '../queue';

const PortalId = z.string().regex(/^\d+$/);
const ObjectTypeSchema = z.enum(['contact', 'company']);

export interface SyncJobOptions {
  /** Deletions of one cycle are collected this long before the mass-delete guard looks at them. */
  deletionWindowMs: number;
  onEnqueued?: () => void;
}

export function syncJobs(deps: SyncDeps, queue: JobQueue, options: SyncJobOptions) {
  const deletions = defineJob({
    name: 'sync.deletions',
    payload: z.object({ portalId: PortalId }),
    key: (p) => `sync-deletions:${p.portalId}`,
    portalId: (p) => p.portalId,
    async run(p, ctx) {
      const ps = await portalSync(deps, p.portalId);
      if (ps) await applyDeletions(deps, ps, ctx.log);
    },
  });
  const scheduleDeletions = (portalId: string) => queue.enqueue(deletions, { portalId }, { runAt: deps.now() + options.deletionWindowMs });
  const afterLive = async (portalId: string, outcome: string): Promise<void> => {
    if (outcome === 'deleted') await scheduleDeletions(portalId);
  };

  const hubspot = defineJob({
    name: 'sync.hubspot',
    payload: z.object({
      portalId: PortalId,
      objectType: ObjectTypeSchema,
      hubspotId: z.string().regex(/^\d+$/),
      mergedIds: z.array(z.string()).optional(),
      associationChange: z.boolean().optional(),
    }),
    // A merge (an association change) has its own key: deduplicated into a plain run it would lose its merged ids (its flag).
    key: (p) => `sync:${p.portalId}:${p.objectType}:${p.hubspotId}${p.mergedIds ? ':merge' : p.associationChange ? ':association' : ''}`,
    portalId: (p) => p.portalId,
    async run(p, ctx) {
      const ps = await portalSync(deps, p.portalId);
      if (!ps) return;
      // A merge keeps the primary record: it inherits a merged record's link unless it has its own.
      for (const merged of p.mergedIds ?? [])
        if (merged !== p.hubspotId && !(await ps.store.moveLink(p.portalId, p.objectType, merged, p.hubspotId)))
          await ps.store.dropLink(p.portalId, p.objectType, merged);
      const outcome = await deps.customerLock.run(customerKeyOf(p.portalId, p.objectType, p.hubspotId), () =>
        syncFromHubspot(deps, ps, p.objectType, p.hubspotId, ctx.log, { associationChange: p.associationChange }),
      );
      await afterLive(p.portalId, outcome);
    },
  });

  const accounting = defineJob({
    name: 'sync.accounting',
    payload: z.object({ portalId: PortalId, vendorId: z.string().min(1) }),
    key: (p) => `sync-vendor:${p.portalId}:${p.vendorId}`,
    portalId: (p) => p.portalId,
    async run(p, ctx) {
      const ps = await portalSync(deps, p.portalId);
      if (ps) await afterLive(p.portalId, await syncFromAccounting(deps, ps, p.vendorId, ctx.log));
    },
  });

  const poll = defineJob({
    name: 'sync.poll',
    payload: z.object({ portalId: PortalId }),
    key: (p) => `sync-poll:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 3,
    async run(p, ctx) {
      const ps = await portalSync(deps, p.portalId);
      if (!ps || !ps.rules.accountingToHubspot) return;
      const result = await pollVendor(deps, ps, ctx.log);
      for (const vendorId of result.changed) {
        // A vendor event may have queued this customer a moment ahead (services.ts `syncCustomerNow`): the poll's find is due now.
        if ((await queue.enqueue(accounting, { portalId: p.portalId, vendorId })).deduplicated)
          await queue.expedite(accounting.key!({ portalId: p.portalId, vendorId }));
      }
      if (result.deletions > 0) await queue.enqueue(deletions, { portalId: p.portalId });
      if (result.changed.length > 0 || result.deletions > 0) options.onEnqueued?.();
    },
  });

  const initial = defineJob({
    name: 'sync.initial',
    payload: z.object({ portalId: PortalId, runId: z.number().int().positive() }),
    key: (p) => `sync-initial:${p.portalId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 20,
    async run(p, ctx) {
      const ps = await portalSync(deps, p.portalId);
      if (ps) await executeInitialSync(deps, ps, p.runId, ctx.log);
    },
  });

  const privacyDeletion = defineJob({
    name: 'sync.privacy-deletion',
    payload: z.object({ portalId: PortalId, hubspotId: z.string().regex(/^\d+$/) }),
    key: (p) => `sync-privacy:${p.portalId}:${p.hubspotId}`,
    portalId: (p) => p.portalId,
    maxAttempts: 20,
    async run(p, ctx) {
      // Under the customer lock: a sync run of the same contact must not re-link it while we forget it.
      await deps.customerLock.run(customerKeyOf(p.portalId, 'contact', p.hubspotId), () => forgetContact(deps, p.portalId, p.hubspotId, ctx.log));
    },
  });

  return {
    hubspot,
    accounting,
    poll,
    deletions,
    initial,
    privacyDeletion,
    all: [hubspot, accounting, poll, deletions, initial, privacyDeletion] as AnyJobDefinition[],
  };
}

export type SyncJobs = ReturnType<typeof syncJobs>;

const objectTypeIds: Record<string, 'contact' | 'company'> = { '0-1': 'contact', '0-2': 'company' };
const syncedProperties = { contact: new Set(Object.values(propertyOf.contact)), company: new Set(Object.values(propertyOf.company)) };

function eventTarget(e: HubspotEvent): { objectType: 'contact' | 'company'; kind: string } | undefined {
  const [prefix, kind] = e.subscriptionType.split('.');
  const objectType = prefix === 'contact' || prefix === 'company' ? prefix : prefix === 'object' ? objectTypeIds[e.objectTypeId ?? ''] : undefined;
  if (!objectType || !kind) return undefined;
  if (!['creation', 'propertyChange', 'deletion', 'merge', 'restore'].includes(kind)) return undefined;
  if (kind === 'propertyChange' && !syncedProperties[objectType].has(e.propertyName ?? '')) return undefined;
  return { objectType, kind };
}

/**
 * HubSpot `contact.associationChange` of type CONTACT_TO_COMPANY (classic webhook; hubspot.md §5, the sandbox emits
 * it for both sides with `fromObjectId`/`toObjectId`): the contact's companies changed, so its parent in the vendor
 * may have to follow (sync/associations.ts). The contact's fields are unchanged, so the run must not stop as an echo.
 */
export function syncAssociationRoute(jobs: SyncJobs): WebhookRoute {
  const contactOf = (e: HubspotEvent) => {
    const type = String((e as { associationType?: unknown }).associationType ?? '');
    const from = (e as { fromObjectId?: unknown }).fromObjectId;
    return e.subscriptionType === 'contact.associationChange' && type.startsWith('CONTACT_TO_COMPANY') && from !== undefined ? String(from) : undefined;
  };
  return {
    name: 'sync.hubspot-association',
    matches: (e) => contactOf(e) !== undefined,
    enqueue: (e, queue, tx) =>
      queue.enqueue(jobs.hubspot, { portalId: e.portalId, objectType: 'contact', hubspotId: contactOf(e)!, associationChange: true }, { tx }),
  };
}

/**
 * HubSpot `contact.privacyDeletion` (a "GDPR delete"; subscribed under `hubEvents`, which has no generic
 * `object.*` form): forget the contact (sync/privacy-deletion.ts). The `contact.deletion` HubSpot sends
 * alongside takes the ordinary route and finds nothing left to do once this has run.
 */
export function syncPrivacyDeletionRoute(jobs: SyncJobs): WebhookRoute {
  return {
    name: 'sync.privacy-deletion',
    matches: (e) => e.subscriptionType === 'contact.privacyDeletion' && Boolean(e.objectId),
    enqueue: (e, queue, tx) => queue.enqueue(jobs.privacyDeletion, { portalId: e.portalId, hubspotId: String(e.objectId) }, { tx }),
  };
}

/** HubSpot contact/company creation, change of a synced property, deletion, merge and restore. */
export function syncWebhookRoute(jobs: SyncJobs): WebhookRoute {
  return {
    name: 'sync.hubspot-object',
    matches: (e) => Boolean(eventTarget(e)) && Boolean(e.objectId ?? e.primaryObjectId),
    enqueue: (e, queue, tx) => {
      const { objectType, kind } = eventTarget(e)!;
      const hubspotId = kind === 'merge' ? String(e.primaryObjectId ?? e.newObjectId ?? e.objectId) : String(e.objectId);
      const mergedIds = kind === 'merge' ? (e.mergedObjectIds ?? []).map(String) : undefined;
      return queue.enqueue(jobs.hubspot, { portalId: e.portalId, objectType, hubspotId, ...(mergedIds ? { mergedIds } : {}) }, { tx });
    },
  };
}

/**
 * Counts another app's change to a synced field of a linked contact or company (sync/other-writers.ts). Our own
 * writes and changes to records the sync does not link are not counted; neither are creations (a new record is
 * nobody's conflict yet).
 */
export function syncOtherWriterObserver(now: () => number): WebhookObserver {
  return {
    name: 'sync.other-writers',
    async observe(e, tx, appId) {
      const sourceId = otherAppOf(e, appId);
      const target = sourceId ? eventTarget(e) : undefined;
      if (!sourceId || target?.kind !== 'propertyChange' || !e.objectId || !e.propertyName) return;
      if (!(await new SyncStore(tx, now).link(e.portalId, target.objectType, e.objectId))) return;
      await recordOtherWrite(
        tx,
        { portalId: e.portalId, sourceId, objectType: target.objectType, objectId: e.objectId, propertyName: e.propertyName, occurredAt: e.occurredAt },
        now(),
      );
    },
  };
}
