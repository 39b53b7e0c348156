import express from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyRequestV3 } from '../../src/hubspot/signature';
import { createHubspotSandbox, type HubspotSandbox, type HubspotSandboxOptions } from '../../src/sandboxes/hubspot/app';
import type { WebhookEvent } from '../../src/sandboxes/hubspot/webhook-events';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const redirectUri = 'https://apiup.example/oauth/hubspot/callback';
const appOptions = { appId: 777_001, clientId: 'client-abc', clientSecret: 'secret-xyz', redirectUris: [redirectUri] };

let nowMs: number;
const clock = () => nowMs;

function makeSandbox(overrides: Partial<HubspotSandboxOptions> = {}): HubspotSandbox {
  return createHubspotSandbox({ ...appOptions, now: clock, webhookRetryDelayScale: 0, ...overrides });
}

beforeEach(() => {
  nowMs = Date.UTC(2026, 2, 1, 9, 0, 0);
});

describe('OAuth', () => {
  it('installs through authorize → code → token and refreshes with the same refresh token', async () => {
    const sandbox = makeSandbox();
    const authorize = await request(sandbox.app)
      .get('/oauth/authorize')
      .query({ client_id: 'client-abc', redirect_uri: redirectUri, scope: sandbox.options.appScopes.required.join(' '), state: 's-1' })
      .redirects(0);
    expect(authorize.status).toBe(302);
    const location = new URL(authorize.headers.location);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get('state')).toBe('s-1');
    const code = location.searchParams.get('code') ?? '';

    const form = { grant_type: 'authorization_code', client_id: 'client-abc', client_secret: 'secret-xyz', redirect_uri: redirectUri, code };
    const token = await request(sandbox.app).post('/oauth/v3/token').type('form').send(form);
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 1800,
      hub_id: sandbox.options.demoPortalId,
      scopes: sandbox.options.appScopes.required,
    });

    const reused = await request(sandbox.app).post('/oauth/v3/token').type('form').send(form);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ status: 'BAD_AUTH_CODE', error: 'invalid_grant' });

    const api = await request(sandbox.app).get('/crm/v3/objects/deals').set('authorization', `Bearer ${token.body.access_token}`);
    expect(api.status).toBe(200);

    const refreshed = await request(sandbox.app)
      .post('/oauth/v1/token')
      .type('form')
      .send({ grant_type: 'refresh_token', client_id: 'client-abc', client_secret: 'secret-xyz', refresh_token: token.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBe(token.body.refresh_token);
    expect(refreshed.body.access_token).not.toBe(token.body.access_token);
  });

  it('redirects with error=access_denied when the user declines and refuses unregistered redirect URIs', async () => {
    const sandbox = makeSandbox();
    sandbox.setAuthorizeOutcome('deny');
    const scope = sandbox.options.appScopes.required.join(' ');
    const denied = await request(sandbox.app)
      .get('/oauth/authorize')
      .query({ client_id: 'client-abc', redirect_uri: redirectUri, scope, state: 'x' })
      .redirects(0);
    expect(new URL(denied.headers.location).searchParams.get('error')).toBe('access_denied');
    const foreign = await request(sandbox.app)
      .get('/oauth/authorize')
      .query({ client_id: 'client-abc', redirect_uri: 'https://evil.example/cb', scope })
      .redirects(0);
    expect(foreign.status).toBe(400);
  });

  it('answers 401 EXPIRED_AUTHENTICATION after 30 minutes and 400 invalid_grant once the refresh token is revoked', async () => {
    const sandbox = makeSandbox();
    const install = sandbox.installDemoPortal();
    const auth = `Bearer ${install.accessToken}`;
    expect((await request(sandbox.app).get('/crm/v3/objects/contacts').set('authorization', auth)).status).toBe(200);
    nowMs += 1_800_000;
    const expired = await request(sandbox.app).get('/crm/v3/objects/contacts').set('authorization', auth);
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });

    const refreshForm = { grant_type: 'refresh_token', client_id: 'client-abc', client_secret: 'secret-xyz', refresh_token: install.refreshToken };
    expect((await request(sandbox.app).post('/oauth/v3/token').type('form').send(refreshForm)).status).toBe(200);
    expect(sandbox.revokeRefreshTokens(install.portalId)).toBe(1);
    const refused = await request(sandbox.app).post('/oauth/v3/token').type('form').send(refreshForm);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN', error: 'invalid_grant' });
  });

  it('expires access tokens on demand through the sandbox control', async () => {
    const sandbox = makeSandbox();
    const { accessToken } = sandbox.installDemoPortal();
    expect(sandbox.expireAccessTokens()).toBe(1);
    const res = await request(sandbox.app).get('/crm/v3/objects/deals').set('authorization', `Bearer ${accessToken}`);
    expect(res.body.category).toBe('EXPIRED_AUTHENTICATION');
  });
});

describe('limits', () => {
  it('refuses to page a search past 10,000 results', async () => {
    const sandbox = makeSandbox();
    const { accessToken } = sandbox.installDemoPortal();
    const search = (after: string, limit: number) =>
      request(sandbox.app).post('/crm/v3/objects/contacts/search').set('authorization', `Bearer ${accessToken}`).send({ after, limit, filterGroups: [] });
    expect((await search('9800', 200)).status).toBe(200);
    nowMs += 1_000;
    const tooFar = await search('9900', 200);
    expect(tooFar.status).toBe(400);
    expect(tooFar.body.category).toBe('VALIDATION_ERROR');
  });

  it('answers 429 with errorType RATE_LIMIT once the per-portal window is used up, and search at 5 per second', async () => {
    const sandbox = makeSandbox({ rateLimit: { requests: 3, perMs: 10_000 } });
    const { accessToken } = sandbox.installDemoPortal();
    const get = () => request(sandbox.app).get('/crm/v3/objects/deals').set('authorization', `Bearer ${accessToken}`);
    const first = await get();
    expect(first.headers['x-hubspot-ratelimit-max']).toBe('3');
    expect(first.headers['x-hubspot-ratelimit-remaining']).toBe('2');
    await get();
    await get();
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ status: 'error', errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' });
    nowMs += 10_001;
    expect((await get()).status).toBe(200);

    const search = () => request(sandbox.app).post('/crm/v3/objects/deals/search').set('authorization', `Bearer ${accessToken}`).send({ filterGroups: [] });
    for (let i = 0; i < 5; i++) expect((await search()).status).toBe(200);
    const searchLimited = await search();
    expect(searchLimited.status).toBe(429);
    expect(searchLimited.headers['x-hubspot-ratelimit-max']).toBeUndefined();
  });

  it('rejects a batch with more than 100 inputs', async () => {
    const sandbox = makeSandbox();
    const { accessToken } = sandbox.installDemoPortal();
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i) }));
    const res = await request(sandbox.app)
      .post('/crm/v3/objects/contacts/batch/read')
      .set('authorization', `Bearer ${accessToken}`)
      .send({ inputs, properties: [], propertiesWithHistory: [] });
    expect(res.status).toBe(400);
  });
});

describe('webhooks', () => {
  let receiver: RunningSandbox;
  let received: Array<{ events: WebhookEvent[]; verified: ReturnType<typeof verifyRequestV3> }>;
  let failNext: number;

  beforeEach(async () => {
    received = [];
    failNext = 0;
    const app = express();
    app.post('/hooks/hubspot', express.raw({ type: '*/*' }), (req, res) => {
      const url = `${receiver.url}${req.originalUrl}`;
      const verified = verifyRequestV3({
        clientSecret: 'secret-xyz',
        method: req.method,
        url,
        rawBody: req.body as Buffer,
        timestamp: req.header('x-hubspot-request-timestamp'),
        signature: req.header('x-hubspot-signature-v3'),
        nowMs,
      });
      received.push({ events: JSON.parse((req.body as Buffer).toString('utf8')), verified });
      if (failNext > 0) {
        failNext--;
        return res.status(500).end();
      }
      res.status(204).end();
    });
    receiver = await listenSandbox(app);
  });

  afterEach(async () => {
    await receiver.close();
  });

  async function setup(overrides: Partial<HubspotSandboxOptions> = {}) {
    const sandbox = makeSandbox({ webhookTargetUrl: `${receiver.url}/hooks/hubspot`, ...overrides });
    const { accessToken } = sandbox.installDemoPortal();
    const api = (method: 'post' | 'patch', path: string, body: object) =>
      request(sandbox.app)[method](path).set('authorization', `Bearer ${accessToken}`).send(body);
    return { sandbox, api };
  }

  const allEvents = () => received.flatMap((r) => r.events);

  it('delivers a signed batch that verifyRequestV3 accepts, with our app change marked INTEGRATION + our appId', async () => {
    const { sandbox, api } = await setup();
    const created = await api('post', '/crm/v3/objects/contacts', { properties: { email: 'ada@example.com', firstname: 'Ada' } });
    await sandbox.flushWebhooks();
    expect(received).toHaveLength(1);
    expect(received[0].verified).toEqual({ ok: true });
    const creation = allEvents().find((e) => e.subscriptionType === 'contact.creation');
    expect(creation).toMatchObject({
      objectId: Number(created.body.id),
      portalId: sandbox.options.demoPortalId,
      appId: 777_001,
      attemptNumber: 0,
      changeSource: 'INTEGRATION',
      sourceId: '777001',
    });
    expect(
      allEvents()
        .filter((e) => e.subscriptionType === 'contact.propertyChange')
        .map((e) => e.propertyName)
        .sort(),
    ).toEqual(['email', 'firstname']);
  });

  it('marks changes made in HubSpot itself with another changeSource', async () => {
    const { sandbox } = await setup();
    sandbox.simulateChange(sandbox.options.demoPortalId, 'contacts', undefined, { email: 'ui@example.com' });
    await sandbox.flushWebhooks();
    expect(allEvents().every((e) => e.changeSource === 'CRM_UI' && e.sourceId !== '777001')).toBe(true);
  });

  it("names another app's change by that app's id, while appId stays ours", async () => {
    const { sandbox, api } = await setup();
    const created = await api('post', '/crm/v3/objects/contacts', { properties: { email: 'grete@example.com', lastname: 'Weiß' } });
    const otherToken = sandbox.issuePrivateAppToken(undefined, 3_141_592);
    const patched = await request(sandbox.app)
      .patch(`/crm/v3/objects/contacts/${created.body.id}`)
      .set('authorization', `Bearer ${otherToken}`)
      .send({ properties: { lastname: 'Weiß-Großmann' } });
    expect(patched.status).toBe(200);
    await sandbox.flushWebhooks();
    const change = allEvents().find((e) => e.subscriptionType === 'contact.propertyChange' && e.propertyValue === 'Weiß-Großmann');
    expect(change).toMatchObject({ appId: 777_001, changeSource: 'INTEGRATION', sourceId: '3141592', propertyName: 'lastname' });
    expect(() => sandbox.issuePrivateAppToken(undefined, 777_001)).toThrow();
  });

  it('sends deal.propertyChange only for dealstage by default', async () => {
    const { sandbox, api } = await setup();
    const deal = await api('post', '/crm/v3/objects/deals', { properties: { dealname: 'D', dealstage: 'appointmentscheduled' } });
    await api('patch', `/crm/v3/objects/deals/${deal.body.id}`, { properties: { dealstage: 'closedwon', amount: '10' } });
    await sandbox.flushWebhooks();
    const dealEvents = allEvents().filter((e) => e.subscriptionType.startsWith('deal.'));
    expect(dealEvents.map((e) => [e.propertyName, e.propertyValue])).toEqual([
      ['dealstage', 'appointmentscheduled'],
      ['dealstage', 'closedwon'],
    ]);
  });

  it('retries a batch the target answered with 500, with attemptNumber 1', async () => {
    const { sandbox, api } = await setup();
    failNext = 1;
    await api('post', '/crm/v3/objects/companies', { properties: { name: 'ACME' } });
    await sandbox.flushWebhooks();
    expect(received.map((r) => r.events[0].attemptNumber)).toEqual([0, 1]);
    expect(received[1].events.map((e) => e.eventId)).toEqual(received[0].events.map((e) => e.eventId));
  });

  it('delivers every batch twice when the duplicate switch is on', async () => {
    const { sandbox, api } = await setup();
    sandbox.setWebhookSwitches({ duplicate: true });
    await api('post', '/crm/v3/objects/companies', { properties: { name: 'ACME' } });
    await sandbox.flushWebhooks();
    expect(received).toHaveLength(2);
    expect(received[1].events).toEqual(received[0].events);
  });

  it('loses the first attempt when dropFirstAttempt is on and delivers the retry with attemptNumber 1', async () => {
    const { sandbox, api } = await setup();
    sandbox.setWebhookSwitches({ dropFirstAttempt: true });
    await api('post', '/crm/v3/objects/companies', { properties: { name: 'ACME' } });
    await sandbox.flushWebhooks();
    expect(received).toHaveLength(1);
    expect(received[0].events.every((e) => e.attemptNumber === 1)).toBe(true);
    expect(sandbox.webhookDeliveries[0]).toMatchObject({ attemptNumber: 0, dropped: true });
  });

  it('sends generic object.* events with objectTypeId for the quote subscriptions the app declares', async () => {
    const { sandbox } = await setup();
    // Quotes are made by the portal's users (the app may only read them).
    const portal = sandbox.options.demoPortalId;
    const quote = sandbox.simulateChange(portal, 'quotes', undefined, { hs_title: 'Angebot Größenordnung Süd', hs_expiration_date: '2027-01-31' });
    sandbox.simulateChange(portal, 'quotes', quote.id, { hs_status: 'APPROVAL_NOT_NEEDED' });
    sandbox.simulateChange(portal, 'quotes', quote.id, { hs_title: 'Angebot Süd, überarbeitet' });
    await sandbox.flushWebhooks();
    const events = allEvents();
    expect(events.map((e) => [e.subscriptionType, e.objectTypeId, e.propertyName])).toEqual([
      ['object.creation', '0-14', undefined],
      ['object.propertyChange', '0-14', 'hs_status'],
    ]);
    expect(events[0]).toMatchObject({ objectId: Number(quote.id), changeFlag: 'CREATED' });
  });

  it('shuffles events within and across batches when reorder is on, losing none', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const { sandbox, api } = await setup({ random });
    sandbox.setWebhookSwitches({ reorder: true });
    for (let i = 0; i < 6; i++) await api('post', '/crm/v3/objects/companies', { properties: { name: `Co ${i}`, phone: `+49 30 ${i}` } });
    await sandbox.flushWebhooks();
    const ids = allEvents().map((e) => e.eventId);
    expect(ids).toHaveLength(18);
    expect(new Set(ids).size).toBe(18);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });

  it('sends merge, restore and associationChange events for both sides when subscribed', async () => {
    const { sandbox, api } = await setup({
      webhookSubscriptions: [
        { subscriptionType: 'contact.merge' },
        { subscriptionType: 'contact.restore' },
        { subscriptionType: 'deal.associationChange' },
        { subscriptionType: 'contact.associationChange' },
      ],
    });
    const a = await api('post', '/crm/v3/objects/contacts', { properties: { email: 'a@example.com' } });
    const b = await api('post', '/crm/v3/objects/contacts', { properties: { email: 'b@example.com', phone: '+49 30 1' } });
    const deal = await api('post', '/crm/v3/objects/deals', { properties: { dealname: 'D' } });
    await request(sandbox.app)
      .put(`/crm/v4/objects/deals/${deal.body.id}/associations/default/contacts/${a.body.id}`)
      .set('authorization', `Bearer ${sandbox.installDemoPortal().accessToken}`);
    await api('post', '/crm/v3/objects/contacts/merge', { primaryObjectId: a.body.id, objectIdToMerge: b.body.id });
    sandbox.restoreObject(sandbox.options.demoPortalId, 'contacts', b.body.id);
    await sandbox.flushWebhooks();
    const byType = (t: string) => allEvents().filter((e) => e.subscriptionType === t);
    expect(byType('deal.associationChange')[0]).toMatchObject({
      associationType: 'DEAL_TO_CONTACT',
      fromObjectId: Number(deal.body.id),
      toObjectId: Number(a.body.id),
      associationRemoved: false,
    });
    expect(byType('contact.associationChange')[0]).toMatchObject({ associationType: 'CONTACT_TO_DEAL', fromObjectId: Number(a.body.id) });
    expect(byType('contact.merge')[0]).toMatchObject({ primaryObjectId: Number(a.body.id), mergedObjectIds: [Number(b.body.id)], numberOfPropertiesMoved: 1 });
    expect(byType('contact.restore')[0]).toMatchObject({ objectId: Number(b.body.id), changeSource: 'CRM_UI' });
  });

  it('purges a contact on a GDPR delete, by id or e-mail, and sends contact.privacyDeletion and contact.deletion (the app declares the hub event)', async () => {
    const { sandbox, api } = await setup();
    const byEmail = await api('post', '/crm/v3/objects/contacts', {
      properties: { email: 'waltraud.oehlschlaeger@kuechenstudio-suedhang.de', firstname: 'Waltraud' },
    });
    const byId = await api('post', '/crm/v3/objects/contacts', { properties: { email: 'guenther.bruehl@baeckerei-bruehl.de', firstname: 'Günther' } });
    const deal = await api('post', '/crm/v3/objects/deals', { properties: { dealname: 'Ladeneinrichtung Bäckerei Brühl' } });
    const token = sandbox.installDemoPortal().accessToken;
    await request(sandbox.app)
      .put(`/crm/v4/objects/deals/${deal.body.id}/associations/default/contacts/${byId.body.id}`)
      .set('authorization', `Bearer ${token}`);
    await sandbox.flushWebhooks();
    received.length = 0;

    expect((await api('post', '/crm/v3/objects/contacts/gdpr-delete', { objectId: byId.body.id })).status).toBe(204);
    expect(
      (await api('post', '/crm/v3/objects/contacts/gdpr-delete', { objectId: 'waltraud.oehlschlaeger@kuechenstudio-suedhang.de', idProperty: 'email' })).status,
    ).toBe(204);
    // An e-mail no contact has is blocklisted by HubSpot: still 204. An unknown id, a missing objectId and other objects are refused.
    expect((await api('post', '/crm/v3/objects/contacts/gdpr-delete', { objectId: 'niemand@example.de', idProperty: 'email' })).status).toBe(204);
    expect((await api('post', '/crm/v3/objects/contacts/gdpr-delete', { objectId: '999999999' })).status).toBe(404);
    expect((await api('post', '/crm/v3/objects/contacts/gdpr-delete', {})).status).toBe(400);
    expect((await api('post', '/crm/v3/objects/companies/gdpr-delete', { objectId: '1' })).status).toBe(404);

    // Gone for good: not archived (no restore), and the deal no longer lists it.
    for (const id of [byId.body.id, byEmail.body.id]) {
      expect((await request(sandbox.app).get(`/crm/v3/objects/contacts/${id}`).set('authorization', `Bearer ${token}`)).status).toBe(404);
      expect((await request(sandbox.app).get(`/crm/v3/objects/contacts/${id}?archived=true`).set('authorization', `Bearer ${token}`)).status).toBe(404);
    }
    const associations = await request(sandbox.app).get(`/crm/v4/objects/deals/${deal.body.id}/associations/contacts`).set('authorization', `Bearer ${token}`);
    expect(associations.body.results).toEqual([]);

    await sandbox.flushWebhooks();
    const events = allEvents().map((e) => [e.subscriptionType, e.objectId]);
    expect(events).toEqual([
      ['contact.privacyDeletion', Number(byId.body.id)],
      ['contact.deletion', Number(byId.body.id)],
      ['contact.privacyDeletion', Number(byEmail.body.id)],
      ['contact.deletion', Number(byEmail.body.id)],
    ]);
    expect(allEvents()[0]).toMatchObject({ portalId: sandbox.options.demoPortalId, appId: 777_001, attemptNumber: 0 });
  });

  it('splits more than 100 events into several requests', async () => {
    const { sandbox, api } = await setup();
    const inputs = Array.from({ length: 60 }, (_, i) => ({ properties: { name: `Co ${i}` }, associations: [] }));
    await api('post', '/crm/v3/objects/companies/batch/create', { inputs });
    await sandbox.flushWebhooks();
    expect(received.map((r) => r.events.length)).toEqual([100, 20]);
  });
});
