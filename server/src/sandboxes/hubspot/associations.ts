/**
 * Associations v4 (spec associations.json, associationsSchema.json; hubspot.md §6.2): default and labelled
 * PUT, GET list, DELETE, batch read/create/archive/associate-default, and the labels (type id) endpoint.
 */
import { Router } from 'express';
import { addAssociation, associationsOf, checkedType, removeAssociations } from './association-store';
import { associationTypes, defaultTypeBetween, typesBetween, type AssociationTypeDef } from './association-types';
import { authOf, type SandboxContext } from './context';
import { validationError } from './errors';
import { objectTypes, type ObjectType } from './object-types';
import { findRecord, getLiveRecord, type WriteContext } from './records';
import { batchError, batchInputs, batchTimes, intParam, objectTypeParam } from './request-helpers';
import type { PortalState } from './store';

export function associationsRouter(ctx: SandboxContext): Router {
  const router = Router();
  const write = (res: Parameters<typeof authOf>[0]): WriteContext => ({ store: ctx.store, ...authOf(res) });
  const times = (startedAt: number) => batchTimes(startedAt, ctx.options.now());

  router.put('/crm/v4/objects/:fromType/:fromId/associations/default/:toType/:toId', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const startedAt = ctx.options.now();
    const def = defaultOrFail(from, to);
    addAssociation(write(res), def, req.params.fromId, req.params.toId);
    res.json({ ...times(startedAt), results: defaultResults(def, req.params.fromId, req.params.toId) });
  });

  router.put('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    if (!Array.isArray(req.body) || req.body.length === 0) throw validationError('body must be a non-empty array of association specs');
    const wc = write(res);
    const defs = (req.body as Array<{ associationTypeId?: unknown }>).map((spec) => checkedType(Number(spec?.associationTypeId), from, to));
    for (const def of defs) addAssociation(wc, def, req.params.fromId, req.params.toId);
    res.status(201).json(labelsBetween(wc.portal, from, req.params.fromId, to, req.params.toId));
  });

  router.get('/crm/v4/objects/:fromType/:fromId/associations/:toType', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const { portal } = authOf(res);
    getLiveRecord(portal, from, req.params.fromId);
    const limit = Math.min(intParam(req.query.limit, 500, 'limit'), 500);
    const offset = intParam(req.query.after, 0, 'after');
    const all = associationsOf(portal, from, req.params.fromId, to);
    res.json({
      results: all.slice(offset, offset + limit).map(([toObjectId, typeIds]) => ({ toObjectId, associationTypes: typeIds.map(specWithLabel) })),
      ...(offset + limit < all.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
    });
  });

  router.delete('/crm/v4/objects/:fromType/:fromId/associations/:toType/:toId', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    removeAssociations(write(res), from, req.params.fromId, to, req.params.toId);
    res.status(204).end();
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/read', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const { portal } = authOf(res);
    const startedAt = ctx.options.now();
    const inputs = batchInputs(req).map((i) => String(i.id ?? ''));
    const missing = inputs.filter((id) => !findRecord(portal, from, id) || findRecord(portal, from, id)?.archived);
    const results = inputs
      .filter((id) => !missing.includes(id))
      .map((id) => ({
        from: { id },
        to: associationsOf(portal, from, id, to).map(([toObjectId, typeIds]) => ({ toObjectId, associationTypes: typeIds.map(specWithLabel) })),
      }));
    if (missing.length === 0) return res.json({ ...times(startedAt), results });
    const message = `No ${objectTypes[from].singular} found for the given ids`;
    res.status(207).json({ ...times(startedAt), results, numErrors: 1, errors: [batchError('OBJECT_NOT_FOUND', message, missing)] });
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/create', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const wc = write(res);
    const startedAt = ctx.options.now();
    const planned = batchInputs(req).map((input) => {
      const pair = input as { from?: { id?: unknown }; to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown }> };
      const defs = (pair.types ?? []).map((t) => checkedType(Number(t?.associationTypeId), from, to));
      return { fromId: String(pair.from?.id ?? ''), toId: String(pair.to?.id ?? ''), defs };
    });
    for (const p of planned) {
      getLiveRecord(wc.portal, from, p.fromId);
      getLiveRecord(wc.portal, to, p.toId);
    }
    for (const p of planned) for (const def of p.defs) addAssociation(wc, def, p.fromId, p.toId);
    res.status(201).json({ ...times(startedAt), results: planned.map((p) => labelsBetween(wc.portal, from, p.fromId, to, p.toId)) });
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/associate/default', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const wc = write(res);
    const startedAt = ctx.options.now();
    const def = defaultOrFail(from, to);
    const results = batchInputs(req).flatMap((input) => {
      const pair = input as { from?: { id?: unknown }; to?: { id?: unknown } };
      const [fromId, toId] = [String(pair.from?.id ?? ''), String(pair.to?.id ?? '')];
      addAssociation(wc, def, fromId, toId);
      return defaultResults(def, fromId, toId);
    });
    res.json({ ...times(startedAt), results });
  });

  router.post('/crm/v4/associations/:fromType/:toType/batch/archive', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    const wc = write(res);
    for (const input of batchInputs(req)) {
      const pair = input as { from?: { id?: unknown }; to?: Array<{ id?: unknown }> };
      for (const target of pair.to ?? []) removeAssociations(wc, from, String(pair.from?.id ?? ''), to, String(target?.id ?? ''));
    }
    res.status(204).end();
  });

  router.get('/crm/associations/v4/:fromType/:toType/labels', (req, res) => {
    const [from, to] = [objectTypeParam(req.params.fromType), objectTypeParam(req.params.toType)];
    res.json({ results: typesBetween(from, to).map((def) => specWithLabel(def.typeId)) });
  });

  return router;
}

function defaultOrFail(from: ObjectType, to: ObjectType): AssociationTypeDef {
  const def = defaultTypeBetween(from, to);
  if (!def) throw validationError(`There is no default association type from ${from} to ${to}`);
  return def;
}

/** HubSpot answers a default association with both directions. */
function defaultResults(def: AssociationTypeDef, fromId: string, toId: string) {
  const spec = (typeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId });
  return [
    { from: { id: fromId }, to: { id: toId }, associationSpec: spec(def.typeId) },
    { from: { id: toId }, to: { id: fromId }, associationSpec: spec(def.inverse) },
  ];
}

/** `AssociationSpecWithLabel`; unlabeled types carry no `label` (HubSpot sends null, which the spec's string type does not allow). */
function specWithLabel(typeId: number) {
  const def = associationTypes.get(typeId);
  return {
    category: 'HUBSPOT_DEFINED',
    typeId,
    ...(def ? { fromObjectTypeId: objectTypes[def.from].typeId, toObjectTypeId: objectTypes[def.to].typeId } : {}),
    ...(def?.label ? { label: def.label } : {}),
  };
}

function labelsBetween(portal: PortalState, from: ObjectType, fromId: string, to: ObjectType, toId: string) {
  const labels = associationsOf(portal, from, fromId, to)
    .filter(([id]) => id === toId)
    .flatMap(([, typeIds]) => typeIds.map((t) => associationTypes.get(t)?.label).filter((l): l is string => Boolean(l)));
  return { fromObjectTypeId: objectTypes[from].typeId, fromObjectId: fromId, toObjectTypeId: objectTypes[to].typeId, toObjectId: toId, labels };
}
