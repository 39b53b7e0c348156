/**
 * The scopes the app asks for are derived from the calls the code makes: every HubSpot call in the product
 * has a row in hubspot/scopes.ts, every row's scope is one the vendor spec accepts for that operation, and
 * app-hsmeta.json, the install URL and the table agree — no scope missing (403 in production), none unused
 * (marketplace review).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HubspotOAuth } from '../../src/hubspot/oauth';
import { hubspotOperations, requiredScopes, subscriptionScopes } from '../../src/hubspot/scopes';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const appConfig = JSON.parse(read('hubspot-project/app/app-hsmeta.json')) as { config: { auth: { requiredScopes: string[]; optionalScopes: string[] } } };
const webhooksConfig = JSON.parse(read('hubspot-project/app/webhooks/webhooks-hsmeta.json')) as {
  config: { subscriptions: Record<string, Array<{ subscriptionType: string; objectType?: string }>> };
};

type SecurityList = Array<Record<string, string[]>>;

/** The "any of" scope list of a spec operation (operation `security`, else the document's). */
function specScopes(file: string, specPath: string, method: string): string[] | undefined {
  const spec = JSON.parse(read(`server/specs/hubspot/${file}`)) as {
    security?: SecurityList;
    paths: Record<string, Record<string, { security?: SecurityList }>>;
  };
  const operation = spec.paths[specPath]?.[method.toLowerCase()];
  if (!operation) return undefined;
  return (operation.security ?? spec.security ?? []).flatMap((alternative) => Object.values(alternative).flat());
}

/** Every HubSpot call expression in the product: `c.crm.<api>…(` through the client, raw `apiRequest` paths, OAuth URLs. */
function callsInProduct(): Array<{ file: string; marker: string }> {
  const found: Array<{ file: string; marker: string }> = [];
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
  for (const file of walk('server/src')) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.startsWith('server/src/sandboxes/') || file === 'server/src/hubspot/scopes.ts') continue;
    const text = read(file);
    for (const m of text.matchAll(/\bc\.(crm\.[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)\(/g)) found.push({ file, marker: m[1] });
    for (const m of text.matchAll(/apiRequest\(\{[^}]*?(path: '[^']+')/g)) found.push({ file, marker: m[1] });
    if (file.startsWith('server/src/hubspot/'))
      for (const m of text.matchAll(/(new URL\((?:'\/oauth\/[^'\n]+'|`\/oauth\/[^$`\n]+))/g)) {
        // The authorize page is a browser redirect to app.hubspot.com, not an API call.
        if (!m[1].includes('/oauth/authorize')) found.push({ file, marker: m[1] });
      }
  }
  return found;
}

describe('HubSpot scopes', () => {
  it('knows every HubSpot call the product makes', () => {
    const calls = callsInProduct();
    expect(calls.length).toBeGreaterThan(15);
    const unknown = calls.filter((c) => !hubspotOperations.some((o) => o.usedBy.file === c.file && c.marker.startsWith(o.usedBy.marker)));
    expect(unknown).toEqual([]);
  });

  it('lists no call that the code does not make', () => {
    const missing = hubspotOperations.filter((o) => !read(o.usedBy.file).includes(o.usedBy.marker));
    expect(missing.map((o) => `${o.method} ${o.path}`)).toEqual([]);
  });

  it.each(hubspotOperations.map((o) => [`${o.method} ${o.path}`, o] as const))('%s relies on a scope the vendor spec accepts for it', (_name, operation) => {
    const accepted = specScopes(operation.spec.file, operation.spec.path, operation.method);
    expect(accepted, `${operation.spec.file} has no ${operation.method} ${operation.spec.path}`).toBeDefined();
    if (operation.scope === null) {
      expect(accepted).toEqual([]);
      return;
    }
    expect(accepted).toContain(operation.scope);
    // Property and pipeline operations list scopes of every object type; ours must name the type called.
    const objectType = /\/(contacts|companies|deals|line_items|quotes)\b/.exec(operation.path)?.[1];
    if (objectType) expect(operation.scope).toContain(`.${objectType}.`);
  });

  it('asks for the read scope of every object the webhook subscriptions name', () => {
    const plural: Record<string, string> = { contact: 'contacts', company: 'companies', deal: 'deals', quote: 'quotes', line_item: 'line_items' };
    const subscribed = Object.values(webhooksConfig.config.subscriptions)
      .flat()
      .map((s) => s.objectType ?? s.subscriptionType.split('.')[0]);
    const needed = [...new Set(subscribed)].map((type) => `crm.objects.${plural[type]}.read`);
    for (const scope of needed) expect(requiredScopes).toContain(scope);
    for (const scope of subscriptionScopes) expect(needed).toContain(scope);
  });

  it('declares in app-hsmeta.json exactly the scopes the calls use, none optional', () => {
    expect([...appConfig.config.auth.requiredScopes].sort()).toEqual([...requiredScopes].sort());
    expect(appConfig.config.auth.optionalScopes).toEqual([]);
    expect(requiredScopes).not.toContain('crm.schemas.deals.read');
    for (const scope of ['crm.schemas.contacts.write', 'crm.schemas.companies.write', 'crm.schemas.deals.write']) expect(requiredScopes).toContain(scope);
  });

  it('asks for the same scopes in the install URL', () => {
    const oauth = new HubspotOAuth({
      clientId: 'c',
      clientSecret: 's',
      oauthBaseUrl: 'https://app.hubspot.com',
      apiBaseUrl: 'https://api.hubapi.com',
      redirectUri: 'https://apiup.app/oauth/callback',
    });
    const scope = new URL(oauth.authorizeUrl('state')).searchParams.get('scope')!;
    expect(scope.split(' ').sort()).toEqual([...appConfig.config.auth.requiredScopes].sort());
  });
});
