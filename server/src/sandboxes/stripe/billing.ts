/**
 * What Stripe Billing does behind the API in the sandbox: a paid Checkout Session becomes a customer
 * with a subscription and a first invoice; a renewal bills the next month, succeeding or failing; a
 * cancellation at period end runs out; each change emits the events Stripe documents for it
 * (https://docs.stripe.com/billing/subscriptions/webhooks). Amounts are integer minor units; VAT is
 * computed here with decimal.js as Stripe Tax would for a German seller.
 */
import Decimal from 'decimal.js';
import { fromTemplate, stripeId, type StripeObject, type StripeStore } from './store';
import type { EventOutbox } from './webhooks';

const monthSeconds = (start: number) => {
  const d = new Date(start * 1000);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return Math.floor(target.getTime() / 1000) - start;
};

const euCountries = new Set([
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
]);

/** What the buyer enters on the hosted Checkout page. */
export interface CheckoutEntry {
  email: string;
  /** Legal business name (shown once the buyer says they buy as a business). */
  businessName?: string;
  country: string;
  postalCode?: string;
  city?: string;
  line1?: string;
  /** EU VAT id, e.g. `ATU12345678`. */
  vatId?: string;
  /** `declined` makes the first charge fail (Stripe's test card 4000 0000 0000 0341 is declined after attaching). */
  card?: 'ok' | 'declined';
}

/**
 * VAT of a German seller registered with Stripe Tax: 19 % to German buyers; a business buyer in
 * another EU country with a VAT id pays none (reverse charge); outside the EU none is collected
 * (https://docs.stripe.com/tax/zero-tax). Tax is rounded half up to the cent per invoice line.
 */
export function taxFor(amount: number, customer: StripeObject): { amount: number; rate: string; reason: string } {
  const country = customer.address?.country as string | undefined;
  const hasVatId = (customer.tax_ids?.data?.length ?? 0) > 0;
  if (country === 'DE')
    return { amount: new Decimal(amount).mul('0.19').toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(), rate: '19.0', reason: 'standard_rated' };
  if (country && euCountries.has(country) && hasVatId) return { amount: 0, rate: '0.0', reason: 'reverse_charge' };
  if (country && euCountries.has(country))
    return { amount: new Decimal(amount).mul('0.19').toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(), rate: '19.0', reason: 'standard_rated' };
  return { amount: 0, rate: '0.0', reason: 'not_collecting' };
}

export class BillingEngine {
  /** Per subscription: whether the saved card pays (tests flip it to make a renewal fail). */
  readonly cardDeclines = new Map<string, boolean>();

  constructor(
    private readonly store: StripeStore,
    private readonly outbox: EventOutbox,
  ) {}

  /** The buyer completes Checkout: customer details saved, subscription started, first invoice issued. */
  completeCheckout(session: StripeObject, entry: CheckoutEntry): StripeObject {
    if (session.status !== 'open') throw new Error(`stripe sandbox: session ${session.id} is ${session.status}`);
    const now = this.store.nowSeconds();
    let customer = session.customer ? this.store.customers.get(session.customer) : undefined;
    if (!customer) {
      customer = this.store.createCustomer({ email: entry.email });
      this.outbox.emit('customer.created', customer);
    }
    const address = {
      city: entry.city ?? null,
      country: entry.country,
      line1: entry.line1 ?? null,
      line2: null,
      postal_code: entry.postalCode ?? null,
      state: null,
    };
    const previous = { address: customer.address, name: customer.name };
    if (session._customerUpdate?.address === 'auto' || !session.customer) customer.address = address;
    if (entry.businessName && (session._customerUpdate?.name === 'auto' || !session.customer)) customer.name = entry.businessName;
    const taxIds = entry.vatId && session._taxIdCollection ? [{ type: 'eu_vat', value: entry.vatId }] : [];
    if (taxIds.length > 0)
      customer.tax_ids = {
        object: 'list',
        data: taxIds.map((t) => ({
          id: stripeId('txi', 14),
          object: 'tax_id',
          ...t,
          country: entry.country,
          verification: { status: 'pending', verified_address: null, verified_name: null },
        })),
        has_more: false,
        url: `/v1/customers/${customer.id}/tax_ids`,
      };
    this.outbox.emit('customer.updated', customer, previous);

    const subscription = this.startSubscription(session, customer, now);
    this.cardDeclines.set(subscription.id, entry.card === 'declined');
    const invoice = this.issueInvoice(subscription, customer, 'subscription_create');
    const paid = this.collect(invoice, subscription);
    if (!paid) subscription.status = 'incomplete';

    Object.assign(session, {
      status: 'complete',
      payment_status: paid ? (invoice.amount_due === 0 ? 'no_payment_required' : 'paid') : 'unpaid',
      customer: customer.id,
      subscription: subscription.id,
      invoice: invoice.id,
      amount_subtotal: invoice.subtotal,
      amount_total: invoice.total,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: invoice.total - invoice.subtotal },
      customer_details: {
        address,
        email: entry.email,
        name: entry.businessName ?? null,
        phone: null,
        tax_exempt: 'none',
        tax_ids: taxIds,
        business_name: entry.businessName ?? null,
        individual_name: null,
      },
    });
    this.outbox.emit('customer.subscription.created', subscription);
    this.outbox.emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice);
    this.outbox.emit('checkout.session.completed', publicSession(session));
    return subscription;
  }

  /**
   * The period ended: a subscription set to cancel at period end is canceled; otherwise the next
   * month is invoiced and charged. A failed charge makes it `past_due` (Smart Retries keep trying).
   */
  renew(subscription: StripeObject): StripeObject {
    const item = subscription.items.data[0];
    const previous = { status: subscription.status, cancel_at_period_end: subscription.cancel_at_period_end };
    if (subscription.cancel_at_period_end || subscription.cancel_at !== null) {
      Object.assign(subscription, {
        status: 'canceled',
        ended_at: item.current_period_end,
        cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' },
      });
      this.outbox.emit('customer.subscription.deleted', subscription, previous);
      return subscription;
    }
    const start = item.current_period_end as number;
    for (const it of subscription.items.data) Object.assign(it, { current_period_start: start, current_period_end: start + monthSeconds(start) });
    const customer = this.store.customers.get(subscription.customer)!;
    const invoice = this.issueInvoice(subscription, customer, 'subscription_cycle');
    const paid = this.collect(invoice, subscription);
    subscription.status = paid ? 'active' : 'past_due';
    this.outbox.emit(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice);
    this.outbox.emit('customer.subscription.updated', subscription, previous);
    return subscription;
  }

  /**
   * Smart Retries used up: the subscription is canceled, the default setting under "Manage failed
   * payments" (https://docs.stripe.com/billing/revenue-recovery/smart-retries).
   */
  exhaustRetries(subscription: StripeObject): StripeObject {
    const previous = { status: subscription.status };
    Object.assign(subscription, {
      status: 'canceled',
      ended_at: this.store.nowSeconds(),
      canceled_at: this.store.nowSeconds(),
      cancellation_details: { comment: null, feedback: null, reason: 'payment_failed' },
    });
    this.outbox.emit('customer.subscription.deleted', subscription, previous);
    return subscription;
  }

  /** Retries the open invoice of a past-due subscription (after the customer updated the card). */
  retryPayment(subscription: StripeObject): StripeObject {
    const invoice = this.store.invoices.get(subscription.latest_invoice);
    if (!invoice || invoice.status !== 'open') return subscription;
    const previous = { status: subscription.status };
    const paid = this.collect(invoice, subscription);
    if (!paid) return subscription;
    subscription.status = 'active';
    this.outbox.emit('invoice.paid', invoice);
    this.outbox.emit('customer.subscription.updated', subscription, previous);
    return subscription;
  }

  /** Portal or API: cancel at period end (or undo it). */
  setCancelAtPeriodEnd(subscription: StripeObject, cancel: boolean): StripeObject {
    const previous = { cancel_at_period_end: subscription.cancel_at_period_end, cancel_at: subscription.cancel_at, canceled_at: subscription.canceled_at };
    const periodEnd = subscription.items.data[0].current_period_end as number;
    Object.assign(subscription, {
      cancel_at_period_end: cancel,
      cancel_at: cancel ? periodEnd : null,
      canceled_at: cancel ? this.store.nowSeconds() : null,
      cancellation_details: { comment: null, feedback: null, reason: cancel ? 'cancellation_requested' : null },
    });
    this.outbox.emit('customer.subscription.updated', subscription, previous);
    return subscription;
  }

  /** DELETE /v1/subscriptions/:id: ends it now. */
  cancelNow(subscription: StripeObject): StripeObject {
    const previous = { status: subscription.status };
    const now = this.store.nowSeconds();
    Object.assign(subscription, {
      status: 'canceled',
      canceled_at: now,
      ended_at: now,
      cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' },
    });
    this.outbox.emit('customer.subscription.deleted', subscription, previous);
    return subscription;
  }

  private startSubscription(session: StripeObject, customer: StripeObject, now: number): StripeObject {
    const trialEnd = session._trialEnd as number | undefined;
    const start = now;
    const periodEnd = trialEnd ?? start + monthSeconds(start);
    const subscription = fromTemplate('subscription');
    const id = stripeId('sub');
    Object.assign(subscription, {
      id,
      customer: customer.id,
      created: now,
      start_date: now,
      currency: session.currency,
      status: trialEnd ? 'trialing' : 'active',
      trial_start: trialEnd ? now : null,
      trial_end: trialEnd ?? null,
      billing_cycle_anchor: periodEnd,
      billing_cycle_anchor_config: null,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      metadata: session._subscriptionMetadata ?? {},
      automatic_tax: { enabled: session.automatic_tax.enabled, liability: session.automatic_tax.enabled ? { type: 'self' } : null, disabled_reason: null },
      default_payment_method: stripeId('pm'),
      discounts: [],
      next_pending_invoice_item_invoice: null,
      pause_collection: null,
      pending_invoice_item_interval: null,
      pending_update: null,
      schedule: null,
      test_clock: null,
      transfer_data: null,
      billing_thresholds: null,
      trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
      items: {
        object: 'list',
        has_more: false,
        url: `/v1/subscription_items?subscription=${id}`,
        data: (session._lineItems as Array<{ price: string; quantity: number }>).map((line) => {
          const price = structuredClone(this.store.prices.get(line.price)!);
          const template = fromTemplate('subscription');
          const item = template.items.data[0];
          return Object.assign(item, {
            id: stripeId('si', 14),
            created: now,
            subscription: id,
            price,
            quantity: line.quantity,
            plan: null,
            current_period_start: start,
            current_period_end: periodEnd,
            billing_thresholds: null,
          });
        }),
      },
    });
    this.store.subscriptions.set(id, subscription);
    return subscription;
  }

  private issueInvoice(subscription: StripeObject, customer: StripeObject, reason: 'subscription_create' | 'subscription_cycle'): StripeObject {
    const now = this.store.nowSeconds();
    const trialing = subscription.status === 'trialing' && reason === 'subscription_create';
    const lines = (subscription.items.data as StripeObject[]).map((item) => {
      const net = trialing ? 0 : new Decimal(item.price.unit_amount).mul(item.quantity).toNumber();
      return { item, net, tax: subscription.automatic_tax.enabled ? taxFor(net, customer) : { amount: 0, rate: '0.0', reason: 'not_collecting' } };
    });
    const subtotal = lines.reduce((sum, l) => sum.plus(l.net), new Decimal(0)).toNumber();
    const tax = lines.reduce((sum, l) => sum.plus(l.tax.amount), new Decimal(0)).toNumber();
    const invoice = fromTemplate('invoice');
    const id = stripeId('in');
    const template = invoice.lines.data[0];
    Object.assign(invoice, {
      id,
      account_country: 'DE',
      created: now,
      currency: subscription.currency,
      customer: customer.id,
      customer_address: customer.address,
      customer_email: customer.email,
      customer_name: customer.name,
      customer_tax_ids: (customer.tax_ids?.data ?? []).map((t: StripeObject) => ({ type: t.type, value: t.value })),
      billing_reason: reason,
      status: 'open',
      subtotal,
      subtotal_excluding_tax: subtotal,
      total_excluding_tax: subtotal,
      total: subtotal + tax,
      amount_due: subtotal + tax,
      amount_paid: 0,
      amount_remaining: subtotal + tax,
      attempt_count: 0,
      attempted: false,
      automatic_tax: { ...invoice.automatic_tax, enabled: subscription.automatic_tax.enabled, status: subscription.automatic_tax.enabled ? 'complete' : null },
      period_start: subscription.items.data[0].current_period_start,
      period_end: subscription.items.data[0].current_period_end,
      parent: { quote_details: null, subscription_details: { metadata: subscription.metadata, subscription: subscription.id }, type: 'subscription_details' },
      total_taxes: lines.map((l) => ({
        amount: l.tax.amount,
        tax_behavior: 'exclusive',
        tax_rate_details: null,
        taxability_reason: l.tax.reason,
        taxable_amount: l.net,
        type: 'tax_rate_details',
      })),
      lines: {
        object: 'list',
        has_more: false,
        url: `/v1/invoices/${id}/lines`,
        data: lines.map((l) => ({
          ...structuredClone(template),
          id: stripeId('il'),
          invoice: id,
          amount: l.net,
          currency: subscription.currency,
          description: `1 × ${l.item.price.nickname ?? l.item.price.product} (at ${l.item.price.unit_amount} / month)`,
          quantity: l.item.quantity,
          period: { start: subscription.items.data[0].current_period_start, end: subscription.items.data[0].current_period_end },
          subtotal: l.net,
          parent: {
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: subscription.id,
              subscription_item: l.item.id,
            },
            type: 'subscription_item_details',
          },
        })),
      },
      status_transitions: { finalized_at: now, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    });
    this.store.invoices.set(id, invoice);
    subscription.latest_invoice = id;
    return invoice;
  }

  private collect(invoice: StripeObject, subscription: StripeObject): boolean {
    if (invoice.amount_due === 0 || !this.cardDeclines.get(subscription.id)) {
      Object.assign(invoice, {
        status: 'paid',
        amount_paid: invoice.amount_due,
        amount_remaining: 0,
        attempted: true,
        attempt_count: invoice.amount_due === 0 ? 0 : invoice.attempt_count + 1,
      });
      invoice.status_transitions.paid_at = this.store.nowSeconds();
      return true;
    }
    Object.assign(invoice, { attempted: true, attempt_count: invoice.attempt_count + 1, next_payment_attempt: this.store.nowSeconds() + 3 * 86_400 });
    return false;
  }
}

/** A session as the API returns it (the sandbox keeps request details under `_` keys). */
export function publicSession(session: StripeObject): StripeObject {
  return Object.fromEntries(Object.entries(session).filter(([key]) => !key.startsWith('_')));
}
