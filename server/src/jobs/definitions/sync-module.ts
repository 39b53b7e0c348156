/**
 * The contact and company sync as one module for services.ts: job definitions, the HubSpot webhook
 * routes, and the poller (start/stop) that enqueues a poll per portal whose interval (sync settings)
 * has passed. Its card and settings routers are built in services.ts from `http/routes/`, like
 * invoicing's.
 */
import type { Logger } from 'pino';
import type { AccountingConnections } from '../../accounting/connections';
import type { Subscriptions } from '../../billing/subscriptions';
import type { KeyedLock } from '../../lib/keyed-lock';
import type { Db } from '../../db/client';
import { accountingConnections } from '../../db/schema';
import type { HubspotClients } from '../../hubspot/client';
import type { WebhookObserver, WebhookRoute } from '../webhook-routes';
import type { AnyJobDefinition } from '../define';
import { syncAssociationRoute, syncJobs, syncOtherWriterObserver, syncPrivacyDeletionRoute, syncWebhookRoute, type SyncJobs } from './sync';
import type { JobQueue } from '../queue';
import type { PortalSettingsStore } from '../../settings/portal-settings';
import type { SyncDeps } from '../../sync/context';
import { SyncPropertySetup } from '../../sync/hubspot-properties';
import { HubspotSide } from '../../sync/hubspot-side';
import { lastPollAt } from '../../sync/poll';
import { isPollDue, pollIntervalFor } from '../../sync/poll-schedule';

export { isPollDue, pollIntervalFor, safetyNetPollMs } from '../../sync/poll-schedule';

export interface SyncModuleDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
  hubspot: HubspotClients;
  connections: AccountingConnections;
  settings: PortalSettingsStore;
  subscriptions: Subscriptions;
  now?: () => number;
  /** How often the poller looks for portals due for a poll; default 60 s. */
  pollTickMs?: number;
  /** Deletions are collected this long before they are applied together; default 30 s. */
  deletionWindowMs?: number;
  /** Shared with invoicing (see lib/keyed-lock.ts). */
  customerLock: KeyedLock;
  /** Minimum deletions in a cycle before the share guard applies; default 3. */
  massDeleteMinCount?: number;
  /** Wakes the local worker after an enqueue. */
  onEnqueued?: () => void;
}

export interface SyncModule {
  jobs: AnyJobDefinition[];
  definitions: SyncJobs;
  deps: SyncDeps;
  webhookRoutes: WebhookRoute[];
  /** Counts other apps' writes to synced records, for the settings page's warning. */
  webhookObservers: WebhookObserver[];
  /** Enqueues a poll for every portal that is due (the poller calls it on each tick). */
  pollDuePortals(): Promise<number>;
  start(): void;
  stop(): void;
}

export function createSyncModule(m: SyncModuleDeps): SyncModule {
  const now = m.now ?? Date.now;
  const log = m.log.child({ component: 'sync' });
  const deps: SyncDeps = {
    db: m.db,
    hubspot: new HubspotSide(m.hubspot),
    properties: new SyncPropertySetup(m.hubspot),
    connections: m.connections,
    settings: m.settings,
    subscriptions: m.subscriptions,
    log,
    now,
    massDeleteMinCount: m.massDeleteMinCount ?? 3,
    customerLock: m.customerLock,
  };
  const definitions = syncJobs(deps, m.queue, { deletionWindowMs: m.deletionWindowMs ?? 30_000, onEnqueued: m.onEnqueued });
  let timer: NodeJS.Timeout | undefined;

  const tickMs = m.pollTickMs ?? 60_000;

  /**
   * The portal's poll interval; where the vendor pushes contact events (lexoffice contact.created/changed/deleted)
   * the poll is only the safety net for a lost delivery, so it runs at most hourly.
   */
  async function pollIntervalMs(portalId: string): Promise<number> {
    const { sync } = await m.settings.get(portalId);
    const connected = await m.connections.providerFor(portalId);
    return pollIntervalFor(sync.pollIntervalMinutes, connected?.provider.events?.customerEvents === true);
  }

  async function pollDuePortals(): Promise<number> {
    let enqueued = 0;
    const connected = await m.db.select({ portalId: accountingConnections.portalId }).from(accountingConnections).orderBy(accountingConnections.portalId);
    for (const { portalId } of connected) {
      if (!(await m.subscriptions.features(portalId)).sync) continue;
      const intervalMs = await pollIntervalMs(portalId);
      if (!isPollDue(await lastPollAt(deps, portalId), intervalMs, tickMs, now())) continue;
      await m.queue.enqueue(definitions.poll, { portalId });
      enqueued++;
    }
    if (enqueued > 0) m.onEnqueued?.();
    return enqueued;
  }

  return {
    jobs: definitions.all,
    definitions,
    deps,
    webhookRoutes: [syncPrivacyDeletionRoute(definitions), syncWebhookRoute(definitions), syncAssociationRoute(definitions)],
    webhookObservers: [syncOtherWriterObserver(now)],
    pollDuePortals,
    start() {
      if (timer) return;
      // A tick still running when the next is due is not overlapped: the next tick is skipped.
      let ticking = false;
      timer = setInterval(() => {
        if (ticking) return;
        ticking = true;
        void pollDuePortals()
          .catch((error: unknown) => log.error({ err: error }, 'sync poller tick failed'))
          .finally(() => (ticking = false));
      }, tickMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
