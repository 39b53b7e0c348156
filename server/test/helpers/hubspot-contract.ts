/** Checks recorded HubSpot exchanges against HubSpot's own OpenAPI documents (server/specs/hubspot, copied with its sources). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Exchange } from '../../src/sandboxes/recorder';
import { OpenApiContract, specsDir } from './openapi';

/**
 * HubSpot declares its error responses as `*\/*` (components.responses.Error), which the checker skips;
 * the sandbox answers errors with application/json, so the in-memory copy declares that to validate them too.
 * The specs type object property values as plain strings, but HubSpot answers `null` for a requested
 * property without a value (hubspot.md §6.1), and HubSpot's own client types them `string | null`
 * (@hubspot/api-client `SimplePublicObject*.d.ts`): the in-memory copy allows null there.
 */
function loadSpec(file: string): OpenApiContract {
  const doc = JSON.parse(readFileSync(join(specsDir, 'hubspot', file), 'utf8'));
  const error = doc.components?.responses?.Error;
  if (error?.content?.['*/*']) error.content = { 'application/json': error.content['*/*'] };
  for (const [name, schema] of Object.entries<any>(doc.components?.schemas ?? {})) {
    const values = schema?.properties?.properties?.additionalProperties;
    if (name.startsWith('SimplePublicObject') && values?.type === 'string') values.nullable = true;
  }
  return new OpenApiContract(doc);
}

const specs = {
  contacts: loadSpec('contacts.json'),
  companies: loadSpec('companies.json'),
  deals: loadSpec('deals.json'),
  line_items: loadSpec('lineItems.json'),
  quotes: loadSpec('quotes.json'),
  associations: loadSpec('associations.json'),
  associationsSchema: loadSpec('associationsSchema.json'),
  pipelines: loadSpec('pipelines.json'),
  properties: loadSpec('properties.json'),
  taxRates: loadSpec('taxRates.json'),
  accountInfo: loadSpec('accountInfo.json'),
  oauthV1: loadSpec('oauth.json'),
  oauthV3: loadSpec('oauth-v3/oauth.json'),
  appUninstalls: loadSpec('appUninstalls.json'),
  notes: loadSpec('notes.json'),
  actionsV4: loadSpec('actionsV4.json'),
};

/** Picks the spec for a path; the deals spec uses `/crm/v3/objects/0-3`, so `/deals` is mapped onto it. */
function specFor(path: string): { spec: OpenApiContract; path: string } | undefined {
  const object = /^\/crm\/v3\/objects\/([^/]+)/.exec(path);
  if (object) {
    const name = object[1] === '0-3' ? 'deals' : object[1];
    const spec = specs[name as keyof typeof specs];
    return spec ? { spec, path: name === 'deals' ? path.replace(/^\/crm\/v3\/objects\/(deals|0-3)/, '/crm/v3/objects/0-3') : path } : undefined;
  }
  if (path.startsWith('/crm/v4/')) return { spec: specs.associations, path };
  if (path.startsWith('/crm/associations/v4/')) return { spec: specs.associationsSchema, path };
  if (path.startsWith('/crm/v3/pipelines/')) return { spec: specs.pipelines, path };
  if (path.startsWith('/crm/v3/properties/')) return { spec: specs.properties, path };
  if (path.startsWith('/tax-rates/')) return { spec: specs.taxRates, path };
  if (path.startsWith('/account-info/')) return { spec: specs.accountInfo, path };
  if (path.startsWith('/oauth/v1/')) return { spec: specs.oauthV1, path };
  if (path.startsWith('/oauth/v3/')) return { spec: specs.oauthV3, path };
  if (path.startsWith('/appinstalls/')) return { spec: specs.appUninstalls, path };
  if (path.startsWith('/automation/v4/actions/')) return { spec: specs.actionsV4, path };
  return undefined;
}

export function checkHubspotExchanges(exchanges: Exchange[]) {
  const problems: Array<{ operation: string; direction: string; status?: number; errors: string }> = [];
  const unmatched: string[] = [];
  for (const exchange of exchanges) {
    const target = specFor(exchange.path);
    if (!target) {
      unmatched.push(`${exchange.method} ${exchange.path}`);
      continue;
    }
    problems.push(...target.spec.check([{ ...exchange, path: target.path }]));
  }
  return { problems, unmatched };
}
