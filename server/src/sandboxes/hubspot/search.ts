/**
 * CRM search (`POST /crm/v3/objects/{type}/search`, spec `PublicObjectSearchRequest`, hubspot.md §6.1):
 * filterGroups are OR-ed, filters inside a group AND-ed; limit ≤ 200; paging past 10 000 results → 400.
 * The 5 requests/s limit is applied in auth.ts. Unlike HubSpot, results never lag behind writes.
 */
import { Router } from 'express';
import { authOf, type SandboxContext } from './context';
import { validationError } from './errors';
import { objectTypes } from './object-types';
import { toPublicObject } from './records';
import { bodyOf, objectTypeParam } from './request-helpers';
import type { CrmRecord } from './store';

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;
/** The docs say 5 groups × 6 filters, 18 filters in total (UNCONFIRMED against the spec text's "6 groups", §6.1). */
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
  highValue?: unknown;
}

export function searchRouter(_ctx: SandboxContext): Router {
  const router = Router();
  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = objectTypeParam(req.params.objectType);
    const { portal } = authOf(res);
    const body = bodyOf(req);
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0 || limit > SEARCH_MAX_LIMIT) throw validationError(`limit must be between 0 and ${SEARCH_MAX_LIMIT}`);
    const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
    if (!Number.isInteger(offset) || offset < 0) throw validationError('after must be a numeric paging cursor');
    if (offset + limit > SEARCH_MAX_RESULTS) {
      throw validationError(`The search API cannot page past ${SEARCH_MAX_RESULTS} results; refine the filters instead.`);
    }
    const groups = parseGroups(body.filterGroups);
    const query = typeof body.query === 'string' ? body.query.trim().toLowerCase() : '';
    const matches = [...portal.records[type].values()]
      .filter((r) => !r.archived)
      .filter((r) => groups.length === 0 || groups.some((g) => g.every((f) => matchesFilter(r, f))))
      .filter((r) => !query || objectTypes[type].searchable.some((p) => (r.properties[p] ?? '').toLowerCase().includes(query)))
      .sort(sorter(body.sorts));
    const properties = Array.isArray(body.properties) ? body.properties.map(String) : undefined;
    const page = matches.slice(offset, offset + limit);
    const next = offset + limit;
    res.json({
      total: matches.length,
      results: page.map((r) => toPublicObject(portal, r, type, properties)),
      ...(next < matches.length && next < SEARCH_MAX_RESULTS ? { paging: { next: { after: String(next) } } } : {}),
    });
  });
  return router;
}

function parseGroups(raw: unknown): Filter[][] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError('filterGroups must be an array');
  const groups = raw.map((g) => (Array.isArray(g?.filters) ? (g.filters as Filter[]) : []));
  const total = groups.reduce((n, g) => n + g.length, 0);
  if (groups.length > MAX_GROUPS || groups.some((g) => g.length > MAX_FILTERS_PER_GROUP) || total > MAX_FILTERS) {
    throw validationError(`Too many filters: at most ${MAX_GROUPS} filterGroups with ${MAX_FILTERS_PER_GROUP} filters each, ${MAX_FILTERS} in total`);
  }
  for (const f of groups.flat()) {
    if (typeof f?.propertyName !== 'string' || typeof f?.operator !== 'string') throw validationError('each filter needs propertyName and operator');
  }
  return groups;
}

/** Numbers compare as numbers, ISO datetimes and ms-epoch values compare as instants, the rest as lower-case text. */
function comparable(value: unknown): number | string {
  const text = String(value ?? '');
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))) return Date.parse(text);
  return text.toLowerCase();
}

function compare(a: unknown, b: unknown): number {
  const x = comparable(a);
  const y = comparable(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

function matchesFilter(record: CrmRecord, filter: Filter): boolean {
  const actual = record.properties[filter.propertyName];
  const has = actual !== undefined && actual !== '';
  const values = (filter.values ?? []).map(String);
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && compare(actual, filter.value) === 0;
    case 'NEQ':
      return !has || compare(actual, filter.value) !== 0;
    case 'LT':
      return has && compare(actual, filter.value) < 0;
    case 'LTE':
      return has && compare(actual, filter.value) <= 0;
    case 'GT':
      return has && compare(actual, filter.value) > 0;
    case 'GTE':
      return has && compare(actual, filter.value) >= 0;
    case 'BETWEEN':
      return has && compare(actual, filter.value) >= 0 && compare(actual, filter.highValue) <= 0;
    case 'IN':
      return has && values.some((v) => compare(actual, v) === 0);
    case 'NOT_IN':
      return !has || !values.some((v) => compare(actual, v) === 0);
    case 'CONTAINS_TOKEN':
      return has && containsToken(actual, String(filter.value ?? ''));
    case 'NOT_CONTAINS_TOKEN':
      return !has || !containsToken(actual, String(filter.value ?? ''));
    default:
      throw validationError(`Unknown operator ${filter.operator}`);
  }
}

/** Word match, case-insensitive; `*` is a wildcard as on HubSpot (e.g. `*@example.com`). */
function containsToken(actual: string, token: string): boolean {
  const pattern = new RegExp(
    `^${token
      .toLowerCase()
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')}$`,
  );
  const words = actual.toLowerCase().split(/[\s,;]+/);
  return pattern.test(actual.toLowerCase()) || words.some((w) => pattern.test(w));
}

/** `sorts` is `string[]` in the spec (`"createdate"`, `"-createdate"`); HubSpot also takes `{propertyName, direction}`. */
function sorter(raw: unknown): (a: CrmRecord, b: CrmRecord) => number {
  const sorts = (Array.isArray(raw) ? raw : []).map((s) => {
    if (typeof s === 'string') return s.startsWith('-') ? { name: s.slice(1), sign: -1 } : { name: s, sign: 1 };
    const o = s as { propertyName?: string; direction?: string };
    return { name: String(o.propertyName ?? 'hs_object_id'), sign: o.direction === 'DESCENDING' ? -1 : 1 };
  });
  if (sorts.length === 0) sorts.push({ name: 'hs_object_id', sign: 1 });
  return (a, b) => {
    for (const s of sorts) {
      const diff = compare(a.properties[s.name], b.properties[s.name]);
      if (diff !== 0) return diff * s.sign;
    }
    return Number(a.id) - Number(b.id);
  };
}
