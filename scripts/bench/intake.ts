/**
 * Webhook intake: signed batches of 100 HubSpot events. (1) Throughput: batches sent with a fixed
 * concurrency, events per second stored durably (committed before the 200). (2) Ack latency p99 at
 * a fixed request rate. The worker is off, so only intake is measured.
 */
import { count } from 'drizzle-orm';
import { webhookEvents } from '../../server/src/db/schema';
import { hubspotSignedHeaders } from '../../server/src/hubspot/signature';
import { startBenchApp } from './env';
import { percentile, round } from './stats';

export interface IntakeResult {
  batches: number;
  eventsPerBatch: number;
  eventsPerSecond: number;
  fixedRate: { requestsPerSecond: number; requests: number; p50Ms: number; p99Ms: number };
  storedEvents: number;
  /** Batches sent again after a connection failure (counted once each in eventsPerSecond). */
  redeliveries: number;
}

export async function benchIntake(options: {
  batches: number;
  concurrency: number;
  fixedRatePerSecond: number;
  fixedRateSeconds: number;
}): Promise<IntakeResult> {
  const app = await startBenchApp({ provider: 'none', timeScale: 1, startWorker: false });
  try {
    const url = `${app.url}/webhooks/hubspot`;
    const batch = webhookBatches(Number(app.portalId));
    // HubSpot delivers a batch again after a connection failure (hubspot.md §5 "Retries"); so does the
    // bench, counting it: an idle keep-alive connection closed by the server under load shows up here.
    let redeliveries = 0;
    const send = async (): Promise<number> => {
      const body = JSON.stringify(batch());
      const headers = hubspotSignedHeaders({ clientSecret: app.config.hubspot.clientSecret!, method: 'POST', url, body });
      const started = performance.now();
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await fetch(url, { method: 'POST', body, headers });
          await response.arrayBuffer();
          if (response.status !== 200) throw new Error(`intake answered ${response.status}`);
          return performance.now() - started;
        } catch (error) {
          if (!(error instanceof TypeError) || attempt >= 3) throw error;
          redeliveries++;
        }
      }
    };

    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next++ < options.batches) await send();
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const latencies: number[] = [];
    const requests = options.fixedRatePerSecond * options.fixedRateSeconds;
    const pending: Promise<void>[] = [];
    const interval = 1000 / options.fixedRatePerSecond;
    const t0 = performance.now();
    for (let i = 0; i < requests; i++) {
      const due = t0 + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(send().then((ms) => void latencies.push(ms)));
    }
    await Promise.all(pending);
    const storedEvents = Number((await app.db.select({ n: count() }).from(webhookEvents))[0].n);
    return {
      batches: options.batches,
      eventsPerBatch: 100,
      eventsPerSecond: round((options.batches * 100) / seconds, 0),
      fixedRate: { requestsPerSecond: options.fixedRatePerSecond, requests, p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) },
      storedEvents,
      redeliveries,
    };
  } finally {
    await app.close();
  }
}

/** Batches of 100 deal-stage events of one portal, each event new (ids count up across batches). */
export function webhookBatches(portalId: number): () => object[] {
  let eventId = 1;
  return () =>
    Array.from({ length: 100 }, () => {
      const id = eventId++;
      return {
        eventId: id,
        subscriptionId: 11,
        portalId,
        appId: 4242001,
        occurredAt: Date.now(),
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: 1_000_000 + id,
        changeSource: 'CRM_UI',
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
      };
    });
}
