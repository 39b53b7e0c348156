/**
 * Stands in for Lexware's webhook sender (accounting.md §1.8; spec callback `receiveWebhookEvent`):
 * each store change is POSTed as `{ organizationId, eventType, resourceId, eventDate }` to every
 * subscription of that type, signed in `X-Lxo-Signature` with this sandbox's own RSA key, never
 * blocking the API answer, and retried by the docs2025 "Delivery Failure Behavior" rules.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { lexTimestamp } from './clock';

export interface StoredSubscription {
  subscriptionId: string;
  organizationId: string;
  createdAtMs: number;
  eventType: string;
  callbackUrl: string;
}

/** One delivery attempt: the receiver's status, or `failed` when no answer came (refused, DNS, timeout). */
export interface EventDelivery {
  subscriptionId: string;
  eventType: string;
  resourceId: string;
  attempt: number;
  status: number | 'failed';
}

export interface LexofficeEventOptions {
  /** Wait before each retry. Lexware: 10, 20, 40, 80, 160 s, then 20 more every 2 h (§1.8); tests pass ms. */
  retryDelaysMs?: number[];
  /** Lexware's read timeout (§1.8). */
  deliveryTimeoutMs?: number;
  /** RSA key size; Lexware's key has 4096 bits, 2048 keeps sandbox start-up cheap. */
  modulusLength?: number;
}

const defaultRetryDelaysMs = [10_000, 20_000, 40_000, 80_000, 160_000];
/** §1.8: only these count as delivered. */
const delivered = new Set([200, 201, 202, 204]);
/** docs2025: retried for 401, 403, 429, 5xx and no answer; 404 too, and the subscription goes once retries are spent. */
const isRetryable = (status: number | 'failed') => status === 'failed' || status === 401 || status === 403 || status === 404 || status === 429 || status >= 500;

export class LexofficeEventHub {
  readonly subscriptions = new Map<string, StoredSubscription>();
  readonly deliveries: EventDelivery[] = [];
  private keys?: { privateKey: KeyObject; publicKeyPem: string };
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly organizationId: () => string,
    private readonly now: () => number,
    private readonly options: LexofficeEventOptions = {},
  ) {}

  /** PEM (SPKI) of the key that signs deliveries; made on first use so sandboxes without webhooks start fast. */
  get publicKeyPem(): string {
    return this.keyPair().publicKeyPem;
  }

  /** Queues a signed delivery to each subscription of `eventType`; returns at once. */
  emit(eventType: string, resourceId: string): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.eventType !== eventType) continue;
      // Compact JSON, as the docs describe the signed body ("without whitespace and linebreaks").
      const body = JSON.stringify({ organizationId: this.organizationId(), eventType, resourceId, eventDate: lexTimestamp(this.now()) });
      const delivery: Promise<void> = this.deliver(subscription, body, resourceId).finally(() => this.pending.delete(delivery));
      this.pending.add(delivery);
    }
  }

  /** Resolves once every queued delivery, retries included, has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async deliver(subscription: StoredSubscription, body: string, resourceId: string): Promise<void> {
    // docs "Verify Authenticity": base64 of an RSA signature with SHA-512 over the body as sent.
    const signature = createSign('RSA-SHA512').update(body).sign(this.keyPair().privateKey, 'base64');
    const retryDelaysMs = this.options.retryDelaysMs ?? defaultRetryDelaysMs;
    for (let attempt = 0; ; attempt++) {
      // A subscription deleted meanwhile gets nothing more.
      if (!this.subscriptions.has(subscription.subscriptionId)) return;
      const { status, isDnsFailure } = await this.post(subscription.callbackUrl, body, signature);
      this.deliveries.push({ subscriptionId: subscription.subscriptionId, eventType: subscription.eventType, resourceId, attempt, status });
      if (typeof status === 'number' && delivered.has(status)) return;
      // docs2025: 410 removes the subscription at once; 404 and DNS failures after the last retry.
      if (status === 410) return void this.subscriptions.delete(subscription.subscriptionId);
      if (!isRetryable(status) && !isDnsFailure) return;
      if (attempt >= retryDelaysMs.length) {
        if (status === 404 || isDnsFailure) this.subscriptions.delete(subscription.subscriptionId);
        return;
      }
      await delay(retryDelaysMs[attempt], undefined, { ref: false });
    }
  }

  private async post(url: string, body: string, signature: string): Promise<{ status: number | 'failed'; isDnsFailure: boolean }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'X-Lxo-Signature': signature },
        body,
        signal: AbortSignal.timeout(this.options.deliveryTimeoutMs ?? 5_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      return { status: response.status, isDnsFailure: false };
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return { status: 'failed', isDnsFailure: code === 'ENOTFOUND' || code === 'EAI_AGAIN' };
    }
  }

  private keyPair(): { privateKey: KeyObject; publicKeyPem: string } {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: this.options.modulusLength ?? 2048 });
      this.keys = { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    }
    return this.keys;
  }
}
