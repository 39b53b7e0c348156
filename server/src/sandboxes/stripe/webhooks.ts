/**
 * The Stripe sandbox's event destinations: every state change makes an Event object
 * (https://docs.stripe.com/api/events/object) and POSTs it, signed, to the registered endpoint.
 * Delivery is at least once and unordered in the real service (https://docs.stripe.com/webhooks#event-ordering),
 * so tests can hold events back, deliver them in any order and deliver one twice.
 */
import { createHmac } from 'node:crypto';
import { fromTemplate, stripeId, type StripeObject, type StripeStore } from './store';

/** The API version events are rendered in (the one stripe-node 23 pins). */
export const sandboxApiVersion = '2026-10-28.endive';

export interface Delivery {
  eventId: string;
  type: string;
  status: number | 'network_error';
}

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the endpoint secret>`
 * (https://docs.stripe.com/webhooks#verify-manually).
 */
export function signPayload(payload: string, secret: string, timestampSeconds: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${signature}`;
}

export class EventOutbox {
  readonly events: StripeObject[] = [];
  readonly deliveries: Delivery[] = [];
  private target: string | undefined;
  private held = false;
  private pending: StripeObject[] = [];
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StripeStore,
    readonly endpointSecret: string,
  ) {}

  setTarget(url: string | undefined): void {
    this.target = url;
  }

  /** Held events are kept until `release()`; tests use it to reorder or duplicate deliveries. */
  hold(): void {
    this.held = true;
  }

  /** The held events, oldest first. */
  heldEvents(): StripeObject[] {
    return [...this.pending];
  }

  /** Delivers held events in the given order (default: as created) and stops holding. */
  async release(order?: StripeObject[]): Promise<void> {
    const events = order ?? this.pending;
    this.pending = [];
    this.held = false;
    for (const event of events) await this.deliver(event);
  }

  /** Sends one event again, as Stripe does when a delivery was not acknowledged in time. */
  async redeliver(eventId: string): Promise<void> {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`stripe sandbox: no event ${eventId}`);
    await this.deliver(event);
  }

  /** Resolves when every event emitted so far has been sent (not held ones). */
  async settled(): Promise<void> {
    await this.sending;
  }

  emit(type: string, object: StripeObject, previousAttributes?: Record<string, unknown>): StripeObject {
    const event = fromTemplate('event');
    Object.assign(event, {
      id: stripeId('evt'),
      api_version: sandboxApiVersion,
      created: this.store.nowSeconds(),
      data: previousAttributes ? { object: structuredClone(object), previous_attributes: previousAttributes } : { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: this.target ? 1 : 0,
      request: { id: null, idempotency_key: null },
      type,
    });
    this.events.push(event);
    if (this.held) this.pending.push(event);
    else this.sending = this.sending.then(() => this.deliver(event));
    return event;
  }

  private async deliver(event: StripeObject): Promise<void> {
    if (!this.target) return;
    const payload = JSON.stringify(event, null, 2);
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': signPayload(payload, this.endpointSecret, this.store.nowSeconds()),
    };
    try {
      const response = await fetch(this.target, { method: 'POST', headers, body: payload });
      await response.arrayBuffer();
      this.deliveries.push({ eventId: event.id, type: event.type, status: response.status });
    } catch {
      this.deliveries.push({ eventId: event.id, type: event.type, status: 'network_error' });
    }
  }
}
