/** Response helpers of the bexio emulator: error bodies, limit/offset/order_by paging, v2 search. */
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { describeIssues } from './validation';

/** bexio's error body for every status (accounting.md §3.2). */
export function sendError(res: Response, status: number, message: string): void {
  res.status(status).json({ error_code: status, message });
}

/** Parses `schema`, or answers bexio's 422 and returns undefined. */
export function parseBody<T extends z.ZodType>(schema: T, req: Request, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(req.body);
  if (parsed.success) return parsed.data;
  sendError(res, 422, describeIssues(parsed.error));
  return undefined;
}

type Row = Record<string, unknown>;

/**
 * `limit` (default 500, max 2000), `offset`, `order_by` (fields with `_asc`/`_desc`, comma-combined)
 * (accounting.md §3.2), plus the spec's X-Limit/X-Offset/X-Total-Count headers (components.headers).
 */
export function sendPage(req: Request, res: Response, rows: Row[], orderable: readonly string[]): void {
  const limit = req.query.limit === undefined ? 500 : Number(req.query.limit);
  const offset = req.query.offset === undefined ? 0 : Number(req.query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 2000) return sendError(res, 422, 'limit: must be an integer between 1 and 2000');
  if (!Number.isInteger(offset) || offset < 0) return sendError(res, 422, 'offset: must be a non-negative integer');
  const orderBy = String(req.query.order_by ?? 'id').split(',');
  const keys = orderBy.map((part) => {
    const match = /^(.*?)(?:_(asc|desc))?$/.exec(part.trim())!;
    return { field: match[1], direction: match[2] === 'desc' ? -1 : 1 };
  });
  const unknown = keys.find((k) => !orderable.includes(k.field));
  if (unknown) return sendError(res, 422, `order_by: unknown field ${unknown.field}`);
  const sorted = [...rows].sort((a, b) => {
    for (const k of keys) {
      const c = compare(a[k.field], b[k.field]);
      if (c !== 0) return c * k.direction;
    }
    return 0;
  });
  res.setHeader('X-Limit', String(limit));
  res.setHeader('X-Offset', String(offset));
  res.setHeader('X-Total-Count', String(rows.length));
  res.status(200).json(sorted.slice(offset, offset + limit));
}

export interface Criterion {
  field: string;
  value: string;
  criteria: string;
}

/** bexio v2 search: every criterion must hold (accounting.md §3.2 criteria list). */
export function matches(row: Row, criteria: Criterion[]): boolean {
  return criteria.every(({ field, value, criteria: op }) => {
    const actual = row[field];
    const present = actual !== null && actual !== undefined && actual !== '';
    const list = value.split(',').map((v) => v.trim());
    switch (op) {
      case '=':
      case 'equal':
        return present && compare(actual, value) === 0;
      case '!=':
      case 'not_equal':
        return !present || compare(actual, value) !== 0;
      case '>':
      case 'greater_than':
        return present && compare(actual, value) > 0;
      case '>=':
      case 'greater_equal':
        return present && compare(actual, value) >= 0;
      case '<':
      case 'less_than':
        return present && compare(actual, value) < 0;
      case '<=':
      case 'less_equal':
        return present && compare(actual, value) <= 0;
      // `like` is "contains this text" (community descriptions, e.g. https://glama.ai/mcp/connectors/io.usefulapi/bexio/tools/bexio_list_contacts;
      // clients search name_1 and name_2 in two calls with a bare partial name). An empty field never matches.
      case 'like':
        return present && String(actual).toLowerCase().includes(value.toLowerCase());
      case 'not_like':
        return !present || !String(actual).toLowerCase().includes(value.toLowerCase());
      case 'is_null':
        return !present;
      case 'not_null':
        return present;
      case 'in':
        return present && list.some((v) => compare(actual, v) === 0);
      case 'not_in':
        return !present || list.every((v) => compare(actual, v) !== 0);
      default:
        return false;
    }
  });
}

/** Numbers (and numeric strings such as totals) compare as numbers, the rest as text. */
function compare(a: unknown, b: unknown): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== null && b !== null && a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return String(a ?? '').localeCompare(String(b ?? ''));
}
