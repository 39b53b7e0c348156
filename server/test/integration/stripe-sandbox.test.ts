/**
 * The Stripe sandbox answered through the official stripe-node SDK (pointed at it with host/port/
 * protocol), and its answers compared with Stripe's published example objects (recorded/stripe/).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStripeSandbox, stripeSandboxCredentials, type StripeSandbox } from '../../src/sandboxes/stripe/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { compareShape } from '../helpers/shape';
import checkoutRecorded from '../recorded/stripe/checkout-session.json';
import subscriptionRecorded from '../recorded/stripe/subscription.json';
import customerRecorded from '../recorded/stripe/customer.json';
import eventRecorded from '../recorded/stripe/event.json';
import invoiceRecorded from '../recorded/stripe/invoice.json';
import portalRecorded from '../recorded/stripe/billing-portal-session.json';

const day = 86_400;
let sandbox: StripeSandbox;
let running: RunningSandbox;
let stripe: Stripe;
let hook: Server;
const received: Array<{ body: string; signature: string }> = [];

beforeEach(async () => {
  sandbox = createStripeSandbox({
    prices: [{ id: 'price_rechnung_monat', product: 'prod_rechnung', unitAmount: 2900, currency: 'eur', nickname: 'Buchhaltung & Rechnung' }],
  });
  running = await listenSandbox(sandbox.app);
  stripe = new Stripe(stripeSandboxCredentials.secretKey, { host: '127.0.0.1', port: running.port, protocol: 'http', maxNetworkRetries: 0 });
  received.length = 0;
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['stripe-signature']) });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  sandbox.setWebhookTarget(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/`);
});

afterEach(async () => {
  await running.close();
  await new Promise((resolve) => hook.close(resolve));
});

async function checkout(trialDays?: number) {
  const customer = await stripe.customers.create({ name: 'Website-Relaunch und Wartung Müller GmbH', metadata: { portal_id: '4711' } });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: 'price_rechnung_monat', quantity: 1 }],
    subscription_data: {
      metadata: { portal_id: '4711', package_id: 'invoicing' },
      ...(trialDays ? { trial_end: Math.floor(Date.now() / 1000) + trialDays * day } : {}),
    },
    automatic_tax: { enabled: true },
    tax_id_collection: { enabled: true },
    customer_update: { address: 'auto', name: 'auto' },
    success_url: 'https://apiup.example/billing/return?session={CHECKOUT_SESSION_ID}',
  });
  return { customer, session };
}

describe('Stripe sandbox through stripe-node', () => {
  it('runs hosted Checkout to a trialing subscription with the trial end and metadata asked for', async () => {
    const { session } = await checkout(5);
    expect(session.url).toMatch(/\/c\/pay\/cs_test_/);
    sandbox.pay(session.id, { country: 'AT', vatId: 'ATU12345678', businessName: 'Bäckerei Hölzl & Söhne Großhandel GmbH' });
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    const subscription = await stripe.subscriptions.retrieve(done.subscription as string);
    expect(subscription.status).toBe('trialing');
    expect(subscription.metadata).toEqual({ portal_id: '4711', package_id: 'invoicing' });
    expect(subscription.items.data[0].current_period_end).toBe(subscription.trial_end);
    const customer = (await stripe.customers.retrieve(subscription.customer as string)) as Stripe.Customer;
    expect(customer.name).toBe('Bäckerei Hölzl & Söhne Großhandel GmbH');
  });

  it('charges 19 % VAT to a German buyer and none to an Austrian business with a VAT id (reverse charge)', async () => {
    const german = await checkout();
    const sub = sandbox.pay(german.session.id, { country: 'DE' });
    const invoice = await stripe.invoices.retrieve(sub.latest_invoice);
    expect([invoice.subtotal, invoice.total, invoice.status]).toEqual([2900, 3451, 'paid']);
    const austrian = await checkout();
    const sub2 = sandbox.pay(austrian.session.id, { country: 'AT', vatId: 'ATU12345678' });
    const invoice2 = await stripe.invoices.retrieve(sub2.latest_invoice);
    expect([invoice2.total, invoice2.total_taxes?.[0]?.taxability_reason]).toEqual([2900, 'reverse_charge']);
  });

  it('rejects a trial end less than 48 hours ahead and an unknown price with Stripe error bodies', async () => {
    const customer = await stripe.customers.create({});
    const base = { mode: 'subscription' as const, customer: customer.id, success_url: 'https://apiup.example/ok' };
    await expect(
      stripe.checkout.sessions.create({
        ...base,
        line_items: [{ price: 'price_rechnung_monat', quantity: 1 }],
        subscription_data: { trial_end: Math.floor(Date.now() / 1000) + day },
      }),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'subscription_data[trial_end]', statusCode: 400 });
    await expect(stripe.checkout.sessions.create({ ...base, line_items: [{ price: 'price_gibt_es_nicht', quantity: 1 }] })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'resource_missing',
      statusCode: 404,
    });
    const wrongKey = new Stripe('sk_test_falsch000000000000', { host: '127.0.0.1', port: running.port, protocol: 'http', maxNetworkRetries: 0 });
    await expect(wrongKey.customers.create({})).rejects.toMatchObject({ type: 'StripeAuthenticationError', statusCode: 401 });
  });

  it('replays an idempotent request instead of making a second customer', async () => {
    const first = await stripe.customers.create({ name: 'Müller' }, { idempotencyKey: 'customer-4711' });
    const second = await stripe.customers.create({ name: 'Müller' }, { idempotencyKey: 'customer-4711' });
    expect(second.id).toBe(first.id);
    expect(sandbox.store.customers.size).toBe(1);
  });

  it('signs webhooks so that stripe.webhooks.constructEvent accepts them, and past_due after a failed renewal', async () => {
    const { session } = await checkout();
    const sub = sandbox.pay(session.id);
    sandbox.renew(sub.id, 'failed');
    await sandbox.outbox.settled();
    const events = received.map((r) => stripe.webhooks.constructEvent(r.body, r.signature, stripeSandboxCredentials.webhookSecret));
    expect(events.map((e) => e.type)).toEqual([
      'customer.updated',
      'customer.subscription.created',
      'invoice.paid',
      'checkout.session.completed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    expect((events.at(-1)!.data.object as Stripe.Subscription).status).toBe('past_due');
    expect(() => stripe.webhooks.constructEvent(received[0].body, received[0].signature, 'whsec_other')).toThrow(/signature/i);
  });

  it('cancels at period end and then ends the subscription with customer.subscription.deleted', async () => {
    const { session } = await checkout();
    const sub = sandbox.pay(session.id);
    const updated = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect([updated.status, updated.cancel_at_period_end, updated.cancel_at]).toEqual(['active', true, sub.items.data[0].current_period_end]);
    sandbox.renew(sub.id);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('canceled');
    const portal = await stripe.billingPortal.sessions.create({ customer: sub.customer, return_url: 'https://apiup.example/settings' });
    expect(portal.url).toMatch(/\/p\/session\/bps_/);
  });

  it("answers with the keys, JSON types and nulls of Stripe's published example objects", async () => {
    const { customer, session } = await checkout(5);
    const sub = sandbox.pay(session.id);
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const loose = { looseTypes: ['$.automatic_tax.liability', '$.metadata', '$.flow', '$.customer_details', '$.customer_details.tax_ids'] };
    const nullable = {
      looseTypes: [
        ...loose.looseTypes,
        '$.address',
        '$.shipping',
        '$.discount',
        '$.currency',
        '$.after_expiration',
        '$.shipping_address_collection',
        '$.shipping_cost',
        '$.currency_conversion',
        '$.collected_information',
        '$.invoice_creation',
        '$.total_details',
        '$.billing_cycle_anchor_config',
        '$.pause_collection',
        '$.pending_invoice_item_interval',
        '$.pending_update',
        '$.items.data[].plan',
        '$.items.data[].billing_thresholds',
        '$.billing_thresholds',
        '$.next_pending_invoice_item_invoice',
        '$.cancel_at',
        '$.canceled_at',
        '$.ended_at',
        '$.payment_intent',
        '$.tax_id_collection',
        '$.trial_settings',
        '$.transfer_data',
        '$.schedule',
        '$.test_clock',
        '$.latest_invoice',
        '$.trial_end',
        '$.trial_start',
        '$.default_payment_method',
        '$.client_reference_id',
        '$.subscription',
        '$.invoice',
        '$.amount_subtotal',
        '$.amount_total',
        '$.cancel_url',
        '$.customer',
        '$.customer_creation',
        '$.payment_method_collection',
        '$.automatic_tax.status',
        '$.automatic_tax.provider',
        '$.locale',
        '$.return_url',
      ],
    };
    expect(compareShape(customerRecorded.response.body, await stripe.customers.retrieve((await stripe.customers.create({})).id), nullable)).toEqual([]);
    // An open session, like the example; `tax_id_collection` is documented on the object but missing from the example.
    expect(compareShape(checkoutRecorded.response.body, session, { ...nullable, extraKeys: ['$.tax_id_collection'] })).toEqual([]);
    // stripe-node 23 turns `unit_amount_decimal` into its Decimal class; our metadata keys are ours, not the example's.
    const retrieved = { ...(await stripe.subscriptions.retrieve(sub.id)), metadata: {} };
    expect(
      compareShape(subscriptionRecorded.response.body, retrieved, {
        looseTypes: [
          ...nullable.looseTypes,
          '$.items.data[].price.nickname',
          '$.items.data[].price.transform_quantity',
          '$.items.data[].price.unit_amount_decimal',
        ],
      }),
    ).toEqual([]);
    expect(compareShape(portalRecorded.response.body, portal, nullable)).toEqual([]);
    expect(
      compareShape(invoiceRecorded.response.body, await stripe.invoices.retrieve(sub.latest_invoice), {
        ...nullable,
        looseTypes: [
          ...nullable.looseTypes,
          '$.total_taxes',
          '$.parent.quote_details',
          '$.lines.data[].parent.invoice_item_details',
          '$.lines.data[].parent.subscription_item_details.proration_details.credited_items',
          '$.customer_address',
          '$.customer_name',
          '$.customer_email',
          '$.status_transitions.finalized_at',
          '$.status_transitions.paid_at',
          '$.next_payment_attempt',
          '$.customer_address.city',
          '$.customer_address.country',
          '$.customer_address.line1',
          '$.customer_address.postal_code',
          '$.parent.subscription_details.metadata',
        ],
      }),
    ).toEqual([]);
    // The envelope only: the example event carries a plan, ours carry customers, subscriptions and invoices.
    const envelope = (e: Record<string, unknown>) => ({ ...e, data: {} });
    expect(
      compareShape(envelope(eventRecorded.response.body), envelope(sandbox.outbox.events[0]), {
        looseTypes: ['$.api_version', '$.data.object'],
        extraKeys: ['$.data.previous_attributes'],
      }),
    ).toEqual([]);
  });
});
