/**
 * The worked examples of docs/reference/money.md §7 (sevDesk rows) sent to the sevDesk sandbox as
 * sevDesk's own `POST /Invoice/Factory/saveInvoice` requests, read back with `GET /Invoice/{id}` and
 * `GET /Invoice/{id}/getPositions`; the sandbox's sums must be the fact sheet's, and our provider's
 * prediction (accounting/sevdesk) must be the same figures. Two implementations, one set of numbers.
 */
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createSevdeskProvider } from '../../src/accounting/sevdesk/provider';
import { computeSevdeskTotals } from '../../src/accounting/sevdesk/totals';
import { silentLogger } from '../../src/logger';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { createsevdeskSandbox, type SevdeskSandbox } from '../../src/sandboxes/sevdesk/app';

interface Position {
  name: string;
  quantity: number;
  price: number;
  taxRate: number;
  discount?: number;
}
interface Expected {
  sumNet: string;
  sumTax: string;
  sumGross: string;
}
interface Example {
  title: string;
  showNet: boolean;
  positions: Position[];
  discountSave?: Array<{ discount: boolean; text: string; percentage: boolean; value: number }>;
  expected: Expected & { sumDiscounts?: string };
}

/** money.md §7, sevDesk rows, main reading (per-position VAT on the cent-rounded net, gross = net + tax). */
const examples: Example[] = [
  {
    title: 'example 1 — mixed rates, net prices',
    showNet: true,
    positions: [
      { name: 'Website-Relaunch Konzeption Bäckerei Hölzl & Söhne', quantity: 1, price: 9.99, taxRate: 19 },
      { name: 'Wartungspauschale Müller GmbH Großhandel Januar', quantity: 1, price: 19.5, taxRate: 19 },
      { name: 'Fachbuch „Barrierefreie Webseiten“ (ermäßigt)', quantity: 3, price: 4.99, taxRate: 7 },
      { name: 'Porto und Verpackung, steuerfrei', quantity: 1, price: 10, taxRate: 0 },
    ],
    expected: { sumNet: '54.46', sumTax: '6.66', sumGross: '61.12' },
  },
  {
    title: 'example 2 — 10 % line discount',
    showNet: true,
    positions: [{ name: 'Schulung Redaktionssystem für Söhne & Töchter KG', quantity: 7, price: 12.35, taxRate: 19, discount: 10 }],
    expected: { sumNet: '77.81', sumTax: '14.78', sumGross: '92.59' },
  },
  {
    title: 'example 3 — fractional quantity',
    showNet: true,
    positions: [{ name: 'Beratungsstunden Datenschutz-Folgenabschätzung', quantity: 1.5, price: 33.33, taxRate: 19 }],
    expected: { sumNet: '50.00', sumTax: '9.50', sumGross: '59.50' },
  },
  {
    title: 'example 4 — unit price with 4 decimals',
    showNet: true,
    positions: [{ name: 'API-Aufrufe Übermittlungskontingent (je Stück)', quantity: 3, price: 2.4999, taxRate: 19 }],
    expected: { sumNet: '7.50', sumTax: '1.43', sumGross: '8.93' },
  },
  {
    title: 'example 5 — gross prices (showNet false)',
    showNet: false,
    positions: [
      { name: 'Jahreslizenz Kassensystem Filiale Fürth', quantity: 2, price: 59.9, taxRate: 19 },
      { name: 'Gedrucktes Handbuch Kassensystem', quantity: 1, price: 21.4, taxRate: 7 },
    ],
    expected: { sumNet: '120.67', sumTax: '20.53', sumGross: '141.20' },
  },
  {
    title: 'example 6a — recorded 2 × 42.01 (emuuu/sevDesk.NET ApiDeserializationTests)',
    showNet: true,
    positions: [{ name: 'Monatliche Betreuung Onlineshop Größenberatung', quantity: 2, price: 42.01, taxRate: 19 }],
    expected: { sumNet: '84.02', sumTax: '15.96', sumGross: '99.98' },
  },
  {
    title: 'example 6b — recorded 3 % document discount, invoice E20231619 (emuuu/sevDesk.NET InvoiceDiscountTests)',
    showNet: true,
    positions: [{ name: 'Softwareentwicklung Schnittstelle Warenwirtschaft', quantity: 1, price: 1365, taxRate: 19 }],
    discountSave: [{ discount: true, text: 'Kundenrabatt', percentage: true, value: 3 }],
    expected: { sumNet: '1324.05', sumTax: '251.57', sumGross: '1575.62', sumDiscounts: '-40.95' },
  },
  {
    title: 'example 6c — recorded 200 × 1.30 @ 19 (per position, not per unit: 49.40, not 50.00)',
    showNet: true,
    positions: [{ name: 'Etiketten „Bio-Vollkornbrot“ Rolle à 500 Stück', quantity: 200, price: 1.3, taxRate: 19 }],
    expected: { sumNet: '260.00', sumTax: '49.40', sumGross: '309.40' },
  },
];

const fast = { requests: 1000, perMs: 1000 };
let sandbox: SevdeskSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let contactId: number;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(running.url + path, {
    method,
    headers: { authorization: sandbox.credentials.apiToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** A saveInvoice body as sevDesk's documentation shows it (SVS `saveInvoice`, accounting.md §2.4). */
function saveInvoiceBody(example: Example) {
  return {
    invoice: {
      objectName: 'Invoice',
      mapAll: true,
      contact: { id: contactId, objectName: 'Contact' },
      contactPerson: { id: Number(sandbox.store.user.id), objectName: 'SevUser' },
      invoiceDate: '15.01.2026',
      status: '100',
      invoiceType: 'RE',
      currency: 'EUR',
      header: 'Rechnung Website-Relaunch und Wartung Müller GmbH 2027',
      discount: 0,
      showNet: example.showNet,
      taxRate: 0,
      taxRule: { id: '1', objectName: 'TaxRule' },
      taxType: 'default',
      taxText: 'Umsatzsteuer',
      addressCountry: { id: 1, objectName: 'StaticCountry' },
    },
    invoicePosSave: example.positions.map((p, index) => ({
      objectName: 'InvoicePos',
      mapAll: true,
      unity: { id: 1, objectName: 'Unity' },
      positionNumber: index,
      ...p,
    })),
    invoicePosDelete: null,
    discountSave: (example.discountSave ?? []).map((d) => ({ ...d, objectName: 'Discounts', mapAll: true })),
    discountDelete: null,
  };
}

/** sevDesk writes amounts without trailing zeros ("260", "49.4"); the fact sheet writes cents. */
function cents(vendorAmount: string): string {
  return new Decimal(vendorAmount).toFixed(2);
}

function toLines(example: Example): DraftLine[] {
  return example.positions.map((p) => ({
    name: p.name,
    quantity: String(p.quantity),
    unitPrice: String(p.price),
    taxRatePercent: String(p.taxRate),
    ...(p.discount === undefined ? {} : { discountPercent: String(p.discount) }),
  }));
}

beforeAll(async () => {
  sandbox = createsevdeskSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
  provider = createSevdeskProvider({
    baseUrl: running.url,
    credentials: sandbox.credentials,
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit: fast,
  });
  const contact = await call('POST', '/Contact', { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', category: { id: 3, objectName: 'Category' } });
  contactId = Number(contact.body.id);
});
afterAll(() => running.close());

describe('money.md §7 worked examples through the sevDesk sandbox', () => {
  for (const example of examples) {
    it(`${example.title}: the sandbox answers the fact sheet's sums and our provider predicts them`, async () => {
      const created = await call('POST', '/Invoice/Factory/saveInvoice', saveInvoiceBody(example));
      expect(created.status).toBe(201);
      const id = created.body.objects.invoice.id;
      const invoice = (await call('GET', `/Invoice/${id}`)).body.objects[0];
      const vendorSums = { sumNet: cents(invoice.sumNet), sumTax: cents(invoice.sumTax), sumGross: cents(invoice.sumGross) };
      expect(vendorSums).toEqual({ sumNet: example.expected.sumNet, sumTax: example.expected.sumTax, sumGross: example.expected.sumGross });
      if (example.expected.sumDiscounts) expect(cents(invoice.sumDiscounts)).toBe(example.expected.sumDiscounts);

      const positions: Array<Record<string, string>> = (await call('GET', `/Invoice/${id}/getPositions`)).body.objects;
      const positionTax = positions.reduce((total, p) => total.plus(p.sumTax), new Decimal(0));
      if (!example.discountSave) expect(positionTax.toFixed(2)).toBe(example.expected.sumTax);

      if (example.discountSave) {
        const [discount] = example.discountSave;
        const ours = computeSevdeskTotals({
          showNet: example.showNet,
          positions: example.positions.map((p) => ({ quantity: String(p.quantity), price: String(p.price), taxRate: String(p.taxRate) })),
          documentDiscountPercent: String(discount.value),
        });
        expect({ sumNet: ours.sumNet.toFixed(2), sumTax: ours.sumTax.toFixed(2), sumGross: ours.sumGross.toFixed(2) }).toEqual(vendorSums);
      } else {
        const predicted = provider.predictTotals({ lines: toLines(example), priceBasis: example.showNet ? 'net' : 'gross', currency: 'EUR' });
        expect(predicted).toEqual({ net: vendorSums.sumNet, tax: vendorSums.sumTax, gross: vendorSums.sumGross });
      }
    });
  }

  it('keeps unit prices unrounded on the positions, as recorded (2 × 42.01 → priceGross 49.9919, priceTax 7.9819)', async () => {
    const created = await call('POST', '/Invoice/Factory/saveInvoice', saveInvoiceBody(examples[5]));
    expect(created.body.objects.invoicePos[0]).toMatchObject({ priceNet: '42.01', priceGross: '49.9919', priceTax: '7.9819', sumNet: '84.02' });
  });

  it("refuses a rate the tax rule does not allow, with sevDesk's error body (SVS Invoice tag: rule 1 allows 0, 7, 19)", async () => {
    const example: Example = { ...examples[0], positions: [{ name: 'Altbestand zum Satz von 2020', quantity: 1, price: 10, taxRate: 16 }] };
    const refused = await call('POST', '/Invoice/Factory/saveInvoice', saveInvoiceBody(example));
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ error: { message: expect.stringContaining('taxRate 16'), exceptionUUID: expect.any(String) } });
  });
});
