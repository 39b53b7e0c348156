/**
 * A signed PDF link is a bearer link: whoever has it can open it for an hour. Opening it again serves the
 * PDF we fetched for it instead of calling the vendor with the customer's credentials every time, and a
 * document opened too often in a minute gets 429.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AccountingConnections } from '../../src/accounting/connections';
import { createApp } from '../../src/app';
import { FileLinks, fileRoutes } from '../../src/http/routes/files';
import type { InvoiceRecords } from '../../src/invoicing/records';
import { silentLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

const databases = testDatabases();

const testDb = databases.fresh;

async function setup() {
  let now = Date.UTC(2027, 2, 31, 9, 0, 0);
  const clock = () => now;
  const vendorCalls: string[] = [];
  const records = {
    get: (_portalId: string, dealId: string) => ({ documentId: `lx-${dealId}`, kind: 'invoice', documentNumber: `RE-2027-${dealId}` }),
  } as unknown as InvoiceRecords;
  const connections = {
    providerFor: () => ({
      id: 'lexoffice',
      provider: { fetchPdf: async (id: string) => (vendorCalls.push(id), Buffer.from(`%PDF-1.7 Rechnung ${id} Bäckerei Hölzl`)) },
    }),
  } as unknown as AccountingConnections;
  const links = new FileLinks(Buffer.alloc(32, 7), () => 'https://apiup.example', clock);
  const app = createApp({ db: await testDb(), log: silentLogger(), routers: [fileRoutes({ links, records, connections, now: clock })] });
  const open = (link: string) => request(app).get(link.replace('https://apiup.example', ''));
  return { links, open, vendorCalls, advance: (ms: number) => (now += ms) };
}

describe('signed PDF links', () => {
  it('fetch the PDF from the vendor once per link lifetime, then serve it from memory', async () => {
    const { links, open, vendorCalls, advance } = await setup();
    const link = links.pdfLink('24681357', '9001');
    for (let i = 0; i < 3; i++) {
      const answer = await open(link);
      expect(answer.status).toBe(200);
      expect(answer.body.toString()).toContain('%PDF-1.7 Rechnung lx-9001');
    }
    expect(vendorCalls).toEqual(['lx-9001']);
    // A new link after the first expired fetches anew.
    advance(61 * 60_000);
    expect((await open(link)).status).toBe(401);
    expect((await open(links.pdfLink('24681357', '9001'))).status).toBe(200);
    expect(vendorCalls).toEqual(['lx-9001', 'lx-9001']);
  });

  it('answer 429 once a document was opened 20 times in a minute', async () => {
    const { links, open, advance } = await setup();
    const link = links.pdfLink('24681357', '9002');
    for (let i = 0; i < 20; i++) expect((await open(link)).status).toBe(200);
    const refused = await open(link);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    advance(60_000);
    expect((await open(link)).status).toBe(200);
  });
});
