/**
 * Signed webhook delivery as HubSpot does it (hubspot.md §3, §5): events are batched (≤ 100 per POST),
 * signed with X-HubSpot-Signature-v3 + X-HubSpot-Request-Timestamp (and the legacy v1 header), and retried
 * on non-2xx or no answer within 5 s, up to 10 times with growing randomised delays (scaled by
 * `retryDelayScale`, 0 in tests). Test switches: duplicate, reorder, dropFirstAttempt.
 */
import type { Logger } from 'pino';
import type { CrmChange } from './store';
import { defaultSubscriptions, eventsFor, type WebhookEvent, type WebhookSubscription } from './webhook-events';
import { signatureV1, signatureV3 } from './webhook-signature';

export interface WebhookSwitches {
  /** Every batch is POSTed twice (same eventIds, both attemptNumber 0). */
  duplicate: boolean;
  /** Events are shuffled across and within batches before sending. */
  reorder: boolean;
  /** The first attempt of every batch is lost (never reaches the target); the retry delivers it with attemptNumber 1. */
  dropFirstAttempt: boolean;
}

export interface WebhookDispatcherOptions {
  appId: number;
  clientSecret: string;
  targetUrl?: string;
  subscriptions?: WebhookSubscription[];
  maxEventsPerRequest?: number;
  timeoutMs?: number;
  maxRetries?: number;
  retryDelayScale?: number;
  now: () => number;
  random?: () => number;
  log: Logger;
}

export interface WebhookDeliveryRecord {
  attemptNumber: number;
  eventIds: number[];
  /** HTTP status of the target's answer; absent when dropped or failed. */
  status?: number;
  dropped?: boolean;
  error?: string;
}

const RETRY_BASE_MS = 60_000;
const RETRY_CAP_MS = 8 * 3_600_000;

export class WebhookDispatcher {
  targetUrl?: string;
  subscriptions: WebhookSubscription[];
  switches: WebhookSwitches = { duplicate: false, reorder: false, dropFirstAttempt: false };
  readonly deliveries: WebhookDeliveryRecord[] = [];
  private pending: WebhookEvent[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private nextEventId = 1_000_000 + Math.floor(Math.random() * 1_000_000);
  private readonly random: () => number;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.targetUrl = options.targetUrl;
    this.subscriptions = options.subscriptions ?? defaultSubscriptions;
    this.random = options.random ?? Math.random;
  }

  /** Store listener: queue the events this change produces and send them on the next tick. */
  handle(change: CrmChange): void {
    const events = eventsFor(change, this.subscriptions, this.options.appId, () => this.nextEventId++);
    if (events.length === 0 || !this.targetUrl) return;
    this.pending.push(...events);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.track(this.sendPending());
    }, 0);
  }

  /** Resolves once every queued event has been delivered or given up on, retries included. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0 || this.inflight.size > 0) {
      if (this.pending.length > 0) this.track(this.sendPending());
      await Promise.all([...this.inflight]);
    }
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
  }

  private async sendPending(): Promise<void> {
    let events = this.pending;
    this.pending = [];
    if (this.switches.reorder) events = this.shuffle(events);
    const size = this.options.maxEventsPerRequest ?? 100;
    let batches: WebhookEvent[][] = [];
    for (let i = 0; i < events.length; i += size) batches.push(events.slice(i, i + size));
    if (this.switches.duplicate) batches = batches.flatMap((b) => [b, [...b]]);
    if (this.switches.reorder) batches = this.shuffle(batches);
    // First attempts go out one after another so that, without `reorder`, the target sees HubSpot's order.
    for (const batch of batches) {
      const delivered = await this.attempt(batch, 0);
      if (!delivered) this.track(this.retry(batch, 1));
    }
  }

  private async retry(batch: WebhookEvent[], attemptNumber: number): Promise<void> {
    const maxRetries = this.options.maxRetries ?? 10;
    for (let attempt = attemptNumber; attempt <= maxRetries; attempt++) {
      await delay(this.retryDelayMs(attempt));
      if (await this.attempt(batch, attempt)) return;
    }
    this.options.log.warn({ eventIds: batch.map((e) => e.eventId) }, 'webhook batch given up after retries');
  }

  /** HubSpot spreads 10 retries over ~24 h with random delays; this doubles from 1 min, capped, with jitter. */
  private retryDelayMs(attempt: number): number {
    const scale = this.options.retryDelayScale ?? 1;
    if (scale === 0) return 0;
    const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
    return Math.round((ceiling / 2 + this.random() * (ceiling / 2)) * scale);
  }

  private async attempt(batch: WebhookEvent[], attemptNumber: number): Promise<boolean> {
    const eventIds = batch.map((e) => e.eventId);
    const url = this.targetUrl;
    if (!url) return true;
    if (this.switches.dropFirstAttempt && attemptNumber === 0) {
      this.deliveries.push({ attemptNumber, eventIds, dropped: true });
      return false;
    }
    const body = JSON.stringify(batch.map((e) => ({ ...e, attemptNumber })));
    const timestamp = this.options.now();
    const headers = {
      'content-type': 'application/json',
      'x-hubspot-request-timestamp': String(timestamp),
      'x-hubspot-signature-v3': signatureV3(this.options.clientSecret, 'POST', url, body, timestamp),
      'x-hubspot-signature': signatureV1(this.options.clientSecret, body),
      'x-hubspot-signature-version': 'v1',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (sandbox)',
    };
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000) });
      await response.arrayBuffer();
      this.deliveries.push({ attemptNumber, eventIds, status: response.status });
      return response.ok;
    } catch (error) {
      this.deliveries.push({ attemptNumber, eventIds, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  private shuffle<T>(items: T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
}

function delay(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
