/**
 * A portal's required-property rules, as an admin sets them in HubSpot: properties required on the
 * "Create Record" form of an object, and conditionally required properties (required when another
 * property has a given value). Since the 2026-09 API version HubSpot enforces them on CRM API writes;
 * v3 and 2026-03 paths still ignore them.
 *
 * Source: https://developers.hubspot.com/changelog/crm-api-write-validation-enforcement ("Breaking Change:
 * CRM API Write Validation Enforcement Starting with the 2026-09 API Version", 2026-08-11, effective
 * 2026-09-08), with its example bodies as quoted in a public write-up ("Why HubSpot API Writes Return 400
 * After Upgrading to 2026-09", 2026-10-04). When exactly a conditional rule triggers on a partial update,
 * and whether a batch fails as a whole, is not documented: here a rule triggers when the write sets the
 * controlling property to the rule's value, and one failing input fails the batch (UNCONFIRMED).
 */
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { authOf } from './context';
import { HubspotApiError } from './errors';
import { resolveObjectType, type ObjectType } from './object-types';
import type { PortalState } from './store';

export const RequiredRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('onCreate'), objectType: z.string(), property: z.string() }),
  z.object({ kind: z.literal('conditional'), objectType: z.string(), property: z.string(), when: z.object({ property: z.string(), value: z.string() }) }),
]);
export type RequiredRule = z.infer<typeof RequiredRuleSchema>;

/** The date version whose CRM write paths apply the rules; paths `/crm/objects/2026-09/{type}…`. */
export const enforcingVersion = '2026-09';

export class RequiredRules {
  private readonly byPortal = new Map<number, RequiredRule[]>();

  set(portalId: number, rules: RequiredRule[]): void {
    this.byPortal.set(portalId, rules);
  }

  of(portalId: number): RequiredRule[] {
    return this.byPortal.get(portalId) ?? [];
  }
}

interface WriteInput {
  properties: Record<string, unknown>;
  /** Stored values of the record an update changes; undefined for a create. */
  stored?: Record<string, string>;
}

const filled = (value: unknown) => value !== undefined && value !== null && String(value).trim() !== '';

/** The rule errors for one write, in HubSpot's `errors[]` form; empty when the write passes. */
export function ruleViolations(rules: RequiredRule[], type: ObjectType, input: WriteInput) {
  const errors: Array<{ code: string; message: string; context: Record<string, string[]> }> = [];
  const has = (property: string) => filled(input.properties[property]) || (input.stored !== undefined && filled(input.stored[property]));
  for (const rule of rules) {
    if (resolveObjectType(rule.objectType) !== type) continue;
    if (rule.kind === 'onCreate') {
      if (input.stored === undefined && !filled(input.properties[rule.property])) {
        errors.push({
          code: 'MISSING_REQUIRED_PROPERTY',
          message: `A value for ${rule.property} must be provided`,
          context: { propertyName: [rule.property] },
        });
      }
      continue;
    }
    if (String(input.properties[rule.when.property] ?? '') !== rule.when.value || has(rule.property)) continue;
    errors.push({
      code: 'MISSING_CONDITIONAL_REQUIRED_PROPERTY',
      message: `${rule.property} is required because of a conditional property rule based on [${rule.when.property}]`,
      context: { propertyName: [rule.property] },
    });
  }
  return errors;
}

export function requiredPropertyError(errors: ReturnType<typeof ruleViolations>): HubspotApiError {
  return new HubspotApiError(400, 'VALIDATION_ERROR', 'The property values provided are invalid', { errors });
}

/**
 * Serves `/crm/objects/2026-09/{type}…` with the v3 routes, marking the request so that the rule check
 * below applies. Runs before authentication, so the scope check sees the v3 path.
 */
export function dateVersionedObjects(req: Request, res: Response, next: NextFunction): void {
  const prefix = `/crm/objects/${enforcingVersion}/`;
  if (req.path.startsWith(prefix)) {
    res.locals.enforcesRequiredRules = true;
    req.url = `/crm/v3/objects/${req.url.slice(prefix.length)}`;
  }
  next();
}

/** After authentication: a 2026-09 create or update that breaks one of the portal's rules answers 400. */
export function enforceRequiredRules(rules: RequiredRules) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!res.locals.enforcesRequiredRules || (req.method !== 'POST' && req.method !== 'PATCH')) return next();
    const match = /^\/crm\/v3\/objects\/([^/]+)(?:\/(batch\/create|batch\/update|[^/]+))?$/.exec(req.path);
    const type = match ? resolveObjectType(decodeURIComponent(match[1])) : undefined;
    if (!match || !type) return next();
    const { portal } = authOf(res);
    const portalRules = rules.of(portal.portalId);
    if (portalRules.length === 0) return next();
    const errors = writesOf(req, portal, type, match[2]).flatMap((input) => ruleViolations(portalRules, type, input));
    if (errors.length) return next(requiredPropertyError(errors));
    next();
  };
}

function writesOf(req: Request, portal: PortalState, type: ObjectType, tail: string | undefined): WriteInput[] {
  const body = (req.body ?? {}) as { properties?: Record<string, unknown>; inputs?: Array<{ id?: unknown; properties?: Record<string, unknown> }> };
  const stored = (id: unknown) => portal.records[type].get(String(id ?? ''))?.properties ?? {};
  if (req.method === 'POST' && tail === undefined) return [{ properties: body.properties ?? {} }];
  if (req.method === 'POST' && tail === 'batch/create') return (body.inputs ?? []).map((i) => ({ properties: i.properties ?? {} }));
  if (req.method === 'POST' && tail === 'batch/update') return (body.inputs ?? []).map((i) => ({ properties: i.properties ?? {}, stored: stored(i.id) }));
  if (req.method === 'PATCH' && tail && !tail.startsWith('batch/')) return [{ properties: body.properties ?? {}, stored: stored(tail) }];
  return [];
}
