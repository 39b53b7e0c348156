/**
 * CRM v3 object routes (`/crm/v3/objects/{type}`, type as `deals`, `deal` or `0-3`): list, get, create with
 * associations, update, archive, batch read/create/update/archive and merge (specs contacts/companies/
 * deals/lineItems/quotes.json, operationIds `getPage`, `getById`, `create`, `update`, `archive`, `merge`).
 */
import { Router } from 'express';
import { addAssociation, associationsOf } from './association-store';
import { associationTypes } from './association-types';
import { authOf, type SandboxContext } from './context';
import { notFound, validationError } from './errors';
import { objectTypes, type ObjectType } from './object-types';
import {
  archiveRecord,
  createRecord,
  findRecord,
  getLiveRecord,
  mergeRecords,
  normalizeProperties,
  purgeRecord,
  toPublicObject,
  updateRecord,
  type WriteContext,
} from './records';
import { batchError, batchInputs, batchTimes, bodyOf, intParam, listParam, objectTypeParam, planAssociations } from './request-helpers';
import type { CrmRecord, PortalState } from './store';

export function objectsRouter(ctx: SandboxContext): Router {
  const router = Router();
  const write = (res: Parameters<typeof authOf>[0]): WriteContext => ({ store: ctx.store, ...authOf(res) });

  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = authOf(res);
    const limit = Math.min(intParam(req.query.limit, 10, 'limit'), 100);
    const offset = intParam(req.query.after, 0, 'after');
    const archived = String(req.query.archived) === 'true';
    const all = [...portal.records[type].values()].filter((r) => r.archived === archived).sort(byId);
    const page = all.slice(offset, offset + limit);
    const withAssociations = listParam(req.query.associations);
    res.json({
      results: page.map((r) => withAssoc(portal, type, r, toPublicObject(portal, r, type, listParam(req.query.properties)), withAssociations)),
      ...(offset + limit < all.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
    });
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    const body = bodyOf(req);
    const properties = normalizeProperties(wc.portal, type, body.properties);
    const links = planAssociations(wc.portal, type, body.associations);
    const record = createRecord(wc, type, properties);
    for (const link of links) addAssociation(wc, link.def, record.id, link.toId);
    res.status(201).json(toPublicObject(wc.portal, record, type, Object.keys(record.properties)));
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = authOf(res);
    const startedAt = ctx.options.now();
    const body = bodyOf(req);
    const inputs = batchInputs(req);
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const found: CrmRecord[] = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const record = findRecord(portal, type, String(input.id ?? ''), idProperty);
      if (record && !record.archived) found.push(record);
      else missing.push(String(input.id ?? ''));
    }
    const results = found.map((r) => toPublicObject(portal, r, type, properties));
    respondBatch(res, 200, results, missing, type, 'get', startedAt, ctx.options.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    const startedAt = ctx.options.now();
    const planned = batchInputs(req).map((input) => ({
      properties: normalizeProperties(wc.portal, type, input.properties),
      links: planAssociations(wc.portal, type, input.associations),
    }));
    const results = planned.map(({ properties, links }) => {
      const record = createRecord(wc, type, properties);
      for (const link of links) addAssociation(wc, link.def, record.id, link.toId);
      return toPublicObject(wc.portal, record, type, Object.keys(record.properties));
    });
    res.status(201).json({ ...batchTimes(startedAt, ctx.options.now()), results });
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    const startedAt = ctx.options.now();
    const planned = batchInputs(req).map((input) => {
      const record = findRecord(wc.portal, type, String(input.id ?? ''), typeof input.idProperty === 'string' ? input.idProperty : undefined);
      return { id: String(input.id ?? ''), record, properties: normalizeProperties(wc.portal, type, input.properties, record) };
    });
    const missing = planned.filter((p) => !p.record || p.record.archived).map((p) => p.id);
    const results = planned
      .filter((p) => p.record && !p.record.archived)
      .map((p) => {
        const record = updateRecord(wc, type, p.record as CrmRecord, p.properties);
        return toPublicObject(wc.portal, record, type, Object.keys(p.properties).length ? Object.keys(p.properties) : undefined);
      });
    respondBatch(res, 200, results, missing, type, 'update', startedAt, ctx.options.now());
  });

  router.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    for (const input of batchInputs(req)) {
      const record = findRecord(wc.portal, type, String(input.id ?? ''));
      // HubSpot's batch archive answers 204 even for ids that are already gone.
      if (record) archiveRecord(wc, type, record);
    }
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    if (!objectTypes[type].hasMerge) throw validationError(`${type} cannot be merged`);
    const wc = write(res);
    const body = bodyOf(req);
    const primary = getLiveRecord(wc.portal, type, String(body.primaryObjectId ?? ''));
    const merged = getLiveRecord(wc.portal, type, String(body.objectIdToMerge ?? ''));
    res.json(toPublicObject(wc.portal, mergeRecords(wc, type, primary, merged), type));
  });

  /**
   * Spec contacts.json `post-/crm/v3/objects/contacts/gdpr-delete_purge`: `{ objectId, idProperty? }`, 204.
   * An e-mail that matches no contact is blocklisted by HubSpot (same operation's description) and also answers 204;
   * an unknown record id answers 404 like the other single-record calls (UNCONFIRMED for this operation).
   */
  router.post('/crm/v3/objects/:objectType/gdpr-delete', (req, res) => {
    if (objectTypeParam(req.params.objectType) !== 'contacts') throw notFound();
    const body = bodyOf(req);
    if (typeof body.objectId !== 'string' || body.objectId === '') throw validationError('objectId is required');
    if (body.idProperty !== undefined && typeof body.idProperty !== 'string') throw validationError('idProperty must be a string');
    const wc = write(res);
    const record = findRecord(wc.portal, 'contacts', body.objectId, body.idProperty as string | undefined);
    if (!record && (body.idProperty ?? 'hs_object_id') === 'hs_object_id') throw notFound();
    if (record) purgeRecord(wc, 'contacts', record);
    res.status(204).end();
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = authOf(res);
    const record = findRecord(portal, type, req.params.objectId, typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined);
    const archived = String(req.query.archived) === 'true';
    if (!record || record.archived !== archived) throw notFound();
    res.json(withAssoc(portal, type, record, toPublicObject(portal, record, type, listParam(req.query.properties)), listParam(req.query.associations)));
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    const record = getLiveRecord(wc.portal, type, req.params.objectId, typeof req.query.idProperty === 'string' ? req.query.idProperty : undefined);
    const properties = normalizeProperties(wc.portal, type, bodyOf(req).properties, record);
    res.json(toPublicObject(wc.portal, updateRecord(wc, type, record, properties), type, Object.keys(record.properties)));
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const wc = write(res);
    const record = findRecord(wc.portal, type, req.params.objectId);
    // Archiving is idempotent on HubSpot: an unknown or archived id still answers 204.
    if (record) archiveRecord(wc, type, record);
    res.status(204).end();
  });

  return router;
}

function byId(a: CrmRecord, b: CrmRecord): number {
  return Number(a.id) - Number(b.id);
}

/** HubSpot pages each association group of a v3 read at 100 results (developers.hubspot.com/changelog/announcing-a-change-to-how-v3-crm-apis-return-association-data). */
const ASSOCIATION_GROUP_PAGE = 100;

/**
 * `?associations=line_items,companies` adds `associations["line items"|"companies"].results[{id, type}]`
 * (v3 `SimplePublicObjectWithAssociations`): the group key is the object's display name (`"line items"`,
 * with a space), `type` the v3 name of each association type, so a primary company is listed twice
 * (`deal_to_company` and `deal_to_company_unlabeled`). Groups without associations are left out (no
 * group at all: no `associations` key), and a group over 100 results carries `paging.next.after` (the offset; HubSpot's cursor is opaque).
 */
function withAssoc<T extends object>(portal: PortalState, type: ObjectType, record: CrmRecord, object: T, toTypes?: string[]) {
  if (!toTypes?.length) return object;
  const associations: Record<string, { results: Array<{ id: string; type: string }>; paging?: { next: { after: string } } }> = {};
  for (const raw of toTypes) {
    const toType = objectTypeParam(raw);
    const results = associationsOf(portal, type, record.id, toType).flatMap(([toId, typeIds]) =>
      [...typeIds].sort(byPrimaryFirst).map((typeId) => ({ id: toId, type: associationTypes.get(typeId)?.v3Name ?? String(typeId) })),
    );
    if (results.length === 0) continue;
    const page = results.slice(0, ASSOCIATION_GROUP_PAGE);
    const paging = results.length > page.length ? { paging: { next: { after: String(page.length) } } } : {};
    associations[objectTypes[toType].associationGroupKey] = { results: page, ...paging };
  }
  return Object.keys(associations).length ? { ...object, associations } : object;
}

/** Recorded answers list the Primary type (`deal_to_company`) before the unlabeled one. */
function byPrimaryFirst(a: number, b: number): number {
  return Number(associationTypes.get(b)?.label === 'Primary') - Number(associationTypes.get(a)?.label === 'Primary');
}

function respondBatch(
  res: Parameters<typeof authOf>[0],
  okStatus: number,
  results: object[],
  missing: string[],
  type: ObjectType,
  verb: string,
  startedAt: number,
  completedAt: number,
): void {
  if (missing.length === 0) {
    res.status(okStatus).json({ ...batchTimes(startedAt, completedAt), results });
    return;
  }
  const message = `Could not ${verb} some ${objectTypes[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`;
  res.status(207).json({ ...batchTimes(startedAt, completedAt), results, numErrors: 1, errors: [batchError('OBJECT_NOT_FOUND', message, missing)] });
}
