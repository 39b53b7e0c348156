/**
 * Two APIUP instances on one PostgreSQL database (issue 16): the webhook intake, the queue and
 * exactly-once invoicing hold across processes-worth of state — two apps with their own pools, workers
 * and in-process locks, sharing only the database and the outside services (the sandboxes).
 * Runs in the `postgres` project; SQLite is one process per file by design.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { dealInvoices } from '../../src/db/schema';
import { signRequestV3 } from '../../src/hubspot/signature';
import { silentLogger } from '../../src/logger';
import { startApiup, type RunningApiup } from '../../src/runtime';
import { liveEnvFor, sandboxApp, startSandboxes, type SandboxSet } from '../../src/sandbox-mode';
import { HubspotUser } from '../helpers/hubspot-user';
import { createTestPostgresDatabase, testEngine, type TestPostgresDatabase } from '../helpers/postgres';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';
import { eq } from 'drizzle-orm';

describe.runIf(testEngine() === 'postgres')('two instances on one PostgreSQL', () => {
  let database: TestPostgresDatabase;
  let sandboxes: SandboxSet;
  let dir: string;
  let a: RunningApiup;
  let b: RunningApiup;
  let user: HubspotUser;
  let vendor: VendorProbe;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;
  let portalId: string;
  let eventSeq = 5000;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    dir = mkdtempSync(join(tmpdir(), 'apiup-two-'));
    sandboxes = await startSandboxes(loadConfig({ RATE_LIMIT_TIME_SCALE: '0.1', LOG_LEVEL: 'silent' }), silentLogger());
    const hubspotUrl = sandboxes.list()[0].url;
    const env = {
      ...liveEnvFor(sandboxes),
      ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      PUBLIC_BASE_URL: 'http://127.0.0.1:9',
      DATA_DIR: dir,
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '4',
      PORT: '0',
      QUEUE_POLL_MS: '20',
      QUEUE_CONCURRENCY: '4',
      RATE_LIMIT_TIME_SCALE: '0.1',
      INVOICE_PAYMENT_POLL_MS: String(60 * 60_000),
      LOG_LEVEL: 'silent',
    };
    // Started together: both migrate the empty database at once (the advisory lock lets one do it).
    [a, b] = await Promise.all([startApiup(loadConfig(env), silentLogger()), startApiup(loadConfig(env), silentLogger())]);
    sandboxes.hubspot.setWebhookTarget(undefined);

    const install = sandboxes.hubspot.installDemoPortal(40_000_001);
    portalId = String(install.portalId);
    await a.services.hubspot.tokens.store(portalId, {
      accessToken: install.accessToken,
      refreshToken: install.refreshToken,
      expiresAt: Date.now() + 30 * 60_000,
      scopes: [],
    });
    vendor = vendorProbe(sandboxes, 'sevdesk');
    await b.services.connections.connect(portalId, 'sevdesk', vendor.credentials);
    await a.services.subscriptions.activate(portalId, 'business_plus');
    // Exactly-once is under test, with ordinary invoices (e-invoices: einvoice.e2e.test.ts).
    await b.services.settings.save(portalId, await b.services.settings.prepare(portalId, { invoice: { eInvoiceForBusinessCustomers: false } }));
    user = new HubspotUser(sandboxes.hubspot, hubspotUrl, portalId, install.accessToken);
    pipeline = await user.createPipeline();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await sandboxes?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function deliver(instance: RunningApiup, events: unknown[]): Promise<number> {
    const url = `${instance.config.publicBaseUrl}/webhooks/hubspot`;
    const body = JSON.stringify(events);
    const timestamp = String(Date.now());
    const signature = signRequestV3({ clientSecret: instance.config.hubspot.clientSecret!, method: 'POST', url, body, timestamp });
    const response = await fetch(`${instance.url}/webhooks/hubspot`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    });
    return response.status;
  }

  function won(dealId: string, eventId = eventSeq++) {
    return {
      eventId,
      subscriptionId: 77,
      portalId: Number(portalId),
      appId: Number(sandboxApp.appId),
      occurredAt: Date.now(),
      subscriptionType: 'deal.propertyChange',
      attemptNumber: 0,
      objectId: Number(dealId),
      changeSource: 'CRM_UI',
      propertyName: 'dealstage',
      propertyValue: pipeline.wonStageId,
    };
  }

  it('makes exactly one invoice per deal when both instances receive every webhook, twice, at once', async () => {
    const before = vendor.documentCount();
    const deals = [];
    for (let i = 0; i < 8; i++) {
      deals.push(
        await user.createDeal({
          pipelineId: pipeline.pipelineId,
          stageId: pipeline.wonStageId,
          company: { name: `Großhandel Weißenbürger & Söhne Nr. ${i} GmbH` },
          lineItems: [
            { name: 'Beratung Datenschutz-Grundverordnung', quantity: '3', price: '149.90' },
            { name: 'Schulung Mitarbeitende (Präsenz)', quantity: '1', price: '1249.00' },
          ],
        }),
      );
    }
    const statuses = await Promise.all(
      deals.flatMap((deal) => {
        const event = won(deal.dealId);
        // The same event (HubSpot retries) and a second event id for the same change, to both instances.
        return [deliver(a, [event]), deliver(b, [event]), deliver(a, [won(deal.dealId)]), deliver(b, [won(deal.dealId)])];
      }),
    );
    expect(statuses.every((status) => status === 204 || status === 200)).toBe(true);
    for (const deal of deals) {
      const job = await b.queue.waitFor(`invoice:${portalId}:${deal.dealId}`, ['succeeded', 'dead'], 30_000);
      expect(job.state, job.lastError?.message).toBe('succeeded');
    }
    expect(vendor.documentCount() - before).toBe(deals.length);
    const records = await a.db.select().from(dealInvoices).where(eq(dealInvoices.portalId, portalId));
    expect(records).toHaveLength(deals.length);
    expect(new Set(records.map((r) => r.documentId)).size).toBe(deals.length);
    for (const record of records) expect(['created', 'sent']).toContain(record.status);
  });

  it('runs a job one instance accepted on the other instance while the first works no jobs', async () => {
    await a.worker.stop();
    try {
      const before = vendor.documentCount();
      const deal = await user.createDeal({
        pipelineId: pipeline.pipelineId,
        stageId: pipeline.wonStageId,
        company: { name: 'Müller-Lüdenscheidt Landmaschinen KG' },
        lineItems: [{ name: 'Wartungsvertrag Mähdrescher', quantity: '12', price: '89.50' }],
      });
      expect(await deliver(a, [won(deal.dealId)])).toBeLessThan(300);
      const job = await a.queue.waitFor(`invoice:${portalId}:${deal.dealId}`, ['succeeded', 'dead'], 30_000);
      expect(job.state, job.lastError?.message).toBe('succeeded');
      expect(vendor.documentCount() - before).toBe(1);
    } finally {
      a.worker.start();
    }
  });
});
