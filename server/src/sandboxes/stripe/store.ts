/**
 * In-memory state of the Stripe sandbox: prices, customers, Checkout Sessions, subscriptions,
 * invoices and portal sessions, each kept as the JSON object Stripe returns. New objects are clones
 * of Stripe's published example objects (fixtures/objects.json), so every key, type and null is
 * Stripe's own; only the fields the sandbox models are set.
 */
import { randomBytes } from 'node:crypto';
import objectFixtures from './fixtures/objects.json';

const templates = objectFixtures as unknown as Record<string, Record<string, unknown>>;

export type StripeObject = Record<string, any>;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Stripe ids: a prefix and a random base62 tail (`cus_QXg1o8vcGmoR32`, `sub_1Pgc6rB7WZ01zgkWNy0Cn5nw`). */
export function stripeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let tail = '';
  for (const byte of bytes) tail += alphabet[byte % alphabet.length];
  return `${prefix}_${tail}`;
}

/** A fresh copy of Stripe's example object of this type. */
export function fromTemplate(type: 'checkout.session' | 'subscription' | 'customer' | 'billing_portal.session' | 'invoice' | 'event' | 'price'): StripeObject {
  return structuredClone(templates[type]) as StripeObject;
}

export interface SandboxPrice {
  id: string;
  product: string;
  /** Minor units (cents), as Stripe's `unit_amount`. */
  unitAmount: number;
  currency: string;
  nickname?: string;
}

export class StripeStore {
  readonly prices = new Map<string, StripeObject>();
  readonly customers = new Map<string, StripeObject>();
  readonly sessions = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeObject>();
  readonly portalSessions = new Map<string, StripeObject>();
  /** Idempotency-Key → the first answer (Stripe replays it for 24 hours). */
  readonly idempotent = new Map<string, { status: number; body: unknown; requestBody: string }>();

  constructor(readonly now: () => number) {}

  /** Seconds, as every Stripe timestamp. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  addPrice(price: SandboxPrice): StripeObject {
    const object = fromTemplate('price');
    Object.assign(object, {
      id: price.id,
      product: price.product,
      unit_amount: price.unitAmount,
      unit_amount_decimal: String(price.unitAmount),
      currency: price.currency,
      nickname: price.nickname ?? null,
      created: this.nowSeconds(),
      tax_behavior: 'exclusive',
      transform_quantity: null,
      recurring: { interval: 'month', interval_count: 1, meter: null, usage_type: 'licensed', trial_period_days: null },
    });
    this.prices.set(price.id, object);
    return object;
  }

  createCustomer(fields: { email?: string | null; name?: string | null; metadata?: Record<string, string> }): StripeObject {
    const object = fromTemplate('customer');
    Object.assign(object, {
      id: stripeId('cus', 14),
      created: this.nowSeconds(),
      email: fields.email ?? null,
      name: fields.name ?? null,
      metadata: fields.metadata ?? {},
      currency: null,
      discount: null,
      invoice_prefix: randomBytes(4).toString('hex').slice(0, 7).toUpperCase(),
      address: null,
      shipping: null,
    });
    this.customers.set(object.id as string, object);
    return object;
  }

  subscriptionsOf(customerId: string): StripeObject[] {
    return [...this.subscriptions.values()].filter((s) => s.customer === customerId);
  }
}
