/**
 * What every sync operation needs, and the per-portal context: the connected provider, the sync
 * rules and the stores. No context (no connection, no sync package) means the sync does nothing.
 */
import type { Logger } from 'pino';
import type { AccountingConnections } from '../accounting/connections';
import type { AccountingProvider, ProviderId } from '../accounting/provider';
import type { Subscriptions } from '../billing/subscriptions';
import type { Db } from '../db/client';
import type { HubspotSide } from './hubspot-side';
import type { SyncPropertySetup } from './hubspot-properties';
import type { SyncSettings } from './settings';
import { SyncStore } from './store';
import type { KeyedLock } from '../lib/keyed-lock';

export interface SyncDeps {
  db: Db;
  hubspot: HubspotSide;
  properties: SyncPropertySetup;
  connections: AccountingConnections;
  /** The portal's sync rules (settings/portal-settings.ts implements it; the sync does not import the store). */
  settings: { get(portalId: string): Promise<{ sync: SyncSettings }> };
  subscriptions: Subscriptions;
  log: Logger;
  now: () => number;
  /** Shared with invoicing: one creator of a HubSpot record's accounting customer at a time. */
  customerLock: KeyedLock;
  /** A cycle deletes at least this many records before the share guard applies (a single deletion in a tiny portal is not "mass"). */
  massDeleteMinCount: number;
}

export interface PortalSync {
  portalId: string;
  providerId: ProviderId;
  provider: AccountingProvider;
  rules: SyncSettings;
  store: SyncStore;
}

export async function portalSync(deps: SyncDeps, portalId: string): Promise<PortalSync | undefined> {
  if (!(await deps.subscriptions.features(portalId)).sync) return undefined;
  const connected = await deps.connections.providerFor(portalId);
  if (!connected) return undefined;
  const { sync: rules } = await deps.settings.get(portalId);
  return { portalId, providerId: connected.id, provider: connected.provider, rules, store: new SyncStore(deps.db, deps.now) };
}
