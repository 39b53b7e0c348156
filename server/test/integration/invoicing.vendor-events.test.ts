import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

/** Payment dates learned from vendor webhooks (signatures checked by each vendor's rule) instead of the next poll. */
describe.each(['qonto', 'lexoffice'] as const)('payment events pushed by %s', (providerId) => {
  let t: TestApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;

  beforeAll(async () => {
    // Polling would only look again in an hour: anything sooner is the webhook.
    t = await startTestApiup({ INVOICE_PAYMENT_POLL_MS: String(60 * 60_000) });
    vendor = vendorProbe(t.sandboxes!, providerId);
    user = new HubspotUser(t.sandboxes!.hubspot, t.sandboxes!.list()[0].url, t.portalId, t.sandboxes!.hubspot.installDemoPortal().accessToken);
    await t.services.connections.connect(t.portalId, providerId, vendor.credentials);
    await t.services.subscriptions.activate(t.portalId, 'business_plus');
    await t.queue.waitFor(`accounting-events:${t.portalId}`, 'succeeded');
  });

  afterAll(async () => {
    await t?.stop();
  });

  /** Callback URLs the vendor sandbox has subscribed, one entry per subscription. */
  function callbackUrls(): string[] {
    const sandbox = t.sandboxes!.vendors[providerId].sandbox as any;
    return providerId === 'qonto'
      ? [...sandbox.store.webhookSubscriptions.values()].map((s: { callback_url: string }) => s.callback_url)
      : [...sandbox.events.subscriptions.values()].map((s: { callbackUrl: string }) => s.callbackUrl);
  }

  it('subscribes our callback URL, and subscribing again adds nothing', async () => {
    const url = `${t.url}/webhooks/accounting/${t.portalId}/${providerId}`;
    const first = callbackUrls();
    expect(first.length).toBeGreaterThan(0);
    expect(new Set(first)).toEqual(new Set([url]));
    await t.services.connections.onConnected!(t.portalId, providerId);
    await t.queue.waitFor(`accounting-events:${t.portalId}`, 'succeeded');
    expect(callbackUrls()).toHaveLength(first.length);
  });

  it('puts the payment date on the deal as soon as the vendor reports the payment', async () => {
    const pipeline = await user.createPipeline();
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      lineItems: [{ name: 'Lizenz', quantity: '1', price: '500' }],
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, 'succeeded');
    const waiting = await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, ['queued', 'retrying']);
    expect(waiting.runAt - Date.now()).toBeGreaterThan(30 * 60_000);

    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    const today = new Date().toISOString().slice(0, 10);
    vendor.markPaid(record.documentId!, today);
    await t.queue.waitFor(`payment:${t.portalId}:${deal.dealId}`, 'succeeded');
    expect(await user.dealProperties(deal.dealId, ['apiup_payment_date'])).toEqual(expect.objectContaining({ apiup_payment_date: today }));
  });

  it('refuses an event with a forged signature', async () => {
    const body = JSON.stringify({
      id: 'e1',
      subscription_id: 's',
      organization_id: 'o',
      type: 'v1/client-invoices',
      created_at: new Date().toISOString(),
      data: { id: 'x', status: 'paid' },
    });
    const forgedHeaders: Record<string, string> =
      providerId === 'qonto'
        ? { 'x-qonto-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }
        : { 'x-lxo-signature': Buffer.alloc(512, 1).toString('base64') };
    const forged = await fetch(`${t.url}/webhooks/accounting/${t.portalId}/${providerId}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...forgedHeaders },
    });
    expect(forged.status).toBe(401);
    const otherPortal = await fetch(`${t.url}/webhooks/accounting/999/qonto`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    // The same answer as a forged signature: the route does not tell who uses which vendor.
    expect(otherPortal.status).toBe(401);
  });
});
