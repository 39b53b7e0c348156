/**
 * The contact and company sync as one module for services.ts: job definitions, the HubSpot webhook
 * route, the card and settings routers, and the poller (start/stop) that enqueues a poll per portal
 * whose interval (sync settings) has passed. Vendor webhooks are not used yet: polling covers all vendors.
 */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { AccountingConnections } from '../accounting/connections';
import type { Subscriptions } from '../billing/subscriptions';
import type { KeyedLock } from '../lib/keyed-lock';
import type { Db } from '../db/client';
import { accountingConnections } from '../db/schema';
import type { HubspotClients } from '../hubspot/client';
import type { WebhookObserver, WebhookRoute } from '../hubspot/webhook-routes';
import { syncCardRoutes } from '../http/routes/sync-cards';
import { syncSettingsRoutes } from '../http/routes/sync-settings';
import type { SignatureOptions } from '../http/middleware/hubspot-signature';
import type { JobDefinition } from '../jobs/define';
import { syncAssociationRoute, syncJobs, syncOtherWriterObserver, syncPrivacyDeletionRoute, syncWebhookRoute, type SyncJobs } from '../jobs/definitions/sync';
import type { JobQueue } from '../jobs/queue';
import type { PortalSettingsStore } from '../settings/portal-settings';
import type { SyncDeps } from './context';
import { SyncPropertySetup } from './hubspot-properties';
import { HubspotSide } from './hubspot-side';
import { lastPollAt } from './poll';

export interface SyncModuleDeps {
  db: Db;
  queue: JobQueue;
  log: Logger;
  hubspot: HubspotClients;
  connections: AccountingConnections;
  settings: PortalSettingsStore;
  subscriptions: Subscriptions;
  signature: SignatureOptions;
  /** The portal's HubSpot connection, shown by the contact and company cards ("connect" / "re-authorise"). */
  portalStatus: (portalId: string) => 'active' | 'needs_reauth' | 'not_connected';
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
  jobs: JobDefinition<any>[];
  definitions: SyncJobs;
  deps: SyncDeps;
  webhookRoutes: WebhookRoute[];
  /** Counts other apps' writes to synced records, for the settings page's warning. */
  webhookObservers: WebhookObserver[];
  routers: Router[];
  /** Enqueues a poll for every portal that is due (the poller calls it on each tick). */
  pollDuePortals(): number;
  start(): void;
  stop(): void;
}

/** Poll interval where contact events arrive by webhook. */
export const safetyNetPollMs = 60 * 60_000;

/** The poll interval in ms: the configured one, or at least the safety-net hour where the vendor pushes contact events. */
export function pollIntervalFor(configuredMinutes: number, customerEvents: boolean): number {
  const configured = configuredMinutes * 60_000;
  return customerEvents ? Math.max(configured, safetyNetPollMs) : configured;
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
  function pollIntervalMs(portalId: string): number {
    return pollIntervalFor(m.settings.get(portalId).sync.pollIntervalMinutes, m.connections.providerFor(portalId)?.provider.events?.customerEvents === true);
  }

  function pollDuePortals(): number {
    let enqueued = 0;
    for (const { portalId } of m.db.select({ portalId: accountingConnections.portalId }).from(accountingConnections).all()) {
      if (!m.subscriptions.features(portalId).sync) continue;
      const intervalMs = pollIntervalMs(portalId);
      if (!isPollDue(lastPollAt(deps, portalId), intervalMs, tickMs, now())) continue;
      m.queue.enqueue(definitions.poll, { portalId });
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
    routers: [
      syncCardRoutes({ signature: m.signature, portalStatus: m.portalStatus, db: m.db, queue: m.queue, jobs: definitions, connections: m.connections, subscriptions: m.subscriptions, now, onEnqueued: m.onEnqueued }),
      syncSettingsRoutes({ signature: m.signature, sync: deps, queue: m.queue, jobs: definitions, onEnqueued: m.onEnqueued }),
    ],
    pollDuePortals,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        try {
          pollDuePortals();
        } catch (error) {
          log.error({ err: error }, 'sync poller tick failed');
        }
      }, tickMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * `lastPollAt` is the poll job's own start, a little after the tick that enqueued it: compared
 * exactly, the tick one interval later finds the poll not yet due and it waits a whole extra tick
 * (a 1-minute setting polled every 2 minutes). Half a tick of tolerance makes the tick nearest to
 * the due time poll, so the interval is what the setting says.
 */
export function isPollDue(lastPollAt: number | undefined, intervalMs: number, tickMs: number, now: number): boolean {
  return lastPollAt === undefined || lastPollAt + intervalMs - tickMs / 2 <= now;
}
