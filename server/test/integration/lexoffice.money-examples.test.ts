/**
 * docs/reference/money.md §7, Lexware column: each worked example goes to the lexoffice sandbox as the
 * vendor's own request (POST /v1/invoices or /v1/quotations, then GET), and the sandbox's totals must
 * be the money.md figures; our provider's prediction (accounting/lexoffice) must be the same figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import type { AccountingProvider, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createlexofficeSandbox, type lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

interface ExampleLine {
  name: string;
  quantity: number;
  price: number;
  rate: number;
  discount?: number;
}

interface Expected {
  lineItemAmounts: number[];
  taxAmounts?: { taxRatePercentage: number; taxAmount: number; netAmount: number }[];
  totalNetAmount: number;
  totalTaxAmount: number;
  totalGrossAmount: number;
}

interface Example {
  title: string;
  kind: 'invoice' | 'quotation';
  taxType: 'net' | 'gross';
  lines: ExampleLine[];
  expected: Expected;
}

const examples: Example[] = [
  {
    title: 'example 1 — mixed rates, net prices: VAT once per rate → 61.11',
    kind: 'invoice',
    taxType: 'net',
    lines: [
      { name: 'Wartungspauschale Kassensystem Filiale Schwabing', quantity: 1, price: 9.99, rate: 19 },
      { name: 'Einrichtung Bestellportal für Großkunden', quantity: 1, price: 19.5, rate: 19 },
      { name: 'Fachbuch „Brotbacken für Fortgeschrittene“', quantity: 3, price: 4.99, rate: 7 },
      { name: 'Porto und Verpackung (steuerfrei)', quantity: 1, price: 10, rate: 0 },
    ],
    expected: {
      lineItemAmounts: [9.99, 19.5, 14.97, 10],
      taxAmounts: [
        { taxRatePercentage: 0, taxAmount: 0, netAmount: 10 },
        { taxRatePercentage: 7, taxAmount: 1.05, netAmount: 14.97 },
        { taxRatePercentage: 19, taxAmount: 5.6, netAmount: 29.49 },
      ],
      totalNetAmount: 54.46,
      totalTaxAmount: 6.65,
      totalGrossAmount: 61.11,
    },
  },
  {
    title: 'example 2 — 10 % line discount: the discounted line is rounded once → 77.81 / 92.59',
    kind: 'invoice',
    taxType: 'net',
    lines: [{ name: 'Beratung Sortimentsumstellung Bäckerei Hölzl', quantity: 7, price: 12.35, rate: 19, discount: 10 }],
    expected: { lineItemAmounts: [77.81], totalNetAmount: 77.81, totalTaxAmount: 14.78, totalGrossAmount: 92.59 },
  },
  {
    title: 'example 3 — fractional quantity: 1.5 × 33.33 = 49.995 rounds half up → 59.50',
    kind: 'invoice',
    taxType: 'net',
    lines: [{ name: 'Schulung Warenwirtschaft für Filialleitungen', quantity: 1.5, price: 33.33, rate: 19 }],
    expected: { lineItemAmounts: [50], totalNetAmount: 50, totalTaxAmount: 9.5, totalGrossAmount: 59.5 },
  },
  {
    title: 'example 4 — 4-decimal unit price: tax on the rounded 7.50, tie 1.425 → 1.43, total 8.93',
    kind: 'invoice',
    taxType: 'net',
    lines: [{ name: 'Etiketten Thermodruck, Rolle à 1000 Stück', quantity: 3, price: 2.4999, rate: 19 }],
    expected: { lineItemAmounts: [7.5], totalNetAmount: 7.5, totalTaxAmount: 1.43, totalGrossAmount: 8.93 },
  },
  {
    title: 'example 5 — gross prices: net taken out per rate, the customer pays the sum of gross prices 141.20',
    kind: 'invoice',
    taxType: 'gross',
    lines: [
      { name: 'Präsentkorb „Hölzl Klassik“ mit Stollen', quantity: 2, price: 59.9, rate: 19 },
      { name: 'Roggenmischbrot 1,5 kg, Großgebinde', quantity: 1, price: 21.4, rate: 7 },
    ],
    expected: {
      lineItemAmounts: [119.8, 21.4],
      taxAmounts: [
        { taxRatePercentage: 7, taxAmount: 1.4, netAmount: 20 },
        { taxRatePercentage: 19, taxAmount: 19.13, netAmount: 100.67 },
      ],
      totalNetAmount: 120.67,
      totalTaxAmount: 20.53,
      totalGrossAmount: 141.2,
    },
  },
  {
    title: 'example 6 — the docs invoice sample (2 × 13.40 at 50 %, 8.32 @ 7, 5.00 @ 0) → 29.85',
    kind: 'invoice',
    taxType: 'net',
    lines: [
      { name: 'Abus Kabelschloss Primo 590', quantity: 2, price: 13.4, rate: 19, discount: 50 },
      { name: 'Aufwändige Montage', quantity: 1, price: 8.32, rate: 7 },
      { name: 'Energieriegel Testpaket', quantity: 1, price: 5, rate: 0 },
    ],
    expected: {
      lineItemAmounts: [13.4, 8.32, 5],
      taxAmounts: [
        { taxRatePercentage: 0, taxAmount: 0, netAmount: 5 },
        { taxRatePercentage: 7, taxAmount: 0.58, netAmount: 8.32 },
        { taxRatePercentage: 19, taxAmount: 2.55, netAmount: 13.4 },
      ],
      totalNetAmount: 26.72,
      totalTaxAmount: 3.13,
      totalGrossAmount: 29.85,
    },
  },
  {
    title: 'example 6 — the docs down-payment anchor: 666.00 gross @ 19 → net 559.66, tax 106.34',
    kind: 'invoice',
    taxType: 'gross',
    lines: [{ name: 'Abschlag Umbau Verkaufsraum Filiale Hölzl', quantity: 1, price: 666, rate: 19 }],
    expected: { lineItemAmounts: [666], totalNetAmount: 559.66, totalTaxAmount: 106.34, totalGrossAmount: 666 },
  },
  {
    title: 'example 6 — the docs quotation anchor: 23.90 gross @ 19 → net 20.08, tax 3.82',
    kind: 'quotation',
    taxType: 'gross',
    lines: [{ name: 'Axa Rahmenschloss Defender RL', quantity: 1, price: 23.9, rate: 19 }],
    expected: { lineItemAmounts: [23.9], totalNetAmount: 20.08, totalTaxAmount: 3.82, totalGrossAmount: 23.9 },
  },
];

const voucherDate = '2026-03-10T00:00:00.000+01:00';

/** The body as the vendor documents it (docs "Create an Invoice" / "Create a Quotation"), not as our mapper builds it. */
function vendorBody(example: Example, contactId: string, lines: ExampleLine[] = example.lines): Record<string, unknown> {
  const priceField = example.taxType === 'gross' ? 'grossAmount' : 'netAmount';
  return {
    voucherDate,
    address: { contactId },
    lineItems: lines.map((l) => ({
      type: 'custom',
      name: l.name,
      quantity: l.quantity,
      unitName: 'Stück',
      unitPrice: { currency: 'EUR', [priceField]: l.price, taxRatePercentage: l.rate },
      ...(l.discount === undefined ? {} : { discountPercentage: l.discount }),
    })),
    totalPrice: { currency: 'EUR', totalDiscountPercentage: 0 },
    taxConditions: { taxType: example.taxType },
    title: example.kind === 'invoice' ? 'Rechnung' : 'Angebot',
    ...(example.kind === 'invoice'
      ? { shippingConditions: { shippingType: 'service', shippingDate: voucherDate } }
      : { expirationDate: '2026-04-09T00:00:00.000+02:00' }),
  };
}

const toDraftLines = (lines: ExampleLine[]): DraftLine[] =>
  lines.map((l) => ({
    name: l.name,
    quantity: String(l.quantity),
    unitPrice: String(l.price),
    taxRatePercent: String(l.rate),
    discountPercent: l.discount === undefined ? undefined : String(l.discount),
  }));

describe('money.md §7 worked examples through the lexoffice sandbox', () => {
  let sandbox: lexofficeSandbox;
  let running: RunningSandbox;
  let provider: AccountingProvider;
  let contactId: string;

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.credentials.apiKey}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    // Time is no subject here: a wide bucket keeps the raw requests clear of the 2 req/s limit.
    sandbox = createlexofficeSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
    running = await listenSandbox(sandbox.app, 0);
    provider = createLexofficeProvider({
      baseUrl: running.url,
      credentials: { apiKey: sandbox.credentials.apiKey },
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
    });
    const contact = await call('POST', '/v1/contacts', {
      version: 0,
      roles: { customer: {} },
      company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' },
      addresses: { billing: [{ street: 'Schleißheimer Straße 214', zip: '80797', city: 'München', countryCode: 'DE' }] },
    });
    contactId = String(contact.body.id);
  });
  afterAll(() => running.close());

  for (const example of examples) {
    it(`${example.title}`, async () => {
      const base = example.kind === 'invoice' ? '/v1/invoices' : '/v1/quotations';
      const created = await call('POST', `${base}?finalize=true`, vendorBody(example, contactId));
      expect(created.status).toBe(201);
      const voucher = (await call('GET', `${base}/${String(created.body.id)}`)).body as {
        lineItems: { lineItemAmount: number }[];
        taxAmounts: Expected['taxAmounts'];
        totalPrice: Record<string, number>;
      };
      const { lineItemAmounts, taxAmounts, ...totals } = example.expected;
      expect(voucher.lineItems.map((l) => l.lineItemAmount)).toEqual(lineItemAmounts);
      if (taxAmounts) expect(voucher.taxAmounts).toEqual(taxAmounts);
      expect(voucher.totalPrice).toMatchObject(totals);

      const predicted = provider.predictTotals({ lines: toDraftLines(example.lines), priceBasis: example.taxType, currency: 'EUR' });
      expect(predicted).toEqual({ net: totals.totalNetAmount.toFixed(2), tax: totals.totalTaxAmount.toFixed(2), gross: totals.totalGrossAmount.toFixed(2) });
    });
  }

  // money.md §3.1: unit price and quantity ≤ 4 decimals, discount ≤ 2. What the vendor cannot hold,
  // the sandbox refuses with the regular 406, and our provider refuses before sending.
  const tooPrecise: { what: string; line: ExampleLine; field: string }[] = [
    {
      what: 'a 5-decimal unit price',
      line: { name: 'Etiketten Thermodruck', quantity: 3, price: 2.49999, rate: 19 },
      field: 'lineItems[0].unitPrice.netAmount',
    },
    { what: 'a 5-decimal quantity', line: { name: 'Mehl Type 550 (kg)', quantity: 1.23456, price: 0.89, rate: 7 }, field: 'lineItems[0].quantity' },
    {
      what: 'a 3-decimal discount',
      line: { name: 'Rabattierte Beratung', quantity: 1, price: 100, rate: 19, discount: 33.333 },
      field: 'lineItems[0].discountPercentage',
    },
  ];
  for (const { what, line, field } of tooPrecise) {
    it(`refuses ${what} with the vendor's 406 naming ${field}, as our provider does before sending`, async () => {
      const example: Example = { title: what, kind: 'invoice', taxType: 'net', lines: [line], expected: examples[0].expected };
      const answer = await call('POST', '/v1/invoices', vendorBody(example, contactId));
      expect(answer.status).toBe(406);
      expect(answer.body).toMatchObject({ status: 406, error: 'Not Acceptable', path: '/v1/invoices', details: [expect.objectContaining({ field })] });

      const draft = {
        kind: 'invoice' as const,
        customerId: contactId,
        currency: 'EUR',
        priceBasis: 'net' as const,
        date: '2026-03-10',
        lines: toDraftLines([line]),
        reference: `apiup:money:${field}`,
        finalize: true,
      };
      const before = sandbox.store.vouchers.size;
      await expect(provider.createDocument(draft)).rejects.toMatchObject({ kind: 'validation' });
      expect(sandbox.store.vouchers.size).toBe(before);
    });
  }
});
