/** Small parsers shared by the CRM routes: object type from the path, list-style query params, batch inputs. */
import type { Request } from 'express';
import { associationTypes, type AssociationTypeDef } from './association-types';
import { validationError } from './errors';
import { resolveObjectType, type ObjectType } from './object-types';
import { findRecord } from './records';
import type { PortalState } from './store';

/** HubSpot's batch endpoints accept up to 100 inputs (hubspot.md §6.1). */
export const MAX_BATCH_INPUTS = 100;

export function objectTypeParam(raw: string): ObjectType {
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

/** `properties=a,b` and `properties=a&properties=b` both work, as on HubSpot. */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function intParam(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw validationError(`${name} must be a non-negative integer`);
  return n;
}

export function bodyOf(req: Request): Record<string, unknown> {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw validationError('Invalid input JSON: expected an object');
  return body as Record<string, unknown>;
}

export function batchInputs(req: Request): Array<Record<string, unknown>> {
  const inputs = bodyOf(req).inputs;
  if (!Array.isArray(inputs)) throw validationError('inputs must be an array');
  if (inputs.length > MAX_BATCH_INPUTS) throw validationError(`Too many inputs: ${inputs.length}. Max: ${MAX_BATCH_INPUTS}`);
  return inputs.map((input) => (input && typeof input === 'object' ? (input as Record<string, unknown>) : {}));
}

export interface PlannedAssociation {
  def: AssociationTypeDef;
  toId: string;
}

/** Checks `associations[]` of a create before anything is written, so a bad link fails the whole create. */
export function planAssociations(portal: PortalState, fromType: ObjectType, raw: unknown): PlannedAssociation[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw validationError('associations must be an array');
  const planned: PlannedAssociation[] = [];
  for (const item of raw as Array<{ to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown }> }>) {
    const toId = String(item?.to?.id ?? '');
    for (const spec of item?.types ?? []) {
      const def = associationTypes.get(Number(spec?.associationTypeId));
      if (!def || def.from !== fromType) throw validationError(`associationTypeId ${String(spec?.associationTypeId)} is not valid for ${fromType}`);
      const target = findRecord(portal, def.to, toId);
      if (!target || target.archived) throw validationError(`${def.to} ${toId} does not exist and cannot be associated`);
      planned.push({ def, toId });
    }
  }
  return planned;
}

export function batchTimes(startedAt: number, completedAt: number) {
  return { status: 'COMPLETE' as const, startedAt: new Date(startedAt).toISOString(), completedAt: new Date(completedAt).toISOString() };
}

/** The StandardError entry of a 207 multi-status batch answer. */
export function batchError(category: string, message: string, ids: string[]) {
  return { status: 'error', category, message, context: { ids }, errors: [], links: {} };
}
