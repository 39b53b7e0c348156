/**
 * HubSpot's answer when a portal's required-property rules refuse an API write (hubspot.md §6.1,
 * "Required-property rules on API writes"): 400 VALIDATION_ERROR with `errors[].code`
 * MISSING_REQUIRED_PROPERTY or MISSING_CONDITIONAL_REQUIRED_PROPERTY and `context.propertyName`.
 * Only an admin can change the rule or fill the field, so callers wait and try again later.
 */
import { JobWaitError } from '../lib/errors';
import { HubspotError } from './client';

const ruleCodes = new Set(['MISSING_REQUIRED_PROPERTY', 'MISSING_CONDITIONAL_REQUIRED_PROPERTY']);

/** How long a run waits before trying the write again: long enough for an admin to act. */
export const ruleRetryMs = 60 * 60_000;

export interface RuleRefusal {
  /** Properties the rules want. */
  properties: string[];
  /** Properties whose values triggered a conditional rule ("… based on [dealstage]"). */
  because: string[];
}

/** The rule refusal in a HubSpot error, or undefined when the error is something else. */
export function ruleRefusalOf(error: unknown): RuleRefusal | undefined {
  if (!(error instanceof HubspotError) || error.status !== 400) return undefined;
  const body = error.body as { category?: unknown; errors?: Array<{ code?: unknown; message?: unknown; context?: { propertyName?: unknown } }> } | undefined;
  const matching = (body?.errors ?? []).filter((e) => typeof e.code === 'string' && ruleCodes.has(e.code));
  if (body?.category !== 'VALIDATION_ERROR' || matching.length === 0) return undefined;
  const properties = matching.flatMap((e) => (Array.isArray(e.context?.propertyName) ? e.context.propertyName.map(String) : []));
  const because = matching.flatMap((e) => /based on \[([^\]]+)\]/.exec(String(e.message ?? ''))?.[1].split(/,\s*/) ?? []);
  return { properties: [...new Set(properties)], because: [...new Set(because)] };
}

/** A write HubSpot's required-property rules refused: the job waits (`ruleRetryMs`) and writes again. */
export class HubspotRuleRefused extends JobWaitError {
  constructor(
    readonly refusal: RuleRefusal,
    options?: { cause?: unknown },
  ) {
    super('hubspot_required_property', `HubSpot's required-property rules refused the write: ${refusal.properties.join(', ')}`, ruleRetryMs);
    this.name = 'HubspotRuleRefused';
    if (options?.cause) (this as { cause?: unknown }).cause = options.cause;
  }
}
