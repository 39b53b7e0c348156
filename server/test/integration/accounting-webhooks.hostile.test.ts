import { createHmac, timingSafeEqual } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AccountingConnections } from '../../src/accounting/connections';
import type { AccountingProvider, ProviderEvents } from '../../src/accounting/provider';
import { createApp } from '../../src/app';
import { accountingWebhookRoutes } from '../../src/http/routes/accounting-webhooks';
import { InvoiceRecords } from '../../src/invoicing/records';
import { silentLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

const qontoPortal = '24681357';
const otherPortal = '97531864';
const secretFor = (portalId: string) => `event-secret-${portalId}`;

/** A vendor that signs with our per-portal shared secret (HMAC-SHA256 over the raw body, hex). */
const events: ProviderEvents = {
  customerEvents: false,
  subscribe: async () => {},
  parse(rawBody, headers, secret) {
    const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'));
    const given = Buffer.from(headers['x-signature'] ?? '');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return { documentIds: [] };
  },
};

const databases = testDatabases();

const testDb = databases.fresh;

async function webhookApp() {
  const db = await testDb();
  const connections = {
    providerFor: (portalId: string) => (portalId === qontoPortal ? { id: 'qonto' as const, provider: { events } as unknown as AccountingProvider } : undefined),
  } as unknown as AccountingConnections;
  const checked: string[] = [];
  const router = accountingWebhookRoutes({
    connections,
    records: new InvoiceRecords(db),
    secretFor,
    checkPaymentNow: async (_p, dealId) => void checked.push(dealId),
    syncCustomerNow: async (_p, vendorId) => void checked.push(vendorId),
    log: silentLogger(),
  });
  return createApp({ db, log: silentLogger(), routers: [router] });
}

describe('POST /webhooks/accounting/:portal/:vendor without a valid signature', () => {
  const body = JSON.stringify({ event_type: 'v1.transaction.created', data: { id: 'tx-1', label: 'Bäckerei Hölzl & Söhne Großhandel GmbH' } });

  it('answers the same whether or not the portal uses that vendor', async () => {
    const app = await webhookApp();
    const answers = [];
    for (const [portalId, vendor] of [
      [qontoPortal, 'qonto'],
      [qontoPortal, 'lexoffice'],
      [otherPortal, 'qonto'],
      [otherPortal, 'sevdesk'],
    ]) {
      for (const signature of [undefined, 'f'.repeat(64)]) {
        const r = request(app).post(`/webhooks/accounting/${portalId}/${vendor}`).set('content-type', 'application/json');
        const response = await (signature ? r.set('x-signature', signature) : r).send(body);
        answers.push({ status: response.status, code: response.body.error?.code, message: response.body.error?.message });
      }
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('still accepts a correctly signed event for the portal that uses the vendor', async () => {
    const app = await webhookApp();
    const signature = createHmac('sha256', secretFor(qontoPortal)).update(body).digest('hex');
    await request(app)
      .post(`/webhooks/accounting/${qontoPortal}/qonto`)
      .set('content-type', 'application/json')
      .set('x-signature', signature)
      .send(body)
      .expect(200, { accepted: true });
  });
});
