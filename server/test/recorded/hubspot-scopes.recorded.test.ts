/**
 * Scopes in the HubSpot sandbox: a portal gets exactly the scopes the install URL asked for (and the app
 * declares), every endpoint checks its own, and a call outside them gets HubSpot's recorded 403 body.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { HubspotClients, HubspotError } from '../../src/hubspot/client';
import { requiredScopes } from '../../src/hubspot/scopes';
import type { HubspotTokens } from '../../src/hubspot/tokens';
import { silentLogger } from '../../src/logger';
import { createHubspotSandbox } from '../../src/sandboxes/hubspot/app';
import { listenSandbox } from '../../src/sandboxes/server';
import { compareShape } from '../helpers/shape';

const recorded = JSON.parse(fs.readFileSync(path.join(__dirname, 'hubspot/missing-scopes.json'), 'utf8')) as {
  response: { status: number; body: { errors: Array<{ context: { requiredGranularScopes: string[] } }> } };
};
const appConfig = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../hubspot-project/app/app-hsmeta.json'), 'utf8')) as {
  config: { auth: { requiredScopes: string[] } };
};
const redirectUri = 'https://apiup.example/oauth/callback';

function sandboxWithApp() {
  return createHubspotSandbox({ clientId: 'cid', clientSecret: 'csecret', redirectUris: [redirectUri] });
}

async function install(sandbox: ReturnType<typeof sandboxWithApp>, scope: string) {
  const authorize = await request(sandbox.app).get('/oauth/authorize').query({ client_id: 'cid', redirect_uri: redirectUri, scope, state: 's' }).redirects(0);
  return authorize;
}

describe('HubSpot sandbox scopes', () => {
  it('installs the app with exactly the scopes app-hsmeta.json declares', () => {
    const sandbox = sandboxWithApp();
    expect(sandbox.options.appScopes.required).toEqual(appConfig.config.auth.requiredScopes);
    expect(sandbox.options.defaultScopes).toEqual(appConfig.config.auth.requiredScopes);
  });

  it('grants the scopes the install URL asks for, and refuses a URL that lacks a required scope or adds an undeclared one', async () => {
    const sandbox = sandboxWithApp();
    const all = appConfig.config.auth.requiredScopes;
    const approved = await install(sandbox, all.join(' '));
    expect(approved.status).toBe(302);
    const code = new URL(approved.headers.location).searchParams.get('code');
    const token = await request(sandbox.app)
      .post('/oauth/v3/token')
      .type('form')
      .send({ grant_type: 'authorization_code', client_id: 'cid', client_secret: 'csecret', redirect_uri: redirectUri, code });
    expect(token.body.scopes).toEqual(all);

    const lacking = await install(sandbox, all.filter((s) => s !== 'crm.schemas.contacts.write').join(' '));
    expect(lacking.status).toBe(400);
    expect(lacking.body).toMatchObject({ error: 'invalid_scope' });
    const extra = await install(sandbox, [...all, 'crm.objects.line_items.write'].join(' '));
    expect(extra.status).toBe(400);
  });

  it('refuses a call outside the granted scopes with the recorded 403 MISSING_SCOPES body', async () => {
    const sandbox = sandboxWithApp();
    const { accessToken } = sandbox.installDemoPortal();
    const answer = await request(sandbox.app)
      .post('/crm/v3/objects/line_items')
      .set('authorization', `Bearer ${accessToken}`)
      .send({ properties: { name: 'Wartungsvertrag Website-Relaunch Müller GmbH 2027', quantity: '1', price: '1200.00' } });
    expect(answer.status).toBe(recorded.response.status);
    expect(compareShape(recorded.response.body, answer.body)).toEqual([]);
    expect(answer.body.errors[0].context.requiredGranularScopes).toEqual(['crm.objects.line_items.write', 'e-commerce']);
    expect(sandbox.store.portal(sandbox.options.demoPortalId)!.records.line_items.size).toBe(0);
  });

  it('checks the scope of each endpoint, per object type', async () => {
    // The scope list the app had before: no schema write scopes for contacts and companies, no quotes.
    const sandbox = createHubspotSandbox({
      defaultScopes: [
        'oauth',
        'crm.objects.contacts.read',
        'crm.objects.contacts.write',
        'crm.objects.companies.read',
        'crm.objects.companies.write',
        'crm.objects.deals.read',
        'crm.objects.deals.write',
        'crm.objects.line_items.read',
        'crm.schemas.deals.read',
        'crm.schemas.deals.write',
        'tax_rates.read',
      ],
    });
    const auth = { authorization: `Bearer ${sandbox.installDemoPortal().accessToken}` };
    const status = async (method: 'get' | 'post', url: string, body?: object) => (await request(sandbox.app)[method](url).set(auth).send(body)).status;
    expect(await status('post', '/crm/v3/properties/contacts/groups', { name: 'apiup', label: 'APIUP' })).toBe(403);
    expect(await status('post', '/crm/v3/properties/companies/groups', { name: 'apiup', label: 'APIUP' })).toBe(403);
    expect(await status('post', '/crm/v3/properties/deals/groups', { name: 'apiup', label: 'APIUP' })).toBe(201);
    expect(await status('get', '/crm/v3/properties/contacts')).toBe(200);
    expect(await status('get', '/crm/v3/objects/quotes')).toBe(403);
    expect(await status('get', '/crm/v3/objects/0-3')).toBe(200);
    expect(await status('post', '/crm/v3/objects/deals/search', { filterGroups: [] })).toBe(200);
    expect(await status('get', '/tax-rates/v1/tax-rates')).toBe(200);
  });

  it('lets our client see the 403 as a HubspotError that is not retried', async () => {
    const sandbox = sandboxWithApp();
    const running = await listenSandbox(sandbox.app, 0);
    try {
      const { accessToken, portalId } = sandbox.installDemoPortal();
      const tokens = { accessToken: async () => accessToken, refreshOnce: async () => undefined } as unknown as HubspotTokens;
      const clients = new HubspotClients({ apiBaseUrl: running.url, tokens, limiters: new RateLimiterRegistry(), log: silentLogger() });
      const error = await clients
        .call(
          String(portalId),
          (c) => c.crm.lineItems.basicApi.create({ properties: { name: 'Hosting Bäckerei Hölzl & Söhne', quantity: '12' }, associations: [] }),
          { idempotent: false },
        )
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HubspotError);
      expect((error as HubspotError).status).toBe(403);
      expect((error as HubspotError).retryable).toBe(false);
      expect((error as HubspotError).body).toMatchObject({ category: 'MISSING_SCOPES' });
      // With the app's own scopes, every call the product makes is allowed.
      expect(sandbox.options.defaultScopes.sort()).toEqual([...requiredScopes].sort());
    } finally {
      await running.close();
    }
  });
});
