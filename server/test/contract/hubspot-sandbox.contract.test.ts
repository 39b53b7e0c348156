import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { privateAppScopes } from '../../src/sandboxes/hubspot/app-config';
import { createHubspotSandbox, type HubspotSandbox } from '../../src/sandboxes/hubspot/app';
import type { Exchange } from '../../src/sandboxes/recorder';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';

describe('HubSpot sandbox against HubSpot OpenAPI specs', () => {
  let sandbox: HubspotSandbox;
  let exchanges: Exchange[];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // This suite drives every emulated endpoint, more than our app's scopes allow: its token gets them all.
    const everyScope = ['oauth', ...privateAppScopes];
    sandbox = createHubspotSandbox({
      appId: 5001,
      clientId: 'cid',
      clientSecret: 'csecret',
      redirectUris: ['https://apiup.example/cb'],
      defaultScopes: everyScope,
      appScopes: { required: everyScope, optional: [] },
    });
    sandbox.recorder.enabled = true;
    const app = sandbox.app;
    const { accessToken, refreshToken } = sandbox.installDemoPortal();
    const auth = { authorization: `Bearer ${accessToken}` };
    const get = (path: string) => request(app).get(path).set(auth);
    const send = (method: 'post' | 'patch' | 'put' | 'delete', path: string, body?: unknown) => {
      const agent = request(app);
      return agent[method](path)
        .set(auth)
        .send(body as object);
    };

    // OAuth: code flow, refresh, metadata, introspection, and the error paths.
    const authorize = await request(app)
      .get('/oauth/authorize')
      .query({ client_id: 'cid', redirect_uri: 'https://apiup.example/cb', scope: sandbox.options.appScopes.required.join(' '), state: 'st' })
      .redirects(0);
    const code = new URL(authorize.headers.location).searchParams.get('code');
    const form = { client_id: 'cid', client_secret: 'csecret' };
    const token = await request(app)
      .post('/oauth/v3/token')
      .type('form')
      .send({ ...form, grant_type: 'authorization_code', redirect_uri: 'https://apiup.example/cb', code });
    await request(app)
      .post('/oauth/v1/token')
      .type('form')
      .send({ ...form, grant_type: 'refresh_token', refresh_token: refreshToken });
    await request(app)
      .post('/oauth/v1/token')
      .type('form')
      .send({ ...form, grant_type: 'refresh_token', refresh_token: 'na1-unknown' });
    await request(app)
      .post('/oauth/v3/token')
      .type('form')
      .send({ ...form, client_secret: 'wrong', grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://apiup.example/cb' });
    await request(app).get(`/oauth/v1/access-tokens/${token.body.access_token}`);
    await request(app).get(`/oauth/v1/refresh-tokens/${refreshToken}`);
    await request(app)
      .post('/oauth/v3/token/introspect')
      .type('form')
      .send({ ...form, token: accessToken, token_type_hint: 'access_token' });
    await request(app)
      .post('/oauth/v3/token/introspect')
      .type('form')
      .send({ ...form, token: refreshToken, token_type_hint: 'refresh_token' });
    await request(app).get('/crm/v3/objects/contacts').set({ authorization: 'Bearer not-a-token' });

    // Objects: create (with associations), get, list, update, search, batch, merge, archive, errors.
    ids.contact = (await send('post', '/crm/v3/objects/contacts', { properties: { email: 'ada@example.com', firstname: 'Ada' }, associations: [] })).body.id;
    ids.contact2 = (await send('post', '/crm/v3/objects/contacts', { properties: { email: 'bob@example.com', firstname: 'Bob' }, associations: [] })).body.id;
    await send('post', '/crm/v3/objects/contacts', { properties: { email: 'ADA@example.com' }, associations: [] });
    await send('post', '/crm/v3/objects/contacts', { properties: { shoe_size: '42' }, associations: [] });
    ids.company = (await send('post', '/crm/v3/objects/companies', { properties: { name: 'ACME GmbH', domain: 'acme.example' }, associations: [] })).body.id;
    ids.deal = (
      await send('post', '/crm/v3/objects/deals', {
        properties: { dealname: 'Website', dealstage: 'appointmentscheduled', pipeline: 'default', amount: '1190.00' },
        associations: [{ to: { id: ids.contact }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] }],
      })
    ).body.id;
    ids.lineItem = (
      await send('post', '/crm/v3/objects/line_items', {
        properties: { name: 'Design', quantity: '2', price: '500.00', hs_discount_percentage: '10' },
        associations: [],
      })
    ).body.id;
    ids.quote = (
      await send('post', '/crm/v3/objects/quotes', { properties: { hs_title: 'Offer 1', hs_expiration_date: '2026-04-01T00:00:00.000Z' }, associations: [] })
    ).body.id;
    await get(`/crm/v3/objects/contacts/${ids.contact}?properties=email,firstname&associations=deals`);
    await get(`/crm/v3/objects/0-3/${ids.deal}`);
    await get('/crm/v3/objects/deals/999999');
    await get('/crm/v3/objects/companies?limit=1');
    await get('/crm/v3/objects/line_items?properties=amount,price');
    await get('/crm/v3/objects/quotes');
    await send('patch', `/crm/v3/objects/deals/${ids.deal}`, { properties: { dealstage: 'closedwon' } });
    await send('patch', `/crm/v3/objects/line_items/${ids.lineItem}`, { properties: { quantity: '3' } });
    await send('patch', `/crm/v3/objects/quotes/${ids.quote}`, { properties: { hs_status: 'APPROVED' } });
    await send('post', '/crm/v3/objects/deals/search', {
      filterGroups: [
        {
          filters: [
            { propertyName: 'dealstage', operator: 'IN', values: ['closedwon'] },
            { propertyName: 'amount', operator: 'GTE', value: '100' },
          ],
        },
      ],
      sorts: ['-createdate'],
      properties: ['dealname', 'amount'],
      limit: 10,
      after: '0',
    });
    await send('post', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*@example.com' }] }],
      sorts: [],
      properties: [],
      limit: 1,
      after: '0',
    });
    await send('post', '/crm/v3/objects/companies/search', {
      filterGroups: [{ filters: [{ propertyName: 'domain', operator: 'HAS_PROPERTY' }] }],
      sorts: [],
      properties: [],
      limit: 201,
      after: '0',
    });
    await send('post', '/crm/v3/objects/line_items/search', { filterGroups: [], sorts: [], properties: ['name'], limit: 5, after: '0' });
    await send('post', '/crm/v3/objects/quotes/search', { filterGroups: [], sorts: [], properties: [], limit: 5, after: '0' });
    await send('post', '/crm/v3/objects/contacts/batch/read', { inputs: [{ id: ids.contact }, { id: '1' }], properties: ['email'], propertiesWithHistory: [] });
    await send('post', '/crm/v3/objects/deals/batch/read', { inputs: [{ id: ids.deal }], properties: ['dealstage'], propertiesWithHistory: [] });
    const batch = await send('post', '/crm/v3/objects/line_items/batch/create', {
      inputs: [{ properties: { name: 'Hosting', quantity: '12', price: '9.99' }, associations: [] }],
    });
    await send('post', '/crm/v3/objects/line_items/batch/update', { inputs: [{ id: batch.body.results[0].id, properties: { quantity: '6' } }] });
    await send('post', '/crm/v3/objects/companies/batch/update', {
      inputs: [
        { id: ids.company, properties: { city: 'Berlin' } },
        { id: '404', properties: { city: 'x' } },
      ],
    });
    await send('post', '/crm/v3/objects/quotes/batch/read', { inputs: [{ id: ids.quote }], properties: [], propertiesWithHistory: [] });
    await send('post', '/crm/v3/objects/contacts/merge', { primaryObjectId: ids.contact, objectIdToMerge: ids.contact2 });
    await send('post', '/crm/v3/objects/line_items/batch/archive', { inputs: [{ id: batch.body.results[0].id }] });
    await send('delete', `/crm/v3/objects/quotes/${ids.quote}`);

    // Associations v4 and labels.
    await send('put', `/crm/v4/objects/deals/${ids.deal}/associations/default/companies/${ids.company}`);
    await send('put', `/crm/v4/objects/deals/${ids.deal}/associations/companies/${ids.company}`, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 },
    ]);
    await send('put', `/crm/v4/objects/deals/${ids.deal}/associations/companies/${ids.company}`, [
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 },
    ]);
    await get(`/crm/v4/objects/deals/${ids.deal}/associations/companies`);
    await send('post', '/crm/v4/associations/deals/line_items/batch/create', {
      inputs: [{ from: { id: ids.deal }, to: { id: ids.lineItem }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 19 }] }],
    });
    await send('post', '/crm/v4/associations/deals/line_items/batch/read', { inputs: [{ id: ids.deal }, { id: '1' }] });
    await send('post', '/crm/v4/associations/deals/contacts/batch/associate/default', { inputs: [{ from: { id: ids.deal }, to: { id: ids.contact } }] });
    await send('post', '/crm/v4/associations/deals/line_items/batch/archive', { inputs: [{ from: { id: ids.deal }, to: [{ id: ids.lineItem }] }] });
    await send('delete', `/crm/v4/objects/deals/${ids.deal}/associations/contacts/${ids.contact}`);
    await get('/crm/associations/v4/deals/companies/labels');
    await get('/crm/associations/v4/0-3/line_items/labels');

    // Pipelines, properties, tax rates.
    await get('/crm/v3/pipelines/deals');
    await get('/crm/v3/pipelines/deals/default');
    await get('/crm/v3/pipelines/deals/default/stages');
    await get('/crm/v3/pipelines/deals/nope');
    const pipeline = await send('post', '/crm/v3/pipelines/deals', {
      label: 'Projects',
      displayOrder: 1,
      stages: [
        { label: 'Open', displayOrder: 0, metadata: { probability: '0.5' } },
        { label: 'Won', displayOrder: 1, metadata: { probability: '1.0' } },
        { label: 'Lost', displayOrder: 2, metadata: { probability: '0.0' } },
      ],
    });
    ids.pipeline = pipeline.body.id;
    await send('post', '/crm/v3/pipelines/deals', { label: 'Broken', displayOrder: 2, stages: [{ label: 'No probability', displayOrder: 0, metadata: {} }] });
    await get('/crm/v3/properties/deals');
    await get('/crm/v3/properties/line_items/hs_tax_rate_group_id');
    await get('/crm/v3/properties/deals/groups');
    await send('post', '/crm/v3/properties/deals/groups', { name: 'apiup', label: 'APIUP', displayOrder: 5 });
    await send('post', '/crm/v3/properties/deals/groups', { name: 'apiup', label: 'APIUP again' });
    await get('/crm/v3/properties/deals/groups/apiup');
    const invoiceProperty = {
      name: 'apiup_invoice_number',
      label: 'Invoice number',
      type: 'string',
      fieldType: 'text',
      groupName: 'apiup',
      hasUniqueValue: false,
    };
    await send('post', '/crm/v3/properties/deals', invoiceProperty);
    await send('post', '/crm/v3/properties/deals', invoiceProperty);
    await send('post', '/crm/v3/properties/deals/batch/create', {
      inputs: [
        {
          name: 'apiup_invoice_status',
          label: 'Invoice status',
          type: 'enumeration',
          fieldType: 'select',
          groupName: 'apiup',
          options: [{ label: 'Open', value: 'open', hidden: false }],
        },
      ],
    });
    await send('patch', '/crm/v3/properties/deals/apiup_invoice_status', {
      options: [
        { label: 'Open', value: 'open', displayOrder: 0, hidden: false },
        { label: 'Paid', value: 'paid', displayOrder: 1, hidden: false },
      ],
    });
    await send('post', '/crm/v3/properties/deals/batch/read', {
      inputs: [{ name: 'apiup_invoice_number' }, { name: 'dealname' }],
      archived: false,
      dataSensitivity: 'non_sensitive',
    });
    await get('/tax-rates/v1/tax-rates');
    await get('/tax-rates/v1/tax-rates/1001');
    await get('/tax-rates/v1/tax-rates/9');
    await get('/account-info/v3/details');

    exchanges = sandbox.recorder.exchanges;
  });

  it('records an exchange for every area of the emulated API, including error answers', () => {
    const statuses = new Set(exchanges.map((e) => e.status));
    for (const status of [200, 201, 207, 400, 401, 404, 409]) expect(statuses).toContain(status);
    const prefixes = [
      '/oauth/v1/',
      '/oauth/v3/',
      '/crm/v3/objects/',
      '/crm/v4/',
      '/crm/associations/v4/',
      '/crm/v3/pipelines/',
      '/crm/v3/properties/',
      '/tax-rates/v1/',
      '/account-info/v3/',
    ];
    for (const prefix of prefixes)
      expect(
        exchanges.some((e) => e.path.startsWith(prefix)),
        prefix,
      ).toBe(true);
  });

  it('sends and answers only what the HubSpot specs allow, errors included', () => {
    const { problems, unmatched } = checkHubspotExchanges(exchanges);
    expect(unmatched).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('answers the documented operations with the documented statuses', () => {
    const status = (method: string, pattern: RegExp) => exchanges.find((e) => e.method === method && pattern.test(e.path))?.status;
    expect(status('POST', /^\/crm\/v3\/objects\/deals$/)).toBe(201);
    expect(status('POST', /\/batch\/create$/)).toBe(201);
    expect(exchanges.filter((e) => e.path === '/crm/v3/properties/deals' && e.method === 'POST').map((e) => e.status)).toEqual([201, 409]);
    expect(exchanges.find((e) => e.status === 409 && e.path.startsWith('/crm/v3/properties/'))?.responseBody).toMatchObject({
      status: 'error',
      category: 'OBJECT_ALREADY_EXISTS',
    });
  });

  it('returns stage metadata with probability and isClosed strings for the default and custom pipelines', () => {
    const all = exchanges.find((e) => e.method === 'GET' && e.path === '/crm/v3/pipelines/deals')?.responseBody as {
      results: Array<{ id: string; stages: Array<{ id: string; metadata: Record<string, string> }> }>;
    };
    const stages = all.results.find((p) => p.id === 'default')?.stages ?? [];
    expect(stages.find((s) => s.id === 'closedwon')?.metadata).toEqual({ probability: '1.0', isClosed: 'true' });
    expect(stages.find((s) => s.id === 'closedlost')?.metadata).toEqual({ probability: '0.0', isClosed: 'true' });
    expect(ids.pipeline).toMatch(/^\d+$/);
  });

  it('computes the line item amount with the discount, HALF_UP to cents', () => {
    const patched = exchanges.find((e) => e.method === 'PATCH' && e.path.startsWith('/crm/v3/objects/line_items/'))?.responseBody as {
      properties: Record<string, string>;
    };
    expect(patched.properties.amount).toBe('1350.00');
  });

  it('proves the checker rejects a wrong body', () => {
    const wrong: Exchange = {
      method: 'POST',
      path: '/crm/v3/objects/contacts',
      query: {},
      requestHeaders: { 'content-type': 'application/json' },
      requestBody: { properties: { email: 42 } },
      status: 201,
      responseContentType: 'application/json',
      responseBody: { id: 1, properties: {}, archived: 'no' },
    };
    const { problems } = checkHubspotExchanges([wrong]);
    expect(problems.map((p) => p.direction).sort()).toEqual(['request', 'response']);
    const wrongError = { ...wrong, requestBody: { properties: {}, associations: [] }, status: 400, responseBody: { status: 'error', message: 'x' } };
    expect(checkHubspotExchanges([wrongError]).problems.map((p) => p.direction)).toEqual(['response']);
  });
});
