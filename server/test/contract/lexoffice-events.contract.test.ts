// Contract: specs/lexoffice/openapi.from-docs.json — event subscriptions (list/create/get/delete) and the
// webhook the spec declares as a `callbacks` entry of createEventSubscription (receiveWebhookEvent).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexofficeClient } from '../../src/accounting/lexoffice/client';
import { ensureLexofficeEventSubscriptions, removeLexofficeEventSubscriptions } from '../../src/accounting/lexoffice/events';
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import { lexofficeEventTypes, lexofficePaymentEventTypes, verifyLexofficeWebhook } from '../../src/accounting/lexoffice/webhooks';
import { fingerprint } from '../../src/accounting/http';
import type { ProviderDeps } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createLexofficeSandbox, type LexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { OpenApiContract } from '../helpers/openapi';

const rateLimit = { requests: 2, perMs: 40 };
const isEventSubscriptionCall = (path: string) => path.startsWith('/v1/event-subscriptions');

describe('lexoffice event subscriptions contract (both directions)', () => {
  const contract = OpenApiContract.load('lexoffice/openapi.from-docs.json');
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  ajv.addSchema(contract.doc, 'lexoffice');
  const callback = contract.doc.paths['/v1/event-subscriptions'].post.callbacks.webhookEvent['{$request.body#/callbackUrl}'].post;
  const validateCallbackBody = ajv.compile({ $ref: `lexoffice${callback.requestBody.content['application/json'].schema.$ref}` });
  const validateSignatureHeader = ajv.compile(callback.parameters.find((p: { name: string }) => p.name === 'X-Lxo-Signature').schema);

  let sandbox: LexofficeSandbox;
  let running: RunningSandbox;
  let receiverRunning: RunningSandbox;
  const deliveries: Array<{ rawBody: string; signature: string | undefined }> = [];
  let clientExchangeCount = 0;

  beforeAll(async () => {
    sandbox = createLexofficeSandbox({ rateLimit });
    running = await listenSandbox(sandbox.app, 0);
    const receiver = express();
    receiver.post('/hook', express.raw({ type: 'application/json' }), (req, res) => {
      deliveries.push({ rawBody: (req.body as Buffer).toString('utf8'), signature: req.get('x-lxo-signature') });
      res.status(200).end();
    });
    receiverRunning = await listenSandbox(receiver, 0);
    const callbackUrl = `${receiverRunning.url}/hook`;
    const limiters = new RateLimiterRegistry();
    const deps: ProviderDeps = { baseUrl: running.url, credentials: sandbox.credentials, log: silentLogger(), limiters, rateLimit };
    const provider = createLexofficeProvider(deps);
    const client = createLexofficeClient(deps);
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Ereignis AG' });
    const invoice = await provider.createDocument({
      kind: 'invoice',
      customerId: customer.id,
      currency: 'EUR',
      priceBasis: 'net',
      date: '2026-05-04',
      reference: 'apiup:events:1',
      finalize: true,
      lines: [{ name: 'Wartung', quantity: '1', unitPrice: '80.00', taxRatePercent: '19' }],
    });

    sandbox.recorder.enabled = true;
    await ensureLexofficeEventSubscriptions(deps, callbackUrl, lexofficePaymentEventTypes);
    await ensureLexofficeEventSubscriptions(deps, callbackUrl, lexofficePaymentEventTypes);
    const [first] = (await client.listEventSubscriptions()).content;
    await client.getEventSubscription(first.subscriptionId);
    await client.getEventSubscription('00000000-0000-4000-8000-000000000000');
    sandbox.markPaid(invoice.id, '2026-05-10');
    await sandbox.flushEvents();
    clientExchangeCount = sandbox.recorder.exchanges.length;

    // Answers the client does not provoke itself: duplicate, invalid type, plain-http callback, unknown id, no key.
    const limiter = limiters.get(`lexoffice:${fingerprint(sandbox.credentials.apiKey)}`, rateLimit);
    const call = (path: string, init: RequestInit, headers: Record<string, string> = { authorization: `Bearer ${sandbox.credentials.apiKey}` }) =>
      limiter.schedule(() => fetch(`${running.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...headers } }));
    const post = (body: unknown) => call('/v1/event-subscriptions', { method: 'POST', body: JSON.stringify(body) });
    await post({ eventType: 'payment.changed', callbackUrl });
    await post({ eventType: 'invoice.paid', callbackUrl });
    await post({ eventType: 'payment.changed', callbackUrl: 'http://example.org/hook' });
    await call('/v1/event-subscriptions/00000000-0000-4000-8000-000000000000', { method: 'DELETE' });
    await call('/v1/event-subscriptions', {}, {});

    expect(await removeLexofficeEventSubscriptions(deps, callbackUrl)).toBe(2);
    sandbox.recorder.enabled = false;
  });
  afterAll(async () => {
    await receiverRunning.close();
    await running.close();
  });

  it('records event-subscription requests and responses that conform to the spec, errors included', () => {
    const exchanges = sandbox.recorder.exchanges.filter((e) => isEventSubscriptionCall(e.path));
    const seen = new Set(exchanges.map((e) => `${e.method} ${e.status}`));
    expect([...seen]).toEqual(expect.arrayContaining(['GET 200', 'POST 201', 'GET 404', 'POST 409', 'POST 406', 'DELETE 204', 'DELETE 404', 'GET 401']));
    // DELETE answers 204 with no body; the check still matches it to deleteEventSubscription.
    expect(exchanges.filter((e) => e.method === 'DELETE' && e.status === 204)).toHaveLength(2);
    const problems = contract.check(exchanges);
    // The only problem is the event type we sent wrong on purpose: spec and sandbox reject the same input.
    expect(problems.map((p) => `${p.direction} ${p.operation}`)).toEqual(['request POST /v1/event-subscriptions']);
    expect(contract.check(sandbox.recorder.exchanges.slice(0, clientExchangeCount))).toEqual([]);
  });

  it('delivers webhook bodies and signature headers that match the spec callback and verify', () => {
    expect(deliveries.map((d) => JSON.parse(d.rawBody).eventType).sort()).toEqual(['invoice.status.changed', 'payment.changed']);
    for (const d of deliveries) {
      expect(validateCallbackBody(JSON.parse(d.rawBody)), ajv.errorsText(validateCallbackBody.errors)).toBe(true);
      expect(validateSignatureHeader(d.signature)).toBe(true);
      expect(verifyLexofficeWebhook(d.rawBody, d.signature, sandbox.publicKeyPem)).toBe(true);
    }
  });

  it('knows exactly the event types of the spec enum', () => {
    expect([...lexofficeEventTypes].sort()).toEqual([...contract.doc.components.schemas.EventType.enum].sort());
  });

  it('rejects wrong bodies, proving the validators are not vacuous', () => {
    const exchanges = sandbox.recorder.exchanges;
    const create = exchanges.find((e) => e.method === 'POST' && isEventSubscriptionCall(e.path) && e.status === 201)!;
    expect(contract.check([{ ...create, requestBody: { eventType: 'payment.changed' } }])).toHaveLength(1);
    const list = exchanges.find((e) => e.method === 'GET' && e.path === '/v1/event-subscriptions' && e.status === 200)!;
    expect(contract.check([{ ...list, responseBody: { content: [{ subscriptionId: 'x', callbackUrl: 'not a url' }] } }])).toHaveLength(1);
    const body = JSON.parse(deliveries[0].rawBody);
    expect(validateCallbackBody({ ...body, resourceId: 'RE0001' })).toBe(false);
    expect(validateSignatureHeader('not base64!')).toBe(false);
  });
});
