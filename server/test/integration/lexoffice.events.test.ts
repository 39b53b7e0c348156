import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureLexofficeEventSubscriptions, removeLexofficeEventSubscriptions } from '../../src/accounting/lexoffice/events';
import { createLexofficeProviderWith } from '../../src/accounting/lexoffice/provider';
import { lexofficePaymentEventTypes, lexofficeWebhookEventSchema, verifyLexofficeWebhook } from '../../src/accounting/lexoffice/webhooks';
import type { AccountingProvider, ProviderDeps } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createLexofficeSandbox, type LexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const rateLimit = { requests: 2, perMs: 40 };

interface Received {
  path: string;
  rawBody: string;
  signature: string | undefined;
}

/** A callback receiver like ours: raw bytes kept for the signature; answers with the next queued status (default 204). */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const app = express();
  app.post('/hooks/:name', express.raw({ type: 'application/json' }), (req, res) => {
    received.push({ path: req.path, rawBody: (req.body as Buffer).toString('utf8'), signature: req.get('x-lxo-signature') });
    res.status(statuses.shift() ?? 204).end();
  });
  const running = await listenSandbox(app, 0);
  return { received, statuses, running, url: (name: string) => `${running.url}/hooks/${name}` };
}

describe('lexoffice event subscriptions and signed webhooks (sandbox)', () => {
  let sandbox: LexofficeSandbox;
  let running: RunningSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let deps: ProviderDeps;
  let provider: AccountingProvider;
  let customerId: string;

  beforeAll(async () => {
    sandbox = createLexofficeSandbox({ rateLimit, events: { retryDelaysMs: [5, 10] } });
    running = await listenSandbox(sandbox.app, 0);
    receiver = await startReceiver();
    deps = { baseUrl: running.url, credentials: sandbox.credentials, log: silentLogger(), limiters: new RateLimiterRegistry(), rateLimit };
    provider = createLexofficeProviderWith(deps, { webhookPublicKeyPem: sandbox.publicKeyPem });
    customerId = (await provider.createCustomer({ kind: 'company', companyName: 'Webhook GmbH' })).id;
  });
  afterAll(async () => {
    await sandbox.flushEvents();
    await receiver.running.close();
    await running.close();
  });
  beforeEach(async () => {
    await sandbox.flushEvents();
    receiver.received.length = 0;
    receiver.statuses.length = 0;
    sandbox.events.subscriptions.clear();
  });

  const createInvoice = (finalize = true) =>
    provider.createDocument({
      kind: 'invoice',
      customerId,
      currency: 'EUR',
      priceBasis: 'net',
      date: '2026-03-10',
      reference: `apiup:events:${Math.random()}`,
      finalize,
      lines: [{ name: 'Beratung', quantity: '1', unitPrice: '100.00', taxRatePercent: '19' }],
    });

  it('subscribes each event type once, however often it is asked', async () => {
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), lexofficePaymentEventTypes);
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), [...lexofficePaymentEventTypes, 'payment.changed']);
    await ensureLexofficeEventSubscriptions(deps, receiver.url('b'), ['payment.changed']);
    const pairs = [...sandbox.events.subscriptions.values()].map((s) => `${s.eventType} ${s.callbackUrl}`).sort();
    expect(pairs).toEqual([`invoice.status.changed ${receiver.url('a')}`, `payment.changed ${receiver.url('a')}`, `payment.changed ${receiver.url('b')}`]);

    expect(await removeLexofficeEventSubscriptions(deps, receiver.url('a'))).toBe(2);
    expect([...sandbox.events.subscriptions.values()].map((s) => s.callbackUrl)).toEqual([receiver.url('b')]);
  });

  it('delivers signed payment events for a paid invoice that verify with the published sandbox key', async () => {
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), lexofficePaymentEventTypes);
    const invoice = await createInvoice();
    await sandbox.flushEvents();
    receiver.received.length = 0; // the finalize-at-creation status change is covered below

    sandbox.markPaid(invoice.id, '2026-03-20');
    await sandbox.flushEvents();

    const published = await (await fetch(`${running.url}/_sandbox/public-key`)).text();
    expect(published).toBe(sandbox.publicKeyPem);
    expect(receiver.received).toHaveLength(2);
    const events = receiver.received.map((r) => {
      expect(verifyLexofficeWebhook(r.rawBody, r.signature, published)).toBe(true);
      return lexofficeWebhookEventSchema.parse(JSON.parse(r.rawBody));
    });
    expect(events.map((e) => e.eventType).sort()).toEqual(['invoice.status.changed', 'payment.changed']);
    expect(events.every((e) => e.resourceId === invoice.id && e.organizationId === sandbox.store.organizationId)).toBe(true);
    expect(events[0].eventDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);

    // The provider's ProviderEvents verify the same delivery and name the invoice; a forged one is refused.
    const [first] = receiver.received;
    expect(provider.events!.parse(first.rawBody, { 'x-lxo-signature': first.signature }, 'unused')).toEqual({ documentIds: [invoice.id] });
    expect(provider.events!.parse(first.rawBody.replace(invoice.id, customerId), { 'x-lxo-signature': first.signature }, 'unused')).toBeNull();
    expect(await provider.getPayment(invoice.id)).toMatchObject({ isPaid: true, paidDate: '2026-03-20' });
  });

  it('sends only subscribed event types: a finalized invoice reports its status change, a draft nothing', async () => {
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), ['invoice.status.changed']);
    const finalized = await createInvoice(true);
    await createInvoice(false);
    await sandbox.flushEvents();
    expect(receiver.received.map((r) => JSON.parse(r.rawBody))).toEqual([
      expect.objectContaining({ eventType: 'invoice.status.changed', resourceId: finalized.id }),
    ]);
  });

  it('retries a failed delivery with the same signed body until the receiver accepts it', async () => {
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), ['payment.changed']);
    const invoice = await createInvoice();
    receiver.statuses.push(503, 429);
    sandbox.markPaid(invoice.id);
    await sandbox.flushEvents();
    expect(sandbox.events.deliveries.filter((d) => d.resourceId === invoice.id).map((d) => d.status)).toEqual([503, 429, 204]);
    expect(new Set(receiver.received.map((r) => `${r.rawBody}|${r.signature}`)).size).toBe(1);
  });

  it('gives up after the last retry, and drops the subscription on 410 Gone', async () => {
    await ensureLexofficeEventSubscriptions(deps, receiver.url('a'), ['payment.changed']);
    const invoice = await createInvoice();
    receiver.statuses.push(500, 500, 500);
    sandbox.markPaid(invoice.id);
    await sandbox.flushEvents();
    expect(receiver.received).toHaveLength(3);
    expect(sandbox.events.subscriptions.size).toBe(1);

    const second = await createInvoice();
    receiver.statuses.push(410);
    sandbox.markPaid(second.id);
    await sandbox.flushEvents();
    expect(sandbox.events.subscriptions.size).toBe(0);
  });
});
