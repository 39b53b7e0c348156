/**
 * Prometheus metrics (`GET /metrics`): jobs by state, webhook events, vendor calls and 429s by
 * vendor, and the closed-won → invoice latency. One registry per running app, no globals.
 */
import { Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VendorObserver } from './accounting/http';
import { count } from 'drizzle-orm';
import type { Db } from './db/client';
import { jobs } from './db/schema';

export class Metrics {
  readonly registry = new Registry();
  readonly webhookEvents = new Counter({
    name: 'apiup_webhook_events_total',
    help: 'HubSpot webhook events by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly vendorRequests = new Counter({
    name: 'apiup_vendor_requests_total',
    help: 'Requests to accounting APIs by vendor and status class',
    labelNames: ['provider', 'status'],
    registers: [this.registry],
  });
  readonly vendorRateLimited = new Counter({
    name: 'apiup_vendor_rate_limited_total',
    help: '429 answers from accounting APIs',
    labelNames: ['provider'],
    registers: [this.registry],
  });
  readonly invoiceLatency = new Histogram({
    name: 'apiup_invoice_latency_seconds',
    help: 'From the deal entering a won stage (event time) to the invoice existing and written back',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  constructor(db: Db) {
    collectDefaultMetrics({ register: this.registry, prefix: 'apiup_' });
    new Gauge({
      name: 'apiup_jobs',
      help: 'Jobs in the durable queue by state',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const rows = await db.select({ state: jobs.state, n: count() }).from(jobs).groupBy(jobs.state);
        this.reset();
        for (const row of rows) this.set({ state: row.state }, Number(row.n));
      },
    });
  }

  readonly observeVendor: VendorObserver = ({ provider, status }) => {
    this.vendorRequests.inc({ provider, status: status === 0 ? 'none' : `${Math.floor(status / 100)}xx` });
    if (status === 429) this.vendorRateLimited.inc({ provider });
  };

  routes(): Router {
    const router = Router();
    router.get('/metrics', async (_req, res) => {
      res.type(this.registry.contentType).send(await this.registry.metrics());
    });
    return router;
  }
}
