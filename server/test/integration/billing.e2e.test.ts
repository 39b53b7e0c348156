/**
 * The booking flow end to end in sandbox mode: settings page → Stripe Checkout (sandbox) → pay →
 * signed webhooks → our queue → package state and features; renewals, failures, grace, cancellation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Subscriptions } from '../../src/billing/subscriptions';
import { signPayload } from '../../src/sandboxes/stripe/webhooks';
import { startTestApiup, type TestApiup } from '../helpers/apiup';

let apiup: TestApiup;
const day = 86_400_000;

beforeEach(async () => {
  apiup = await startTestApiup({ SANDBOX_DEMO_PROVIDER: 'none', BILLING_GRACE_DAYS: '7' });
});
afterEach(async () => {
  await apiup.stop();
});

const stripe = () => apiup.sandboxes!.stripe.sandbox;
const portalId = () => apiup.sandboxes!.demo!.portalId;

async function settled(): Promise<void> {
  await stripe().outbox.settled();
  for (const job of (await apiup.queue.list({ portalId: portalId(), limit: 200 })).filter((j) => j.name === 'billing.sync-subscription')) {
    await apiup.queue.waitFor(job.id, ['succeeded', 'dead']);
  }
}

async function book(...packageIds: string[]): Promise<string[]> {
  const response = await apiup.signedFetch('/api/v1/settings/billing/checkout', { method: 'POST', body: { packageIds, locale: 'de' } });
  expect(response.status).toBe(200);
  const { sessions } = (await response.json()) as { sessions: Array<{ packageId: string; url: string }> };
  return sessions.map((s) => s.url.split('/').pop()!);
}

async function packageState(packageId: string) {
  const settings = (await (await apiup.signedFetch('/api/v1/settings')).json()) as {
    packages: Array<{ id: string; state: { state: string; graceEndsAt?: number; periodEndsAt?: number } }>;
    features: Record<string, boolean>;
  };
  return { state: settings.packages.find((p) => p.id === packageId)!.state, features: settings.features };
}

describe('billing through Stripe (sandbox)', () => {
  it('books an expired trial through Checkout: only the paid webhook turns features on', async () => {
    const [session] = await book('invoicing');
    expect((await packageState('invoicing')).features.invoicing).toBe(false);
    stripe().pay(session, { country: 'DE' });
    await settled();
    const after = await packageState('invoicing');
    expect(after.state.state).toBe('active');
    expect(after.features.invoicing).toBe(true);
  });

  it('keeps the remaining trial days as the Stripe trial', async () => {
    await apiup.services.subscriptions.activate(portalId(), 'sync');
    const [session] = await book('sync');
    const subscription = stripe().pay(session);
    expect(subscription.status).toBe('trialing');
    const trialEndsAt = ((await apiup.services.subscriptions.list(portalId())).find((p) => p.packageId === 'sync')!.state as { trialEndsAt?: number })
      .trialEndsAt;
    expect(subscription.trial_end).toBe(Math.floor(trialEndsAt! / 1000));
  });

  it('a failed renewal makes the package past due, working through the grace period, then expired', async () => {
    const [session] = await book('invoicing');
    const subscription = stripe().pay(session);
    await settled();
    stripe().renew(subscription.id, 'failed');
    await settled();
    const pastDue = await packageState('invoicing');
    expect(pastDue.state.state).toBe('past_due');
    expect(pastDue.features.invoicing).toBe(true);
    const later = new Subscriptions(apiup.db, () => Date.now() + 8 * day, 7 * day);
    expect((await later.features(portalId())).invoicing).toBe(false);
    expect((await later.list(portalId())).find((p) => p.packageId === 'invoicing')!.state.state).toBe('expired');
    stripe().exhaustRetries(subscription.id);
    await settled();
    expect((await packageState('invoicing')).state.state).toBe('expired');
  });

  it('a cancellation runs to the end of the paid period', async () => {
    const [session] = await book('invoicing');
    const subscription = stripe().pay(session);
    await settled();
    const response = await apiup.signedFetch('/api/v1/settings/packages/invoicing/cancel', { method: 'POST' });
    expect(response.status).toBe(200);
    await settled();
    const cancelled = await packageState('invoicing');
    expect(cancelled.state).toEqual({ state: 'cancelled_until', periodEndsAt: subscription.items.data[0].current_period_end * 1000 });
    expect(cancelled.features.invoicing).toBe(true);
    stripe().renew(subscription.id);
    await settled();
    expect((await packageState('invoicing')).features.invoicing).toBe(false);
  });

  it('books two packages at once, as two subscriptions of one customer', async () => {
    const sessions = await book('invoicing', 'sync');
    expect(sessions).toHaveLength(2);
    const [a, b] = sessions.map((s) => stripe().pay(s));
    expect(a.customer).toBe(b.customer);
    await settled();
    expect((await packageState('sync')).features).toMatchObject({ invoicing: true, sync: true });
  });

  it('duplicated and reordered webhooks change nothing twice', async () => {
    const [session] = await book('invoicing');
    stripe().outbox.hold();
    const subscription = stripe().pay(session);
    stripe().billing.setCancelAtPeriodEnd(subscription, true);
    const events = stripe().outbox.heldEvents();
    await stripe().outbox.release([...events].reverse());
    for (const event of events) await stripe().outbox.redeliver(event.id);
    await settled();
    const jobs = (await apiup.queue.list({ portalId: portalId(), limit: 200 })).filter((j) => j.name === 'billing.sync-subscription');
    const deliveries = stripe().outbox.deliveries.filter((d) => d.status === 200);
    expect(deliveries).toHaveLength(events.length * 2);
    expect(jobs.length).toBeLessThanOrEqual(events.filter((e) => e.type !== 'customer.updated').length);
    expect((await packageState('invoicing')).state.state).toBe('cancelled_until');
  });

  it('answers a forged webhook with 400 and changes nothing', async () => {
    const [session] = await book('invoicing');
    stripe().outbox.hold();
    stripe().pay(session);
    const event = stripe()
      .outbox.heldEvents()
      .find((e) => e.type === 'customer.subscription.created')!;
    const body = JSON.stringify(event);
    const forged = await fetch(`${apiup.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(body, 'whsec_guessed', Math.floor(Date.now() / 1000)) },
      body,
    });
    expect(forged.status).toBe(400);
    const stale = await fetch(`${apiup.url}/webhooks/stripe`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signPayload(body, stripe().credentials.webhookSecret!, Math.floor(Date.now() / 1000) - 3600),
      },
      body,
    });
    expect(stale.status).toBe(400);
    expect((await packageState('invoicing')).features.invoicing).toBe(false);
    expect((await apiup.queue.list({ portalId: portalId(), limit: 50 })).filter((j) => j.name === 'billing.sync-subscription')).toHaveLength(0);
  });

  it('links the customer portal', async () => {
    const response = await apiup.signedFetch('/api/v1/settings/billing/portal', { method: 'POST', body: { locale: 'de' } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { url: string }).url).toMatch(/\/p\/session\/bps_/);
  });
});
