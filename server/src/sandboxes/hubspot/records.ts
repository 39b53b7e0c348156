/**
 * CRM record writes as HubSpot performs them: property checks, system properties (`createdate`,
 * `hs_lastmodifieddate`, `hs_object_id`), computed values, and one change event per observable change.
 */
import { HubspotApiError, notFound, validationError } from './errors';
import { objectTypes, type ObjectType } from './object-types';
import { lineItemAmount } from './line-item-amount';
import { isClosedWonStage } from './pipeline-defaults';
import { propertyProblems, propertyValuesError, storedValue } from './property-values';
import { isoTime, type ChangeSource, type CrmRecord, type HubspotStore, type PortalState } from './store';

export interface WriteContext {
  store: HubspotStore;
  portal: PortalState;
  source: ChangeSource;
}

const systemProperties = new Set(['hs_object_id', 'createdate', 'hs_createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

/**
 * HubSpot coerces JSON numbers/booleans to strings and treats null as "clear"; every value is checked
 * first (property-values.ts) and one bad value fails the whole write, so nothing is stored. `existing` is
 * the record an update writes to.
 */
export function normalizeProperties(portal: PortalState, type: ObjectType, input: unknown, existing?: CrmRecord): Record<string, string> {
  if (input === undefined) return {};
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw validationError('properties must be an object');
  const values = Object.fromEntries(Object.entries(input).map(([name, value]) => [name, value === null ? '' : String(value)]));
  const problems = propertyProblems(portal, type, values, existing);
  if (problems.length) throw propertyValuesError(portal, problems);
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, storedValue(portal.properties[type].get(name), value)]));
}

export function findRecord(portal: PortalState, type: ObjectType, id: string, idProperty?: string): CrmRecord | undefined {
  const records = portal.records[type];
  if (!idProperty || idProperty === 'hs_object_id') return records.get(id);
  for (const record of records.values()) if (record.properties[idProperty] === id) return record;
  return undefined;
}

export function getLiveRecord(portal: PortalState, type: ObjectType, id: string, idProperty?: string): CrmRecord {
  const record = findRecord(portal, type, id, idProperty);
  if (!record || record.archived) throw notFound();
  return record;
}

export function createRecord(ctx: WriteContext, type: ObjectType, input: Record<string, string>): CrmRecord {
  const now = ctx.store.now();
  const id = ctx.store.newId();
  const properties = writable(ctx.portal, type, input);
  checkUnique(ctx.portal, type, properties);
  const record: CrmRecord = { id, properties: {}, createdAt: now, updatedAt: now, archived: false };
  record.properties = {
    ...properties,
    hs_object_id: id,
    [createdProperty(type)]: input.createdate ?? isoTime(now),
    [objectTypes[type].modifiedProperty]: isoTime(now),
  };
  applyComputed(ctx.portal, type, record);
  ctx.portal.records[type].set(id, record);
  emit(ctx, type, id, { kind: 'creation' });
  for (const [name, value] of Object.entries(properties))
    if (value !== '') emit(ctx, type, id, { kind: 'propertyChange', propertyName: name, propertyValue: value });
  return record;
}

export function updateRecord(ctx: WriteContext, type: ObjectType, record: CrmRecord, input: Record<string, string>): CrmRecord {
  const changes = Object.entries(writable(ctx.portal, type, input)).filter(([name, value]) => (record.properties[name] ?? '') !== value);
  checkUnique(ctx.portal, type, Object.fromEntries(changes), record.id);
  if (changes.length === 0) return record;
  const now = ctx.store.now();
  for (const [name, value] of changes) record.properties[name] = value;
  record.updatedAt = now;
  record.properties[objectTypes[type].modifiedProperty] = isoTime(now);
  applyComputed(ctx.portal, type, record);
  for (const [name, value] of changes) emit(ctx, type, record.id, { kind: 'propertyChange', propertyName: name, propertyValue: value });
  return record;
}

export function archiveRecord(ctx: WriteContext, type: ObjectType, record: CrmRecord): void {
  if (record.archived) return;
  record.archived = true;
  record.archivedAt = ctx.store.now();
  emit(ctx, type, record.id, { kind: 'deletion' });
}

/**
 * A GDPR delete (spec contacts.json `POST /crm/v3/objects/contacts/gdpr-delete`): the record and its
 * associations are gone for good, not archived (no restore). HubSpot sends `contact.privacyDeletion` and
 * a `contact.deletion` besides (https://developers.hubspot.com/changelog/now-live-webhooks-now-support-privacy-compliant-contact-deletions);
 * whether it also sends association removals for the dropped associations is UNCONFIRMED: none are sent.
 */
export function purgeRecord(ctx: WriteContext, type: ObjectType, record: CrmRecord): void {
  ctx.portal.records[type].delete(record.id);
  const side = `${type}:${record.id}`;
  for (const key of [...ctx.portal.associations.keys()]) if (key.startsWith(`${side}>`) || key.endsWith(`>${side}`)) ctx.portal.associations.delete(key);
  emit(ctx, type, record.id, { kind: 'privacyDeletion' });
  emit(ctx, type, record.id, { kind: 'deletion' });
}

export function restoreRecord(ctx: WriteContext, type: ObjectType, record: CrmRecord): void {
  if (!record.archived) return;
  record.archived = false;
  record.archivedAt = undefined;
  record.updatedAt = ctx.store.now();
  emit(ctx, type, record.id, { kind: 'restore' });
}

/** The primary keeps its id and gains the properties it lacked; the merged record is archived (spec `merge`). */
export function mergeRecords(ctx: WriteContext, type: ObjectType, primary: CrmRecord, merged: CrmRecord): CrmRecord {
  if (primary.id === merged.id) throw validationError('Cannot merge an object with itself');
  let moved = 0;
  for (const [name, value] of Object.entries(merged.properties)) {
    if (systemProperties.has(name) || value === '' || (primary.properties[name] ?? '') !== '') continue;
    primary.properties[name] = value;
    moved++;
  }
  const now = ctx.store.now();
  primary.updatedAt = now;
  primary.properties[objectTypes[type].modifiedProperty] = isoTime(now);
  merged.archived = true;
  merged.archivedAt = now;
  emit(ctx, type, primary.id, {
    kind: 'merge',
    primaryObjectId: primary.id,
    mergedObjectIds: [merged.id],
    newObjectId: primary.id,
    numberOfPropertiesMoved: moved,
  });
  return primary;
}

/**
 * The v3 object body. Every requested (or default) property the object type has is listed, `null` when
 * it has no value, as HubSpot answers (hubspot.md §6.1; a recorded deal read lists `"dealtype": null`:
 * github.com/crabroom-llc/estuate-app events.js). Names the type does not have are left out. A value
 * cleared with `""` stays `""` (the same recording has `"lastname": ""`).
 */
export function toPublicObject(portal: PortalState, record: CrmRecord, type: ObjectType, requested?: string[]) {
  // Asked-for properties come with the record's id, create and modified date, as in recorded answers
  // (the deal in server/test/recorded/hubspot/deal-read-with-associations.json lists them beside dealtype).
  const always = ['hs_object_id', createdProperty(type), objectTypes[type].modifiedProperty];
  const names = requested && requested.length > 0 ? [...new Set([...requested, ...always])].sort() : objectTypes[type].defaultProperties;
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    if (record.properties[name] !== undefined) properties[name] = record.properties[name];
    else if (portal.properties[type].has(name)) properties[name] = null;
  }
  return {
    id: record.id,
    properties,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    archived: record.archived,
    ...(record.archivedAt ? { archivedAt: isoTime(record.archivedAt) } : {}),
  };
}

function createdProperty(type: ObjectType): string {
  return type === 'quotes' ? 'hs_createdate' : 'createdate';
}

function writable(portal: PortalState, type: ObjectType, input: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (systemProperties.has(name) || portal.properties[type].get(name)?.readOnlyValue) continue;
    out[name] = value;
  }
  return out;
}

function checkUnique(portal: PortalState, type: ObjectType, properties: Record<string, string>, selfId?: string): void {
  for (const [name, value] of Object.entries(properties)) {
    if (!value || !portal.properties[type].get(name)?.hasUniqueValue) continue;
    const clash = [...portal.records[type].values()].find((r) => !r.archived && r.id !== selfId && r.properties[name]?.toLowerCase() === value.toLowerCase());
    // Recorded 409 (github.com/HubSpot/hubspot-api-nodejs/issues/545): `{"status":"error","message":"Contact
    // already exists. Existing ID: 37765128953","correlationId":"…","category":"CONFLICT"}`, no `context`.
    const singular = objectTypes[type].singular;
    if (clash) throw new HubspotApiError(409, 'CONFLICT', `${singular[0].toUpperCase()}${singular.slice(1)} already exists. Existing ID: ${clash.id}`);
  }
}

/** Line item `amount` (line-item-amount.ts); deal `hs_is_closed_won` from the stage. */
function applyComputed(portal: PortalState, type: ObjectType, record: CrmRecord): void {
  const p = record.properties;
  if (type === 'line_items' && p.price !== undefined && p.price !== '') {
    p.amount = lineItemAmount({ price: p.price, quantity: p.quantity, discount: p.discount, discountPercentage: p.hs_discount_percentage });
  }
  if (type === 'deals') {
    // HubSpot puts a deal without a pipeline into the default one.
    if (p.dealstage && !p.pipeline) p.pipeline = 'default';
    const stage = portal.pipelines.find((pl) => pl.id === (p.pipeline || 'default'))?.stages.find((s) => s.id === p.dealstage);
    p.hs_is_closed_won = String(isClosedWonStage(stage));
  }
}

type ChangeDetail =
  | { kind: 'creation' | 'deletion' | 'restore' | 'privacyDeletion' }
  | { kind: 'propertyChange'; propertyName: string; propertyValue: string }
  | { kind: 'merge'; primaryObjectId: string; mergedObjectIds: string[]; newObjectId: string; numberOfPropertiesMoved: number };

function emit(ctx: WriteContext, type: ObjectType, objectId: string, detail: ChangeDetail): void {
  ctx.store.emit({ portalId: ctx.portal.portalId, objectType: type, objectId, occurredAt: ctx.store.now(), source: ctx.source, ...detail });
}
