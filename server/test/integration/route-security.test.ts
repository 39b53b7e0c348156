import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';

/** Every card and settings route checks HubSpot's signature; record routes never answer for another portal. */
describe('backend routes called by HubSpot', () => {
  let t: TestApiup;
  let dealId: string;
  let deadJobId: number;
  const otherInstalled = '888';

  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/api/v1/deals/{deal}/invoice'],
    ['GET', '/api/v1/deals/{deal}/invoice/preview'],
    ['POST', '/api/v1/deals/{deal}/invoice', {}],
    ['POST', '/api/v1/deals/{deal}/invoice/retry', {}],
    ['GET', '/api/v1/contacts/1/sync'],
    ['POST', '/api/v1/contacts/1/sync', {}],
    ['GET', '/api/v1/companies/1/sync'],
    ['POST', '/api/v1/companies/1/sync', {}],
    ['GET', '/api/v1/settings'],
    ['POST', '/api/v1/settings/connection/test', { provider: 'lexoffice', credentials: { apiKey: 'x' } }],
    ['PUT', '/api/v1/settings/connection', { provider: 'lexoffice', credentials: { apiKey: 'x' } }],
    ['DELETE', '/api/v1/settings/connection'],
    ['POST', '/api/v1/settings/packages/business/activate', {}],
    ['PUT', '/api/v1/settings/rules', {}],
    ['GET', '/api/v1/settings/activity'],
    ['GET', '/api/v1/settings/pipelines'],
    ['POST', '/api/v1/settings/activity/{job}/retry', {}],
    ['POST', '/api/v1/settings/initial-sync/dry-run', {}],
    ['POST', '/api/v1/settings/initial-sync/start', {}],
    ['GET', '/api/v1/settings/initial-sync'],
    ['GET', '/api/v1/settings/conflicts'],
    ['POST', '/api/v1/settings/conflicts/1/resolve', { create: true }],
    ['POST', '/api/v1/settings/sync/deletions/confirm', {}],
    ['DELETE', '/api/v1/settings/portal'],
  ];
  const path = (p: string) => p.replace('{deal}', dealId).replace('{job}', String(deadJobId));

  beforeAll(async () => {
    t = await startTestApiup();
    const user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    const pipeline = await user.createPipeline();
    dealId = (await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.wonStageId, lineItems: [{ name: 'A', quantity: '1', price: '1' }] }))
      .dealId;
    await t.signedFetch(`/api/v1/deals/${dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${dealId}`, ['succeeded', 'dead']);
    deadJobId = (await t.queue.enqueue(t.services.invoicing.jobs.process, { portalId: t.portalId, dealId: '999999', trigger: 'manual' as const })).id;
    await t.queue.waitFor(deadJobId, 'dead');
    // Another account with the app installed: its requests reach HubSpot with its own tokens.
    const other = t.sandboxes!.hubspot.installDemoPortal(Number(otherInstalled));
    await t.services.hubspot.tokens.store(otherInstalled, {
      accessToken: other.accessToken,
      refreshToken: other.refreshToken,
      expiresAt: Date.now() + 30 * 60_000,
      scopes: [],
    });
  });

  afterAll(async () => {
    await t?.stop();
  });

  it.each(routes)('%s %s answers 401 to a forged or missing signature', async (method, route, body) => {
    const url = new URL(path(route), t.url);
    url.searchParams.set('portalId', t.portalId);
    const missing = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    expect(missing.status).toBe(401);
    const forged = await fetch(url, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': Buffer.alloc(32).toString('base64'),
        'x-hubspot-request-timestamp': String(Date.now()),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('unauthenticated');
  });

  it.each([
    ['GET', '/api/v1/deals/{deal}/invoice'],
    ['GET', '/api/v1/deals/{deal}/invoice/preview'],
    ['POST', '/api/v1/deals/{deal}/invoice/retry'],
    ['POST', '/api/v1/settings/activity/{job}/retry'],
  ])("%s %s answers 404 to another portal for this portal's record", async (method, route) => {
    expect((await t.signedFetch(path(route), { method })).status).not.toBe(404);
    const other = await t.signedFetch(path(route), { method, portalId: otherInstalled });
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
  });

  it("tells a portal without APIUP tokens to connect, and nothing about this portal's deal", async () => {
    const preview = await t.signedFetch(path('/api/v1/deals/{deal}/invoice/preview'), { portalId: '777' });
    expect(preview.status).toBe(403);
    const body = await preview.json();
    expect(body.error.code).toBe('hubspot_not_connected');
    expect(JSON.stringify(body)).not.toContain(dealId);
  });

  it("answers another portal's record-state routes with that portal's own empty state, never with this portal's data", async () => {
    const mine = await (await t.signedFetch('/api/v1/settings/activity')).json();
    expect(mine.jobs.length).toBeGreaterThan(0);
    const theirs = await (await t.signedFetch('/api/v1/settings/activity', { portalId: '777' })).json();
    expect(theirs.jobs).toEqual([]);
    const settings = await (await t.signedFetch('/api/v1/settings', { portalId: '777' })).json();
    expect(settings.portal).toEqual({ id: '777', status: 'not_connected' });
    expect(settings.connection).toBeNull();
  });
});
