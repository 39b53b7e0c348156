/**
 * The app's configuration as HubSpot holds it once the project is uploaded: the scopes declared in
 * hubspot-project/app/app-hsmeta.json (`auth.requiredScopes`, `auth.optionalScopes`; hubspot.md §1.4).
 * Read from the project file itself, so the sandbox grants exactly what the app declares.
 */
import fs from 'node:fs';

export interface AppScopes {
  required: string[];
  optional: string[];
}

const appConfigUrl = new URL('../../../../hubspot-project/app/app-hsmeta.json', import.meta.url);

export function readAppScopes(url: URL = appConfigUrl): AppScopes {
  const config = JSON.parse(fs.readFileSync(url, 'utf8')) as { config?: { auth?: { requiredScopes?: unknown; optionalScopes?: unknown } } };
  const list = (value: unknown) => (Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : []);
  return { required: list(config.config?.auth?.requiredScopes), optional: list(config.config?.auth?.optionalScopes) };
}

/**
 * Scopes of the sandbox's "private app" tokens (another integration or a developer's script): read and
 * write on every emulated object type and its properties, so tests can act as a HubSpot user would.
 */
export const privateAppScopes = [
  ...['contacts', 'companies', 'deals', 'line_items', 'quotes'].flatMap((t) => [
    `crm.objects.${t}.read`,
    `crm.objects.${t}.write`,
    `crm.schemas.${t}.read`,
    `crm.schemas.${t}.write`,
  ]),
  'e-commerce',
  'tax_rates.read',
];
