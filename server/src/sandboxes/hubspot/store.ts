/**
 * In-memory state of the HubSpot sandbox: one `PortalState` per installed account (records, associations,
 * pipelines, properties, tax rates) plus the change-event hook that feeds webhook delivery.
 */
import { objectTypes, type ObjectType } from './object-types';
import { defaultGroups, defaultPropertyDefs, type PropertyDef, type PropertyGroupDef } from './default-properties';
import { defaultDealPipeline, type PipelineDef } from './pipeline-defaults';
import taxRateFixture from './fixtures/tax-rates.json';

export interface CrmRecord {
  id: string;
  /** HubSpot property values are always strings (§6.1). */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface TaxRateDef {
  id: string;
  name: string;
  label: string;
  /** Decimal string; sent as a JSON number because the spec's `percentageRate` is `number`. */
  percentageRate: string;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface PortalState {
  portalId: number;
  hubDomain: string;
  records: Record<ObjectType, Map<string, CrmRecord>>;
  /** key `fromType:fromId>toType:toId` → association type ids in that direction. */
  associations: Map<string, Set<number>>;
  pipelines: PipelineDef[];
  properties: Record<ObjectType, Map<string, PropertyDef>>;
  groups: Record<ObjectType, Map<string, PropertyGroupDef>>;
  taxRates: TaxRateDef[];
}

/** Who made a change, as HubSpot reports it in webhook events (see webhooks.ts for the research note). */
export interface ChangeSource {
  changeSource: string;
  sourceId?: string;
}

export type CrmChange = { portalId: number; objectType: ObjectType; objectId: string; occurredAt: number; source: ChangeSource } & (
  | { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion' }
  | { kind: 'propertyChange'; propertyName: string; propertyValue: string }
  | { kind: 'merge'; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number }
  | { kind: 'associationChange'; associationType: string; fromObjectId: string; toObjectId: string; associationRemoved: boolean; isPrimaryAssociation: boolean }
);

export class HubspotStore {
  readonly portals = new Map<number, PortalState>();
  private nextId = 40_000_000_001;
  private readonly listeners: Array<(change: CrmChange) => void> = [];

  constructor(readonly now: () => number) {}

  /** Numeric string ids like HubSpot's, unique across types so a mix-up between types shows as a 404. */
  newId(): string {
    return String(this.nextId++);
  }

  portal(portalId: number): PortalState | undefined {
    return this.portals.get(portalId);
  }

  ensurePortal(portalId: number): PortalState {
    const existing = this.portals.get(portalId);
    if (existing) return existing;
    const now = this.now();
    const perType = <T>(make: (type: ObjectType) => T) =>
      Object.fromEntries(Object.keys(objectTypes).map((t) => [t, make(t as ObjectType)])) as Record<ObjectType, T>;
    const state: PortalState = {
      portalId,
      hubDomain: `sandbox-${portalId}.hubspot.com`,
      records: perType(() => new Map()),
      associations: new Map(),
      pipelines: [defaultDealPipeline(now)],
      properties: perType((t) => new Map(defaultPropertyDefs(t, now).map((p) => [p.name, p]))),
      groups: perType((t) => new Map(defaultGroups(t).map((g) => [g.name, g]))),
      taxRates: taxRateFixture.results.map((r) => ({ ...r, percentageRate: r.percentageRate, createdAt: now, updatedAt: now })),
    };
    this.portals.set(portalId, state);
    return state;
  }

  onChange(listener: (change: CrmChange) => void): void {
    this.listeners.push(listener);
  }

  emit(change: CrmChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
