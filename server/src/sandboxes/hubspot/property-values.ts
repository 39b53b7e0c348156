/**
 * Property values checked as HubSpot checks them before a write: every value first, nothing stored when one
 * fails, one 400 `VALIDATION_ERROR` naming each bad value (hubspot.md §6.1 "Validation"). Recorded bodies:
 * - INVALID_DATE `"1635535865 is at 22:18:55.865 UTC, not midnight!"` (github.com/HubSpot/hubspot-api-php/issues/74,
 *   github.com/hubspot-net/HubSpot.NET/issues/98 "1606768561954 is at 20:36:1.954 UTC, not midnight!");
 * - INVALID_INTEGER `"1.4210854715202004e-14 was not a valid number."` for the number property `amount`, with
 *   `localizedErrorMessage`, `propertyValue`, `portalId` and an `errors[]` entry per value
 *   (github.com/Atlas-Authority/marketing-automation/issues/206, a 2025 batch update answer);
 * - INVALID_OPTION `"reports was not one of the allowed options: [PRODUCT_ISSUE, BILLING_ISSUE, …]"`
 *   (github.com/gregorspan/csc-frodx/issues/21);
 * - INVALID_LONG `"1/1/1 was not a valid long."` (Hull's HubSpot connector test fixtures, github.com/g10/hull-hubspot,
 *   legacy contacts API); that v3 answers a timestamp it cannot read with the same code is UNCONFIRMED.
 * Empty values clear a property and are always valid. Non-string values may not carry leading or trailing
 * spaces (https://developers.hubspot.com/changelog/breaking-change-enhanced-validations-for-non-string-properties-in-hubspots-crmobject-apis).
 */
import type { PropertyDef } from './default-properties';
import { validationError, type HubspotApiError } from './errors';
import type { ObjectType } from './object-types';
import type { CrmRecord, PortalState } from './store';

export interface PropertyProblem {
  name: string;
  value: string;
  error: 'PROPERTY_DOESNT_EXIST' | 'INVALID_OPTION' | 'INVALID_DATE' | 'INVALID_LONG' | 'INVALID_INTEGER';
  message: string;
}

const numberPattern = /^-?\d+(\.\d+)?$/;
const epochMsPattern = /^-?\d+$/;
const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;
const isoDateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** The one value HubSpot stores for a checked value: `date` as `YYYY-MM-DD`, `datetime` epoch ms as ISO text. */
export function storedValue(def: PropertyDef | undefined, value: string): string {
  if (!def || value === '') return value;
  const ms = def.type === 'date' ? toEpochMs(value) : undefined;
  if (ms !== undefined) return new Date(ms).toISOString().slice(0, 10);
  if (def.type === 'datetime' && epochMsPattern.test(value)) return new Date(Number(value)).toISOString();
  return value;
}

/** All problems of one properties object; `existing` is the record an update writes to (its pipeline counts). */
export function propertyProblems(portal: PortalState, type: ObjectType, values: Record<string, string>, existing?: CrmRecord): PropertyProblem[] {
  const problems: PropertyProblem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const def = portal.properties[type].get(name);
    if (!def || def.archived) {
      problems.push({ name, value, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (value === '' || def.readOnlyValue) continue;
    const problem = valueProblem(portal, type, def, value, values, existing);
    if (problem) problems.push({ name, value, ...problem });
  }
  return problems;
}

/** The 400 HubSpot answers: the problems as JSON text in `message`, and one `errors[]` entry each. */
export function propertyValuesError(portal: PortalState, problems: PropertyProblem[]): HubspotApiError {
  const entries = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    propertyValue: p.value,
    portalId: portal.portalId,
  }));
  return validationError(`Property values were not valid: ${JSON.stringify(entries)}`, {
    errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
  });
}

function valueProblem(portal: PortalState, type: ObjectType, def: PropertyDef, value: string, values: Record<string, string>, existing?: CrmRecord) {
  switch (def.type) {
    case 'number':
      return numberPattern.test(value) ? undefined : { error: 'INVALID_INTEGER' as const, message: `${value} was not a valid number.` };
    case 'date':
      return dateProblem(value);
    case 'datetime':
      return toEpochMs(value) === undefined ? { error: 'INVALID_LONG' as const, message: `${value} was not a valid long.` } : undefined;
    case 'enumeration': {
      const allowed = allowedOptions(portal, type, def, values, existing);
      if (!allowed) return undefined;
      const bad = value.split(';').find((v) => !allowed.includes(v));
      return bad === undefined
        ? undefined
        : { error: 'INVALID_OPTION' as const, message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]` };
    }
    default:
      return undefined;
  }
}

/** `date` properties take midnight UTC only, as `YYYY-MM-DD`, epoch ms or ISO text (hubspot.md §6.4). */
function dateProblem(value: string) {
  const ms = toEpochMs(value);
  if (ms === undefined) return { error: 'INVALID_LONG' as const, message: `${value} was not a valid long.` };
  const at = new Date(ms);
  const [h, m, s, milli] = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()];
  if (h + m + s + milli === 0) return undefined;
  return { error: 'INVALID_DATE' as const, message: `${value} is at ${h}:${m}:${s}.${milli} UTC, not midnight!` };
}

function toEpochMs(value: string): number | undefined {
  if (epochMsPattern.test(value)) return Number(value);
  if (!isoDatePattern.test(value) && !isoDateTimePattern.test(value)) return undefined;
  const ms = Date.parse(isoDatePattern.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The values an enumeration takes: its options; for deals, `pipeline` takes the portal's pipeline ids and
 * `dealstage` the stage ids of the deal's pipeline (the one written with it, else the deal's, else `default`).
 * Undefined where the sandbox knows no option list (nothing to check against).
 */
function allowedOptions(portal: PortalState, type: ObjectType, def: PropertyDef, values: Record<string, string>, existing?: CrmRecord): string[] | undefined {
  if (type === 'deals' && def.name === 'pipeline') return portal.pipelines.filter((p) => !p.archived).map((p) => p.id);
  if (type === 'deals' && def.name === 'dealstage') {
    const pipelineId = values.pipeline || existing?.properties.pipeline || 'default';
    const pipeline = portal.pipelines.find((p) => p.id === pipelineId && !p.archived);
    return pipeline ? pipeline.stages.filter((s) => !s.archived).map((s) => s.id) : [];
  }
  return def.options.length ? def.options.map((o) => o.value) : undefined;
}
