/**
 * Scope check of the HubSpot sandbox: which scopes each emulated endpoint accepts ("any of", as the
 * operation's `security` in HubSpot's public spec collection lists them, narrowed to the object type
 * called), and HubSpot's 403 MISSING_SCOPES body for a token that has none of them.
 *
 * Sources: HubSpot/HubSpot-public-api-spec-collection (PublicApiSpecs CRM Contacts/Companies/Deals/
 * Line Items/Quotes/Notes v3, Properties v3, Pipelines v3, Associations v4, Tax Rates v1, Actions v4: `security`); the 403
 * body as recorded in https://github.com/PostHog/posthog/issues/53339 (2026-04) and
 * https://github.com/HubSpot/hubspot-api-nodejs/issues/268.
 */
import type { NextFunction, Request, Response } from 'express';
import { HubspotApiError, sendError } from './errors';
import { resolveObjectType, type ObjectType } from './object-types';

/** Line items and quotes also accept the legacy `e-commerce` scope (spec lineItems.json, quotes.json). */
const legacyCommerce = new Set<ObjectType>(['line_items', 'quotes']);

function objectRead(type: ObjectType): string[] {
  return [`crm.objects.${type}.read`, ...(legacyCommerce.has(type) ? ['e-commerce'] : [])];
}

function objectWrite(type: ObjectType): string[] {
  return [`crm.objects.${type}.write`, ...(legacyCommerce.has(type) ? ['e-commerce'] : [])];
}

/** Property and pipeline reads accept the object's read or write scope or its schema read scope (spec properties.json). */
function schemaRead(type: ObjectType): string[] {
  return [`crm.objects.${type}.read`, `crm.objects.${type}.write`, `crm.schemas.${type}.read`, ...(legacyCommerce.has(type) ? ['e-commerce'] : [])];
}

/** Property and pipeline writes: `crm.schemas.<type>.write`; line items only `e-commerce` (spec properties.json). */
function schemaWrite(type: ObjectType): string[] {
  if (type === 'line_items') return ['e-commerce'];
  return [`crm.schemas.${type}.write`, ...(type === 'quotes' ? ['e-commerce'] : [])];
}

/** Tax rates (spec taxRates.json `GET /tax-rates/v1/tax-rates`). */
const taxRateScopes = ['tax_rates.read', 'crm.objects.quotes.read', 'crm.objects.quotes.write', 'cpq.quotes.read', 'cpq.quotes.write'];

const isRead = (method: string, path: string) => method === 'GET' || /\/(batch\/read|search)$/.test(path);

/** The scopes (any one suffices) an endpoint accepts; `undefined` where the sandbox serves no such route. */
export function acceptedScopes(method: string, path: string): string[] | undefined {
  if (path.startsWith('/tax-rates/')) return taxRateScopes;
  // Notes are engagements: the spec lists the contacts scopes for them (notes.json `security`).
  if (/^\/crm\/v3\/objects\/notes(\/|$)/.test(path)) return [isRead(method, path) ? 'crm.objects.contacts.read' : 'crm.objects.contacts.write'];
  // Workflow action callbacks (actionsV4.json `security`).
  if (path.startsWith('/automation/v4/actions/callbacks/')) return ['automation'];
  const crm = /^\/crm\/(?:v3\/(objects|properties|pipelines)|v4\/(?:objects|associations)|associations\/v4)\/([^/]+)/.exec(path);
  if (!crm) return undefined;
  const type = resolveObjectType(decodeURIComponent(crm[2]));
  if (!type) return undefined;
  const area = crm[1] ?? 'associations';
  if (area === 'objects') return isRead(method, path) ? objectRead(type) : objectWrite(type);
  if (area === 'properties' || area === 'pipelines') return isRead(method, path) ? schemaRead(type) : schemaWrite(type);
  // Associations v4 list read and write scopes of every object type; the one the call starts from is what counts here.
  return [...objectRead(type), ...objectWrite(type)];
}

/** HubSpot's 403 for a token without any of the accepted scopes (recorded bodies, see the file comment). */
export function missingScopesError(accepted: string[]): HubspotApiError {
  return new HubspotApiError(
    403,
    'MISSING_SCOPES',
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: accepted } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
    },
  );
}

/** After bearer auth, for a router outside the table: refuses the call unless the token has one of `accepted`. */
export function requireAnyScope(accepted: string[], granted: (res: Response) => readonly string[]) {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (granted(res).some((scope) => accepted.includes(scope))) return next();
    sendError(res, missingScopesError(accepted));
  };
}

/** After bearer auth: refuses the call unless the token was granted one of the endpoint's scopes. */
export function requireScopes(granted: (res: Response) => readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    const accepted = acceptedScopes(req.method, req.path);
    if (!accepted) return next();
    const have = new Set(granted(res));
    if (accepted.some((scope) => have.has(scope))) return next();
    sendError(res, missingScopesError(accepted));
  };
}
