import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookEvents } from '../../src/db/schema';
import { signRequestV3 } from '../../src/hubspot/signature';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';

describe('HubSpot connection', () => {
  let t: TestApiup;
  let user: HubspotUser;

  beforeAll(async () => {
    t = await startTestApiup();
    t.sandboxes!.hubspot.recorder.enabled = true;
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
  });

  afterAll(async () => {
    await t?.stop();
  });

  const eventCount = async () => (await t.db.select().from(webhookEvents)).length;

  it('installs through the real OAuth redirects and creates the deal properties', async () => {
    const install = await fetch(`${t.url}/oauth/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const authorize = new URL(install.headers.get('location')!);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('scope')).toContain('crm.objects.deals.write');
    const approve = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(approve.headers.get('location')!);
    expect(callback.pathname).toBe('/oauth/callback');
    const installed = await fetch(callback);
    expect(installed.status).toBe(200);
    // The state is single use.
    expect((await fetch(callback)).status).toBe(403);

    await t.queue.waitFor(`portal-setup:${t.portalId}`, 'succeeded');
    const properties = await user.api('GET', '/crm/v3/properties/deals');
    const names = properties.results.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['apiup_invoice_number', 'apiup_invoice_date', 'apiup_payment_date', 'apiup_invoice_status', 'apiup_document_url']),
    );
  });

  it('stores signed webhook events and runs their jobs; our own writes start no work', async () => {
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    const contactId = user.create('contacts', { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com' });
    const pipeline = await user.createPipeline();
    const deal = await user.createDeal({ pipelineId: pipeline.pipelineId, stageId: pipeline.openStageId, lineItems: [] });
    user.update('deals', deal.dealId, { dealstage: pipeline.wonStageId });
    // A write by our own app: HubSpot marks it INTEGRATION with our app id.
    await t.services.hubspot.clients.call(t.portalId, (c) =>
      c.crm.contacts.basicApi.create({ properties: { firstname: 'Echo', lastname: 'Ours', email: 'echo@example.com' }, associations: [] }),
    );
    await t.sandboxes!.hubspot.flushWebhooks();

    const stored = await t.db.select().from(webhookEvents);
    const contactEvent = stored.find((e) => e.subscriptionType === 'contact.creation' && e.objectId === contactId);
    expect(contactEvent).toBeDefined();
    const own = stored.filter((e) => e.ignoredReason === 'own_change');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.jobId === null)).toBe(true);
    const stageEvent = stored.find(
      (e) =>
        e.subscriptionType === 'deal.propertyChange' &&
        e.objectId === deal.dealId &&
        (e.payload as { propertyValue?: string }).propertyValue === pipeline.wonStageId,
    );
    expect(stageEvent?.status).toBe('queued');
    const job = await t.queue.waitFor(stageEvent!.jobId!, ['succeeded', 'dead']);
    expect(job.name).toBe('invoice.process');
  });

  it('answers 401 and stores nothing for forged, missing and stale signatures', async () => {
    const url = `${t.url}/webhooks/hubspot`;
    const body = JSON.stringify([
      { eventId: 1, subscriptionId: 2, portalId: Number(t.portalId), occurredAt: Date.now(), subscriptionType: 'contact.creation', objectId: 5 },
    ]);
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const before = await eventCount();
    const now = Date.now();
    const sign = (ts: number, secret = t.config.hubspot.clientSecret!) => signRequestV3({ clientSecret: secret, method: 'POST', url, body, timestamp: ts });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-hubspot-signature-v3': sign(now, 'not-our-secret'), 'x-hubspot-request-timestamp': String(now) })).status).toBe(401);
    const stale = now - 6 * 60_000;
    expect((await post({ 'x-hubspot-signature-v3': sign(stale), 'x-hubspot-request-timestamp': String(stale) })).status).toBe(401);
    const tampered = await fetch(url, {
      method: 'POST',
      body: body.replace('contact.creation', 'contact.deletion'),
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': sign(now), 'x-hubspot-request-timestamp': String(now) },
    });
    expect(tampered.status).toBe(401);
    expect(await eventCount()).toBe(before);
    const good = await post({ 'x-hubspot-signature-v3': sign(now), 'x-hubspot-request-timestamp': String(now) });
    expect(good.status).toBe(200);
    const intake = await good.json();
    expect(intake.accepted + intake.ignored).toBe(1);
    expect(await eventCount()).toBe(before + 1);
    expect((await post({ 'x-hubspot-signature-v3': sign(now), 'x-hubspot-request-timestamp': String(now) })).status).toBe(200);
    expect(await eventCount()).toBe(before + 1);
  });

  it("never shows portal A's deal to portal B", async () => {
    const pipeline = await user.createPipeline('Other');
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      lineItems: [{ name: 'X', quantity: '1', price: '1' }],
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead']);
    expect((await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`)).status).toBe(200);
    const other = await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { portalId: '999' });
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found');
    expect((await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/retry`, { method: 'POST', portalId: '999' })).status).toBe(404);
  });

  it('refreshes an expired access token once under 20 concurrent calls', async () => {
    t.sandboxes!.hubspot.expireAccessTokens(Number(t.portalId));
    const exchangesBefore = t.sandboxes!.hubspot.recorder.exchanges.length;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.services.hubspot.clients.call(t.portalId, (c) => c.crm.deals.basicApi.getPage(1), { idempotent: true })),
    );
    expect(results).toHaveLength(20);
    const refreshes = t
      .sandboxes!.hubspot.recorder.exchanges.slice(exchangesBefore)
      .filter((e) => e.path.startsWith('/oauth/') && (e.requestBody as { grant_type?: string })?.grant_type === 'refresh_token');
    expect(refreshes).toHaveLength(1);
  });

  it('marks the portal as needing re-authorisation when HubSpot refuses the refresh, and its jobs wait', async () => {
    t.sandboxes!.hubspot.revokeRefreshTokens(Number(t.portalId));
    t.sandboxes!.hubspot.expireAccessTokens(Number(t.portalId));
    await expect(t.services.hubspot.clients.call(t.portalId, (c) => c.crm.deals.basicApi.getPage(1))).rejects.toMatchObject({ code: 'needs_reauth' });
    expect(await t.services.hubspot.tokens.status(t.portalId)).toBe('needs_reauth');
    const { id } = await t.queue.enqueue(t.services.portalSetupJob, { portalId: t.portalId });
    const waiting = await t.queue.waitFor(id, 'retrying');
    expect(waiting.attempts).toBe(0);
    expect(waiting.lastError?.code).toBe('needs_reauth');
  });

  it("sends only requests that HubSpot's OpenAPI documents accept", () => {
    const ours = t.sandboxes!.hubspot.recorder.exchanges.filter((e) => !e.path.startsWith('/oauth/authorize'));
    expect(ours.length).toBeGreaterThan(10);
    const { problems, unmatched } = checkHubspotExchanges(ours);
    expect(unmatched).toEqual([]);
    expect(problems.filter((p) => p.direction === 'request')).toEqual([]);
  });
});
