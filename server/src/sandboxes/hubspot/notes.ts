/**
 * Notes (engagements) as HubSpot's CRM keeps them, limited to what an app writes on a deal:
 * `POST /crm/v3/objects/notes` with properties and associations in one call (spec notes.json,
 * `SimplePublicObjectInputForCreate`: `properties` and `associations` required; answer 201
 * `SimplePublicObject`). `hs_timestamp` is required and takes epoch ms or an ISO date-time
 * (https://developers.hubspot.com/docs/api-reference/crm-notes-v3/guide). The only association the
 * sandbox knows for notes is HubSpot-defined 214, note → deal
 * (https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide); another type is refused.
 * UNCONFIRMED: the exact messages of HubSpot's 400 answers below (category VALIDATION_ERROR as elsewhere);
 * HubSpot's create answer also carries computed properties (`hs_body_preview`, `hs_object_source`, …, seen in
 * other engagements' answers) that the sandbox leaves out; the product reads only `id`.
 */
import { Router } from 'express';
import { authOf } from './context';
import { validationError } from './errors';
import { bodyOf } from './request-helpers';

export interface SandboxNote {
  id: string;
  portalId: number;
  dealIds: string[];
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

const noteToDeal = 214;

export class NoteStore {
  private readonly byPortal = new Map<number, SandboxNote[]>();
  private nextId = 60_000_000_001;

  add(note: Omit<SandboxNote, 'id'>): SandboxNote {
    const stored = { ...note, id: String(this.nextId++) };
    const list = this.byPortal.get(note.portalId) ?? [];
    list.push(stored);
    this.byPortal.set(note.portalId, list);
    return stored;
  }

  /** The notes on a deal's timeline, oldest first. */
  ofDeal(portalId: number, dealId: string): SandboxNote[] {
    return (this.byPortal.get(portalId) ?? []).filter((n) => n.dealIds.includes(dealId));
  }
}

function timestampOf(value: unknown): string {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value)).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return new Date(value).toISOString();
  throw validationError(`Property values were not valid: hs_timestamp "${String(value)}" is not a valid timestamp`);
}

function dealIdsOf(raw: unknown, isLiveDeal: (id: string) => boolean): string[] {
  if (!Array.isArray(raw)) throw validationError('associations must be an array');
  return raw.map((item) => {
    const a = (item ?? {}) as { to?: { id?: unknown }; types?: unknown };
    const id = String(a.to?.id ?? '');
    const types = Array.isArray(a.types) ? (a.types as Array<{ associationCategory?: unknown; associationTypeId?: unknown }>) : [];
    if (!types.length || types.some((t) => t.associationCategory !== 'HUBSPOT_DEFINED' || t.associationTypeId !== noteToDeal)) {
      throw validationError(`association type is not valid for notes in this sandbox (only HUBSPOT_DEFINED ${noteToDeal}, note to deal)`);
    }
    if (!/^\d+$/.test(id) || !isLiveDeal(id)) throw validationError(`One or more association targets are invalid: deal ${id} does not exist`);
    return id;
  });
}

export function notesRouter(notes: NoteStore, now: () => number): Router {
  const router = Router();
  router.post('/crm/v3/objects/notes', (req, res) => {
    const { portal } = authOf(res);
    const body = bodyOf(req);
    const raw = body.properties;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw validationError('properties must be an object');
    const properties: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      if (value !== null && typeof value === 'object') throw validationError(`Property values were not valid: ${name}`);
      if (value !== null && value !== undefined) properties[name] = String(value);
    }
    if (properties.hs_timestamp === undefined) throw validationError('Property values were not valid: hs_timestamp is required');
    properties.hs_timestamp = timestampOf((raw as Record<string, unknown>).hs_timestamp);
    const dealIds = dealIdsOf(body.associations, (id) => portal.records.deals.get(id)?.archived === false);
    const at = new Date(now()).toISOString();
    const note = notes.add({ portalId: portal.portalId, dealIds, properties, createdAt: at, updatedAt: at });
    res.status(201).json({
      id: note.id,
      properties: { ...properties, hs_createdate: at, hs_lastmodifieddate: at, hs_object_id: note.id },
      createdAt: at,
      updatedAt: at,
      archived: false,
    });
  });
  return router;
}
