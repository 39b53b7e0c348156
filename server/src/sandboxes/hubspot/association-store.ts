/**
 * Association state: every link is stored in both directions (a type id and its inverse), as HubSpot shows
 * it from either side, and each add/remove emits `associationChange` for both sides (§5).
 */
import { associationTypes, type AssociationTypeDef } from './association-types';
import { validationError } from './errors';
import type { ObjectType } from './object-types';
import { getLiveRecord, type WriteContext } from './records';
import type { PortalState } from './store';

export function associationKey(fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): string {
  return `${fromType}:${fromId}>${toType}:${toId}`;
}

/** The type ids from one record to another (empty when not associated). */
export function typeIdsBetween(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string): number[] {
  return [...(portal.associations.get(associationKey(fromType, fromId, toType, toId)) ?? [])];
}

/** All `[toId, typeIds]` of one record towards a type, in id order. */
export function associationsOf(portal: PortalState, fromType: ObjectType, fromId: string, toType: ObjectType): Array<[string, number[]]> {
  const prefix = `${fromType}:${fromId}>${toType}:`;
  const out: Array<[string, number[]]> = [];
  for (const [key, ids] of portal.associations) {
    if (key.startsWith(prefix) && ids.size > 0) out.push([key.slice(prefix.length), [...ids]]);
  }
  return out.sort((a, b) => Number(a[0]) - Number(b[0]));
}

export function checkedType(typeId: number, fromType: ObjectType, toType: ObjectType): AssociationTypeDef {
  const def = associationTypes.get(typeId);
  if (!def || def.from !== fromType || def.to !== toType) {
    throw validationError(`associationTypeId ${typeId} is not valid from ${fromType} to ${toType}`);
  }
  return def;
}

export function addAssociation(ctx: WriteContext, def: AssociationTypeDef, fromId: string, toId: string): void {
  getLiveRecord(ctx.portal, def.from, fromId);
  getLiveRecord(ctx.portal, def.to, toId);
  const forward = link(ctx.portal, associationKey(def.from, fromId, def.to, toId));
  const backward = link(ctx.portal, associationKey(def.to, toId, def.from, fromId));
  if (forward.has(def.typeId)) return;
  forward.add(def.typeId);
  backward.add(def.inverse);
  emitBoth(ctx, def, fromId, toId, false);
}

/** Removes every type between the two records (what the v4 DELETE does), or only `typeIds` when given. */
export function removeAssociations(ctx: WriteContext, fromType: ObjectType, fromId: string, toType: ObjectType, toId: string, typeIds?: number[]): void {
  const forward = ctx.portal.associations.get(associationKey(fromType, fromId, toType, toId));
  if (!forward) return;
  for (const typeId of [...forward]) {
    if (typeIds && !typeIds.includes(typeId)) continue;
    const def = associationTypes.get(typeId);
    forward.delete(typeId);
    if (!def) continue;
    ctx.portal.associations.get(associationKey(toType, toId, fromType, fromId))?.delete(def.inverse);
    emitBoth(ctx, def, fromId, toId, true);
  }
}

function link(portal: PortalState, key: string): Set<number> {
  let set = portal.associations.get(key);
  if (!set) portal.associations.set(key, (set = new Set()));
  return set;
}

function emitBoth(ctx: WriteContext, def: AssociationTypeDef, fromId: string, toId: string, removed: boolean): void {
  const inverse = associationTypes.get(def.inverse);
  const sides: Array<[AssociationTypeDef, string, string]> = [[def, fromId, toId]];
  if (inverse) sides.push([inverse, toId, fromId]);
  for (const [side, from, to] of sides) {
    ctx.store.emit({
      portalId: ctx.portal.portalId,
      objectType: side.from,
      objectId: from,
      occurredAt: ctx.store.now(),
      source: ctx.source,
      kind: 'associationChange',
      associationType: side.classicName,
      fromObjectId: from,
      toObjectId: to,
      associationRemoved: removed,
      isPrimaryAssociation: side.label === 'Primary',
    });
  }
}
