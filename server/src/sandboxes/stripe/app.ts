/**
 * Stands in for the Stripe API (api.stripe.com) in tests and sandbox mode: Bearer secret-key auth,
 * form-encoded requests with bracket keys as stripe-node sends them, Stripe's objects and error
 * bodies, Idempotency-Key replay, hosted Checkout and customer-portal pages, and signed webhooks.
 * Sandbox-only controls (`/_sandbox/...` and the methods below) stand in for the buyer and the clock.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { Faults } from '../faults';
import { ExchangeRecorder } from '../recorder';
import type { Sandbox, SandboxOptions } from '../types';
import { BillingEngine, publicSession, type CheckoutEntry } from './billing';
import { StripeApiError, invalidParam, missingParam, noSuch, sendStripeError } from './errors';
import { renderCheckoutPage, renderPortalPage } from './pages';
import { fromTemplate, stripeId, StripeStore, type SandboxPrice, type StripeObject } from './store';
import { EventOutbox } from './webhooks';

export const stripeSandboxCredentials = { secretKey: 'sk_test_apiupSandbox4242SecretKey', webhookSecret: 'whsec_apiupSandboxEndpointSecret4242' } as const;

export interface StripeSandboxOptions extends SandboxOptions {
  prices?: SandboxPrice[];
}

export interface StripeSandbox extends Sandbox {
  readonly store: StripeStore;
  readonly outbox: EventOutbox;
  readonly billing: BillingEngine;
  setWebhookTarget(url: string | undefined): void;
  /** The buyer fills in the hosted Checkout page and pays. */
  pay(sessionId: string, entry?: Partial<CheckoutEntry>): StripeObject;
  /** The billing period ends: renew (charging the card) or run out a cancellation. */
  renew(subscriptionId: string, outcome?: 'succeeded' | 'failed'): StripeObject;
  exhaustRetries(subscriptionId: string): StripeObject;
}

const defaultEntry: CheckoutEntry = {
  email: 'buchhaltung@baeckerei-hoelzl.de',
  businessName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
  country: 'DE',
  postalCode: '80331',
  city: 'München',
  line1: 'Sendlinger Straße 12',
  card: 'ok',
};

export function createStripeSandbox(options: StripeSandboxOptions = {}): StripeSandbox {
  const store = new StripeStore(options.now ?? Date.now);
  for (const price of options.prices ?? []) store.addPrice(price);
  const outbox = new EventOutbox(store, stripeSandboxCredentials.webhookSecret);
  const billing = new BillingEngine(store, outbox);
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const app = express();
  app.disable('x-powered-by');
  app.use(recorder.middleware());
  app.use((_req, res, next) => {
    res.setHeader('request-id', stripeId('req', 14));
    res.setHeader('stripe-version', String(_req.headers['stripe-version'] ?? '2026-10-28.endive'));
    next();
  });
  // stripe-node sends `application/x-www-form-urlencoded` with `a[b][0][c]=…` keys (qs format).
  app.use(express.urlencoded({ extended: true, limit: '1mb' }));
  app.use(
    faults.middleware({
      rejectRateLimited: (res) =>
        sendStripeError(res, new StripeApiError(429, 'invalid_request_error', 'Too many requests hit the API too quickly.', 'rate_limit')),
      rejectUnavailable: (res) => sendStripeError(res, new StripeApiError(500, 'api_error', 'An unknown error occurred')),
    }),
  );

  const requireSession = (id: string) => store.sessions.get(id) ?? fail(noSuch('checkout.session', id));
  const requireSubscription = (id: string) => store.subscriptions.get(id) ?? fail(noSuch('subscription', id));

  registerHostedPages(app, store, billing, requireSession);
  app.post('/_sandbox/checkout/:id/pay', (req, res) => {
    res.json(publicSession(sandbox.pay(req.params.id, req.body as Partial<CheckoutEntry>) && requireSession(req.params.id)));
  });
  app.post('/_sandbox/subscriptions/:id/renew', (req, res) => res.json(sandbox.renew(req.params.id, req.body?.outcome === 'failed' ? 'failed' : 'succeeded')));

  app.use('/v1', (req, _res, next) => {
    const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!key)
      return next(
        new StripeApiError(
          401,
          'invalid_request_error',
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        ),
      );
    if (key !== stripeSandboxCredentials.secretKey)
      return next(
        new StripeApiError(
          401,
          'invalid_request_error',
          `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
        ),
      );
    next();
  });
  app.use('/v1', idempotencyReplay(store));

  app.post('/v1/customers', (req, res) => {
    res.json(store.createCustomer({ email: req.body.email, name: req.body.name, metadata: req.body.metadata }));
  });
  app.get('/v1/customers/:id', (req, res) => res.json(store.customers.get(req.params.id) ?? fail(noSuch('customer', req.params.id))));
  app.get('/v1/prices/:id', (req, res) => res.json(store.prices.get(req.params.id) ?? fail(noSuch('price', req.params.id))));
  app.post('/v1/checkout/sessions', (req, res) => res.json(publicSession(createSession(store, req.body, `${req.protocol}://${req.get('host')}`))));
  app.get('/v1/checkout/sessions/:id', (req, res) => res.json(publicSession(requireSession(req.params.id))));
  app.post('/v1/billing_portal/sessions', (req, res) => res.json(createPortalSession(store, req.body, `${req.protocol}://${req.get('host')}`)));
  app.get('/v1/subscriptions/:id', (req, res) => res.json(requireSubscription(req.params.id)));
  app.post('/v1/subscriptions/:id', (req, res) => {
    const subscription = requireSubscription(req.params.id);
    if (subscription.status === 'canceled')
      fail(new StripeApiError(400, 'invalid_request_error', 'A canceled subscription can only update its cancellation_details and metadata.'));
    if (req.body.metadata) subscription.metadata = { ...subscription.metadata, ...req.body.metadata };
    if (req.body.cancel_at_period_end !== undefined) billing.setCancelAtPeriodEnd(subscription, req.body.cancel_at_period_end === 'true');
    res.json(subscription);
  });
  app.delete('/v1/subscriptions/:id', (req, res) => res.json(billing.cancelNow(requireSubscription(req.params.id))));
  app.get('/v1/subscriptions', (req, res) => {
    const customer = String(req.query.customer ?? '');
    const data = customer ? store.subscriptionsOf(customer) : [...store.subscriptions.values()];
    res.json({ object: 'list', data, has_more: false, url: '/v1/subscriptions' });
  });
  app.get('/v1/invoices/:id', (req, res) => res.json(store.invoices.get(req.params.id) ?? fail(noSuch('invoice', req.params.id))));
  app.get('/v1/events/:id', (req, res) => res.json(outbox.events.find((e) => e.id === req.params.id) ?? fail(noSuch('event', req.params.id))));

  app.use((req: Request, res: Response) => {
    sendStripeError(
      res,
      new StripeApiError(
        404,
        'invalid_request_error',
        `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      ),
    );
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof StripeApiError) return sendStripeError(res, error);
    sendStripeError(res, new StripeApiError(500, 'api_error', error instanceof Error ? error.message : 'An unknown error occurred'));
  });

  const sandbox: StripeSandbox = {
    name: 'stripe',
    app,
    faults,
    recorder,
    store,
    outbox,
    billing,
    credentials: { ...stripeSandboxCredentials },
    setWebhookTarget: (url) => outbox.setTarget(url),
    pay(sessionId, entry = {}) {
      return billing.completeCheckout(requireSession(sessionId), { ...defaultEntry, ...entry });
    },
    renew(subscriptionId, outcome = 'succeeded') {
      const subscription = requireSubscription(subscriptionId);
      billing.cardDeclines.set(subscriptionId, outcome === 'failed');
      return billing.renew(subscription);
    },
    exhaustRetries: (subscriptionId) => billing.exhaustRetries(requireSubscription(subscriptionId)),
  };
  return sandbox;
}

function fail(error: StripeApiError): never {
  throw error;
}

/** https://docs.stripe.com/api/idempotent_requests: same key and same parameters replay the first answer; other parameters are an error. */
function idempotencyReplay(store: StripeStore) {
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string') return next();
    const requestBody = JSON.stringify(req.body ?? {});
    const seen = store.idempotent.get(key);
    if (seen) {
      if (seen.requestBody !== requestBody)
        return next(
          new StripeApiError(
            400,
            'idempotency_error',
            `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
          ),
        );
      res.setHeader('idempotent-replayed', 'true');
      return res.status(seen.status).json(seen.body);
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode < 500) store.idempotent.set(key, { status: res.statusCode, body, requestBody });
      return json(body);
    };
    next();
  };
}

function createSession(store: StripeStore, body: Record<string, any>, baseUrl: string): StripeObject {
  if (!body.mode) throw missingParam('mode');
  if (body.mode !== 'subscription') throw invalidParam('mode', `The Stripe sandbox models mode=subscription only, not '${body.mode}'.`);
  if (!body.success_url) throw missingParam('success_url');
  const rawLines = body.line_items as Array<Record<string, string>> | undefined;
  if (!Array.isArray(rawLines) || rawLines.length === 0) throw missingParam('line_items');
  const lineItems = rawLines.map((line, i) => {
    if (!line.price) throw missingParam(`line_items[${i}][price]`);
    const price = store.prices.get(line.price) ?? fail(noSuch('price', line.price, `line_items[${i}][price]`));
    return { price: price.id as string, quantity: Number(line.quantity ?? 1), currency: price.currency as string };
  });
  const currencies = new Set(lineItems.map((l) => l.currency));
  if (currencies.size > 1) throw invalidParam('line_items', 'All prices on a Checkout Session must have the same currency.');
  if (body.customer && body.customer_email) throw invalidParam('customer_email', 'You may only specify one of these parameters: customer, customer_email.');
  if (body.customer && !store.customers.has(body.customer)) throw noSuch('customer', body.customer, 'customer');
  const trialEnd = body.subscription_data?.trial_end === undefined ? undefined : Number(body.subscription_data.trial_end);
  // Checkout's own rule (stripe-node 23 SessionCreateParams.SubscriptionData.trial_end): "Has to be at least 48 hours in the future."
  if (trialEnd !== undefined && (!Number.isInteger(trialEnd) || trialEnd < store.nowSeconds() + 48 * 3600)) {
    throw invalidParam('subscription_data[trial_end]', 'The `trial_end` date has to be at least 2 days in the future.');
  }
  const id = `cs_test_${stripeId('x', 58).slice(2)}`;
  const session = fromTemplate('checkout.session');
  Object.assign(session, {
    id,
    created: store.nowSeconds(),
    expires_at: store.nowSeconds() + 24 * 3600,
    mode: 'subscription',
    status: 'open',
    payment_status: 'unpaid',
    currency: [...currencies][0],
    customer: body.customer ?? null,
    customer_email: body.customer_email ?? null,
    customer_creation: body.customer ? null : 'always',
    customer_details: null,
    client_reference_id: body.client_reference_id ?? null,
    metadata: body.metadata ?? {},
    success_url: body.success_url,
    cancel_url: body.cancel_url ?? null,
    locale: body.locale ?? null,
    url: `${baseUrl}/c/pay/${id}`,
    automatic_tax: {
      enabled: body.automatic_tax?.enabled === 'true',
      liability: body.automatic_tax?.enabled === 'true' ? { type: 'self' } : null,
      status: body.automatic_tax?.enabled === 'true' ? 'requires_location_inputs' : null,
      provider: body.automatic_tax?.enabled === 'true' ? 'stripe' : null,
    },
    tax_id_collection: { enabled: body.tax_id_collection?.enabled === 'true', required: 'never' },
    billing_address_collection: body.billing_address_collection ?? null,
    payment_intent: null,
    subscription: null,
    invoice: null,
    invoice_creation: null,
    amount_subtotal: null,
    amount_total: null,
    total_details: null,
    after_expiration: null,
    shipping_address_collection: null,
    shipping_cost: null,
    currency_conversion: null,
    collected_information: null,
    payment_method_collection: 'always',
    _lineItems: lineItems,
    _trialEnd: trialEnd,
    _subscriptionMetadata: body.subscription_data?.metadata ?? {},
    _customerUpdate: body.customer_update ?? {},
    _taxIdCollection: body.tax_id_collection?.enabled === 'true',
  });
  store.sessions.set(id, session);
  return session;
}

function createPortalSession(store: StripeStore, body: Record<string, any>, baseUrl: string): StripeObject {
  if (!body.customer) throw missingParam('customer');
  if (!store.customers.has(body.customer)) throw noSuch('customer', body.customer, 'customer');
  const session = fromTemplate('billing_portal.session');
  const id = stripeId('bps');
  Object.assign(session, {
    id,
    customer: body.customer,
    created: store.nowSeconds(),
    livemode: false,
    flow: null,
    locale: body.locale ?? null,
    return_url: body.return_url ?? null,
    configuration: 'bpc_sandboxDefaultConfig',
    url: `${baseUrl}/p/session/${id}`,
  });
  store.portalSessions.set(id, session);
  return session;
}

function registerHostedPages(app: express.Express, store: StripeStore, billing: BillingEngine, requireSession: (id: string) => StripeObject): void {
  app.get('/c/pay/:id', (req, res) => {
    res.type('html').send(renderCheckoutPage(requireSession(req.params.id), store));
  });
  app.post('/c/pay/:id', (req, res) => {
    const session = requireSession(req.params.id);
    billing.completeCheckout(session, { ...defaultEntry, ...(req.body as Partial<CheckoutEntry>) });
    res.redirect(303, String(session.success_url).replace('{CHECKOUT_SESSION_ID}', session.id));
  });
  app.get('/p/session/:id', (req, res) => {
    const portal = store.portalSessions.get(req.params.id) ?? fail(noSuch('billing_portal.session', req.params.id));
    res.type('html').send(renderPortalPage(portal, store));
  });
  app.post('/p/session/:id/cancel/:subscription', (req, res) => {
    const portal = store.portalSessions.get(req.params.id) ?? fail(noSuch('billing_portal.session', req.params.id));
    const subscription = store.subscriptions.get(req.params.subscription);
    if (!subscription || subscription.customer !== portal.customer) fail(noSuch('subscription', req.params.subscription));
    billing.setCancelAtPeriodEnd(subscription, req.body.undo !== 'true');
    res.redirect(303, `/p/session/${portal.id}`);
  });
}
