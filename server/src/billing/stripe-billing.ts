/**
 * Payment through Stripe Billing with the official stripe-node SDK: one Stripe customer per portal,
 * one subscription per package (each package has its own trial end and is cancelled on its own; the
 * customer portal cancels whole subscriptions, https://docs.stripe.com/customer-management/configure-portal),
 * hosted Checkout in subscription mode with automatic tax and VAT id collection, the customer portal
 * for card, invoices and cancellation, and reading a subscription back for our package state.
 */
import { eq } from 'drizzle-orm';
import Stripe from 'stripe';
import type { DbOrTx } from '../db/client';
import { billingCustomers, type PackageId } from '../db/schema';
import { ensurePortal, type PaidSubscription, type Subscriptions } from './subscriptions';

export interface StripeBillingConfig {
  secretKey: string;
  /** Default https://api.stripe.com; sandbox mode: the Stripe emulator. */
  apiBaseUrl: string;
  /** Stripe price id (monthly, EUR) of each package. */
  priceIds: Record<PackageId, string>;
  /** Where Checkout and the portal send the buyer back. */
  returnUrl: string;
}

/** Checkout refuses a trial end less than 48 hours ahead (Checkout Session `subscription_data.trial_end`). */
const minTrialMs = 48 * 3_600_000;

export class StripeBilling {
  readonly stripe: Stripe;

  constructor(
    private readonly config: StripeBillingConfig,
    private readonly db: DbOrTx,
    private readonly subscriptions: Subscriptions,
    private readonly now: () => number = Date.now,
  ) {
    const url = new URL(config.apiBaseUrl);
    this.stripe = new Stripe(config.secretKey, {
      host: url.hostname,
      port: url.port || (url.protocol === 'http:' ? 80 : 443),
      protocol: url.protocol === 'http:' ? 'http' : 'https',
      maxNetworkRetries: 2,
      timeout: 30_000,
      appInfo: { name: 'APIUP' },
    });
  }

  /** The portal's Stripe customer, made once (the idempotency key keeps a retried create from making two). */
  async customerFor(portalId: string): Promise<string> {
    const [existing] = await this.db.select().from(billingCustomers).where(eq(billingCustomers.portalId, portalId)).limit(1);
    if (existing) return existing.stripeCustomerId;
    const customer = await this.stripe.customers.create({ metadata: { portal_id: portalId } }, { idempotencyKey: `apiup-customer-${portalId}` });
    await ensurePortal(this.db, portalId, this.now());
    await this.db.insert(billingCustomers).values({ portalId, stripeCustomerId: customer.id, createdAt: this.now() }).onConflictDoNothing();
    const [stored] = await this.db.select().from(billingCustomers).where(eq(billingCustomers.portalId, portalId)).limit(1);
    return stored.stripeCustomerId;
  }

  async portalOfCustomer(customerId: string): Promise<string | undefined> {
    const [row] = await this.db.select().from(billingCustomers).where(eq(billingCustomers.stripeCustomerId, customerId)).limit(1);
    return row?.portalId;
  }

  /**
   * A hosted Checkout Session for one package: its monthly price, free until the package's trial
   * ends (if that is still 48 hours away), VAT by Stripe Tax, the VAT id collected for B2B.
   */
  async checkout(portalId: string, packageId: PackageId, locale: 'de' | 'en'): Promise<{ packageId: PackageId; url: string }> {
    const trial = (await this.subscriptions.list(portalId)).find((p) => p.packageId === packageId)?.state;
    const trialEndsAt = trial?.state === 'trial' ? trial.trialEndsAt : undefined;
    const customer = await this.customerFor(portalId);
    const session = await this.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer,
      client_reference_id: portalId,
      line_items: [{ price: this.config.priceIds[packageId], quantity: 1 }],
      subscription_data: {
        metadata: { portal_id: portalId, package_id: packageId },
        ...(trialEndsAt && trialEndsAt - this.now() >= minTrialMs ? { trial_end: Math.floor(trialEndsAt / 1000) } : {}),
      },
      automatic_tax: { enabled: true },
      tax_id_collection: { enabled: true },
      // Stripe Tax needs the buyer's address on the customer; Checkout saves the one entered there.
      customer_update: { address: 'auto', name: 'auto' },
      billing_address_collection: 'required',
      locale,
      metadata: { portal_id: portalId, package_id: packageId },
      success_url: `${this.config.returnUrl}?checkout=success`,
      cancel_url: `${this.config.returnUrl}?checkout=cancelled`,
    });
    if (!session.url) throw new Error('Stripe returned a Checkout Session without a URL');
    return { packageId, url: session.url };
  }

  /** A customer-portal session: card, invoices, cancellation (to the end of the paid period). */
  async portal(portalId: string, locale: 'de' | 'en'): Promise<{ url: string }> {
    const customer = await this.customerFor(portalId);
    const session = await this.stripe.billingPortal.sessions.create({ customer, return_url: this.config.returnUrl, locale });
    return { url: session.url };
  }

  /** Cancels the package's subscription at the end of the paid period (the webhook then records it). */
  async cancelAtPeriodEnd(portalId: string, packageId: PackageId): Promise<boolean> {
    const subscriptionId = await this.subscriptions.stripeSubscriptionOf(portalId, packageId);
    if (!subscriptionId) return false;
    await this.stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    return true;
  }

  /** The subscription as Stripe has it now, with the portal and package it pays for. */
  async fetchSubscription(subscriptionId: string): Promise<{ portalId?: string; packageId?: string; paid: PaidSubscription; customerId: string }> {
    const s = await this.stripe.subscriptions.retrieve(subscriptionId);
    // Since API version 2025-03-31 the billing period lives on the subscription items.
    const periodEnd = Math.max(...s.items.data.map((item) => item.current_period_end));
    return {
      portalId: s.metadata.portal_id,
      packageId: s.metadata.package_id,
      customerId: typeof s.customer === 'string' ? s.customer : s.customer.id,
      paid: {
        subscriptionId: s.id,
        status: s.status,
        periodEndsAt: (s.cancel_at ?? periodEnd) * 1000,
        cancelAtPeriodEnd: s.cancel_at_period_end || s.cancel_at !== null,
      },
    };
  }

  /** Checks a webhook's `Stripe-Signature` (HMAC and a 5-minute timestamp window) and parses it. */
  verifyEvent(rawBody: Buffer, signature: string, secret: string): Stripe.Event {
    return this.stripe.webhooks.constructEvent(rawBody, signature, secret, 300);
  }
}
