/**
 * The limits sevDesk documents, on both sides: list paging (`limit` 1–1000, sevDesk API news of
 * 11.03.2025), and no field length limits at all (none in its OpenAPI or news; provider.ts
 * `sevdeskFieldLimits`), so long German texts go through unshortened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createSevdeskProvider, sevdeskFieldLimits } from '../../src/accounting/sevdesk/provider';
import { silentLogger } from '../../src/logger';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { createsevdeskSandbox, type SevdeskSandbox } from '../../src/sandboxes/sevdesk/app';

const fast = { requests: 1000, perMs: 1000 };
let sandbox: SevdeskSandbox;
let running: RunningSandbox;

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(running.url + path, { headers: { authorization: sandbox.credentials.apiToken } });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  sandbox = createsevdeskSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
});
afterAll(() => running.close());

describe('sevDesk documented limits', () => {
  it("refuses a list limit outside 1–1000 with 400 and sevDesk's message, and pages within it", async () => {
    for (const limit of ['0', '1001', '10000', 'abc', '2.5']) {
      const refused = await get(`/Contact?limit=${limit}`);
      expect(refused.status, `limit=${limit}`).toBe(400);
      expect(refused.body).toEqual({
        error: { message: "Invalid 'limit' parameter. Please provide an integer value between 1 and 1000.", exceptionUUID: expect.any(String) },
      });
    }
    expect((await get('/Invoice?limit=1000')).status).toBe(200);
  });

  it('answers at most 100 contacts without a limit and walks pages with offset', async () => {
    for (let i = 0; i < 105; i++) {
      sandbox.store.contacts.set(`9${i}`, {
        id: `9${i}`,
        name: `Großhandel Nummer ${i} Süßwaren GmbH`,
        categoryId: '3',
        status: '100',
        createdMs: 0,
        updatedMs: 0,
      });
    }
    expect((await get('/Contact')).body.objects).toHaveLength(100);
    expect((await get('/Contact?limit=100&offset=100')).body.objects).toHaveLength(5);
  });

  it('has no documented field limit, so the provider fits nothing and sevDesk keeps long texts whole', async () => {
    expect(sevdeskFieldLimits).toEqual({ document: {}, customer: {} });
    const provider = createSevdeskProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: fast,
    });
    const companyName = 'Bäckerei Hölzl & Söhne Großhandel GmbH – Niederlassung Garmisch-Partenkirchen, Abteilung Rechnungswesen und Controlling'.repeat(3);
    const customer = await provider.createCustomer({ kind: 'company', companyName });
    expect(customer.companyName).toBe(companyName);
    const title = 'Website-Relaunch und Wartung Müller GmbH 2027 – Konzeption, Gestaltung, Umsetzung, Schulung der Redaktion';
    const lineName = 'Barrierefreie Umsetzung aller Vorlagen nach WCAG 2.2 AA inklusive Prüfung mit Screenreadern und Übergabe'.repeat(4);
    const created = await provider.createDocument({
      kind: 'invoice',
      customerId: customer.id,
      currency: 'EUR',
      priceBasis: 'net',
      date: '2026-03-02',
      title,
      lines: Array.from({ length: 120 }, (_, i) => ({ name: `${lineName} (${i + 1})`, quantity: '1', unitPrice: '12.50', taxRatePercent: '19' })),
      reference: 'apiup:limits:1',
      finalize: false,
    });
    const stored = sandbox.store.invoices.get(created.id);
    expect(stored?.header).toBe(title);
    expect(stored?.positions).toHaveLength(120);
    expect(stored?.positions[119].name).toBe(`${lineName} (120)`);
  });
});
