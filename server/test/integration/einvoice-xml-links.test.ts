/**
 * The signed e-invoice XML link of the deal card: it opens only the XML of that portal's deal, only where an
 * e-invoice with a separate XML was made, and fetches the XML from the vendor once per link lifetime.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AccountingConnections } from '../../src/accounting/connections';
import { createApp } from '../../src/app';
import { FileLinks, fileRoutes } from '../../src/http/routes/files';
import type { InvoiceRecords } from '../../src/invoicing/records';
import { silentLogger } from '../../src/logger';
import { testDatabases } from '../helpers/db';

const portalA = '24681357';
const portalB = '97531864';
const xrechnung =
  '<?xml version="1.0" encoding="UTF-8"?><ubl:Invoice><cbc:BuyerReference>04011000-1234512345-35</cbc:BuyerReference><cbc:Name>Bäckerei Hölzl &amp; Söhne</cbc:Name></ubl:Invoice>';

const databases = testDatabases();

const testDb = databases.fresh;

async function setup() {
  const clock = () => Date.UTC(2027, 0, 15, 9, 0, 0);
  const vendorCalls: string[] = [];
  // Portal A: deal 9001 is an XRechnung, 9002 a ZUGFeRD (XML inside the PDF), 9003 a quotation. Portal B: deal 9001 too.
  const rows: Record<string, object> = {
    [`${portalA}:9001`]: { documentId: 'lx-a-9001', kind: 'invoice', documentNumber: 'RE-2027-0042', eInvoiceXml: true },
    [`${portalA}:9002`]: { documentId: 'lx-a-9002', kind: 'invoice', documentNumber: 'RE-2027-0043', eInvoiceXml: false },
    [`${portalA}:9003`]: { documentId: 'lx-a-9003', kind: 'quotation', documentNumber: 'AG-2027-0007', eInvoiceXml: null },
    [`${portalB}:9001`]: { documentId: 'lx-b-9001', kind: 'invoice', documentNumber: 'RE-2027-0099', eInvoiceXml: true },
  };
  const records = { get: (portalId: string, dealId: string) => rows[`${portalId}:${dealId}`] } as unknown as InvoiceRecords;
  const connections = {
    providerFor: (portalId: string) => ({
      id: 'lexoffice',
      provider: {
        fetchPdf: async () => Buffer.from('%PDF-1.7'),
        eInvoicing: {
          fetchXml: async (id: string) => (
            vendorCalls.push(`${portalId}:${id}`),
            id === 'lx-a-9001' || id === 'lx-b-9001' ? xrechnung.replace('0042', id) : null
          ),
        },
      },
    }),
  } as unknown as AccountingConnections;
  const links = new FileLinks(Buffer.alloc(32, 9), () => 'https://apiup.example', clock);
  const app = createApp({ db: await testDb(), log: silentLogger(), routers: [fileRoutes({ links, records, connections, now: clock })] });
  const open = (link: string) => request(app).get(link.replace('https://apiup.example', ''));
  return { links, open, vendorCalls };
}

describe('signed e-invoice XML links', () => {
  it('serve the XRechnung XML as a download, fetched from the vendor once per link', async () => {
    const { links, open, vendorCalls } = await setup();
    const link = links.xmlLink(portalA, '9001');
    expect(link).toMatch(new RegExp(`^https://apiup.example/files/invoices/${portalA}/9001\\.xml\\?expires=\\d+&signature=`));
    for (let i = 0; i < 2; i++) {
      const answer = await open(link);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/xml/);
      expect(answer.headers['content-disposition']).toBe('attachment; filename="RE-2027-0042.xml"');
      expect(answer.text).toContain('04011000-1234512345-35');
    }
    expect(vendorCalls).toEqual([`${portalA}:lx-a-9001`]);
  });

  it("never opens another portal's deal, nor the XML with a PDF link's signature", async () => {
    const { links, open, vendorCalls } = await setup();
    const forA = links.xmlLink(portalA, '9001');
    expect((await open(forA.replace(`/${portalA}/`, `/${portalB}/`))).status).toBe(401);
    expect((await open(forA.replace('/9001.xml', '/9002.xml'))).status).toBe(401);
    const pdfQuery = new URL(links.pdfLink(portalA, '9001')).search;
    expect((await open(forA.replace(/\?.*$/, pdfQuery))).status).toBe(401);
    expect(vendorCalls).toEqual([]);
  });

  it('answer 404 where no e-invoice XML exists: a ZUGFeRD, a quotation, or a vendor without the file', async () => {
    const { links, open, vendorCalls } = await setup();
    expect((await open(links.xmlLink(portalA, '9002'))).status).toBe(404);
    expect((await open(links.xmlLink(portalA, '9003'))).status).toBe(404);
    expect((await open(links.xmlLink(portalA, '4711'))).status).toBe(404);
    expect(vendorCalls).toEqual([]);
  });
});
