/**
 * Jobs never stall silently (issue 13): a re-install wakes the portal's waiting jobs, "create now"
 * wakes a waiting invoice run, and a disconnect ends everything (tokens, webhooks, jobs).
 * The worker is off: every test looks at the queue exactly as the routes left it.
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretBox } from '../../src/crypto/key-store';
import { hubspotTokens, webhookEvents } from '../../src/db/schema';
import { OAuthGrantRefused } from '../../src/hubspot/oauth';
import { signRequestV3 } from '../../src/hubspot/signature';
import { startTestApiup, type TestApiup } from '../helpers/apiup';

describe('portal lifecycle', () => {
  let t: TestApiup;

  beforeEach(async () => {
    t = await startTestApiup({}, { startWorker: false });
    await installThroughOAuth();
  });

  afterEach(async () => {
    await t?.stop();
  });

  async function installThroughOAuth(): Promise<void> {
    const install = await fetch(`${t.url}/oauth/install`, { redirect: 'manual' });
    const approve = await fetch(new URL(install.headers.get('location')!), { redirect: 'manual' });
    const installed = await fetch(new URL(approve.headers.get('location')!));
    expect(installed.status).toBe(200);
  }

  async function postWebhook(events: unknown[]): Promise<Response> {
    const url = `${t.url}/webhooks/hubspot`;
    const body = JSON.stringify(events);
    const timestamp = Date.now();
    const signature = signRequestV3({ clientSecret: t.config.hubspot.clientSecret!, method: 'POST', url, body, timestamp });
    return fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
    });
  }

  const contactCreated = (objectId: number) => ({
    eventId: objectId,
    subscriptionId: 4711,
    portalId: Number(t.portalId),
    appId: 1,
    occurredAt: Date.now(),
    subscriptionType: 'contact.creation',
    attemptNumber: 0,
    objectId,
    changeSource: 'CRM_UI',
  });

  it("makes the portal's waiting jobs due at once when it is installed again", async () => {
    const sleeping = await t.queue.enqueue(
      t.services.invoicing.jobs.process,
      { portalId: t.portalId, dealId: '31001', trigger: 'manual' },
      { runAt: Date.now() + 549_000 },
    );
    const otherPortal = await t.queue.enqueue(
      t.services.invoicing.jobs.process,
      { portalId: '5550001', dealId: '31002', trigger: 'manual' },
      { runAt: Date.now() + 549_000 },
    );
    const before = Date.now();
    await installThroughOAuth();
    expect((await t.queue.get(sleeping.id))!.runAt).toBeLessThanOrEqual(Date.now());
    expect((await t.queue.get(sleeping.id))!.runAt).toBeGreaterThanOrEqual(before);
    expect((await t.queue.get(otherPortal.id))!.runAt).toBeGreaterThan(Date.now() + 500_000);
  });

  it('makes a waiting invoice run due at once when the user presses "create now" or "retry"', async () => {
    const waiting = await t.queue.enqueue(
      t.services.invoicing.jobs.process,
      { portalId: t.portalId, dealId: '31003', trigger: 'manual' },
      { runAt: Date.now() + 549_000 },
    );
    const created = await t.signedFetch('/api/v1/deals/31003/invoice', { method: 'POST' });
    expect(created.status).toBe(202);
    expect(await created.json()).toEqual({ jobId: waiting.id, alreadyQueued: true });
    expect((await t.queue.get(waiting.id))!.runAt).toBeLessThanOrEqual(Date.now());

    const again = await t.queue.enqueue(
      t.services.invoicing.jobs.process,
      { portalId: t.portalId, dealId: '31004', trigger: 'manual' },
      { runAt: Date.now() + 549_000 },
    );
    const retried = await t.signedFetch(`/api/v1/settings/activity/${again.id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect((await t.queue.get(again.id))!.runAt).toBeLessThanOrEqual(Date.now());
    expect((await t.signedFetch(`/api/v1/settings/activity/${again.id}/retry`, { method: 'POST', portalId: '5550001' })).status).toBe(404);
  });

  it("on disconnect revokes the refresh token, ends the portal's jobs and stores its webhooks without queuing work; a re-install restores it", async () => {
    const [sealed] = await t.db.select().from(hubspotTokens).where(eq(hubspotTokens.portalId, t.portalId)).limit(1);
    const refreshToken = loadSecretBox(t.config).decrypt(sealed.refreshTokenSealed);
    const pending = await t.queue.enqueue(
      t.services.invoicing.jobs.process,
      { portalId: t.portalId, dealId: '31005', trigger: 'manual' },
      { runAt: Date.now() + 549_000 },
    );

    const response = await t.signedFetch('/api/v1/settings/portal', { method: 'DELETE' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ disconnected: true });

    await expect(t.services.hubspot.oauth.refresh(refreshToken)).rejects.toBeInstanceOf(OAuthGrantRefused);
    expect(await t.db.select().from(hubspotTokens).where(eq(hubspotTokens.portalId, t.portalId))).toEqual([]);
    for (const job of await t.queue.list({ portalId: t.portalId })) {
      expect(job).toMatchObject({ state: 'dead', lastError: { code: 'portal_disconnected', retryable: false } });
    }
    expect((await t.queue.get(pending.id))!.state).toBe('dead');
    await expect(t.services.hubspot.clients.call(t.portalId, (c) => c.crm.deals.basicApi.getPage(1))).rejects.toMatchObject({ code: 'portal_disconnected' });

    const delivered = await postWebhook([contactCreated(880001)]);
    expect(delivered.status).toBe(200);
    const [stored] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.objectId, '880001')).limit(1);
    expect(stored).toMatchObject({ status: 'ignored', ignoredReason: 'portal_disconnected', jobId: null });
    expect(await t.queue.list({ portalId: t.portalId, states: ['queued', 'running', 'retrying'] })).toEqual([]);

    await installThroughOAuth();
    expect(await t.services.hubspot.tokens.status(t.portalId)).toBe('active');
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    await postWebhook([contactCreated(880002)]);
    const [routed] = await t.db.select().from(webhookEvents).where(eq(webhookEvents.objectId, '880002')).limit(1);
    expect(routed?.ignoredReason).not.toBe('portal_disconnected');
  });
});
