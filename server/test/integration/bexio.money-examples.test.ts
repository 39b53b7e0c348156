/**
 * The worked examples of docs/reference/money.md §7 (bexio rows) and the bexio anchors of §7 example 6,
 * sent to the bexio sandbox as bexio's own `POST /2.0/kb_invoice` request (not through our client),
 * and given to our provider's `predictTotals`: both must land on money.md's figures.
 * Tax ids are the sandbox account's (fixtures/v3ListTaxes.json): 1 = UN77 7.7 %, 28 = UN81 8.1 %,
 * 29 = UR26 2.6 %, 31 = UEX 0 %. Currencies: 1 = CHF (round_factor 0.05), 2 = EUR (0.01).
 */
import Decimal from 'decimal.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/accounting/errors';
import type { AccountingProvider, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createBexioProvider } from '../../src/accounting/bexio/provider';
import { silentLogger } from '../../src/logger';
import { createbexioSandbox, type bexioSandbox } from '../../src/sandboxes/bexio/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const auth = { authorization: 'Bearer bexio-sandbox-pat-0001', accept: 'application/json' };
const taxIdOf: Record<string, number> = { '7.7': 1, '8.1': 28, '2.6': 29, '0': 31 };

interface Example {
  name: string;
  /** quantity, unit price, tax rate %, discount % */
  lines: Array<[string, string, string, string?]>;
  gross?: boolean;
  currency?: 'CHF' | 'EUR';
  /** money.md's figures for bexio (docs-precision reading, BX-R3); `total_taxes` is printed with 4 decimals. */
  expected: { total: string; roundingDifference: number; totalTaxes: string; totalNet: string };
}

const examples: Example[] = [
  {
    name: 'Example 1 — mixed rates, net prices',
    lines: [
      ['1', '9.99', '8.1'],
      ['1', '19.50', '8.1'],
      ['3', '4.99', '2.6'],
      ['1', '10.00', '0'],
    ],
    expected: { total: '57.25', roundingDifference: 0.01, totalTaxes: '2.7779', totalNet: '54.460000' },
  },
  {
    name: 'Example 2 — 10 % line discount',
    lines: [['7', '12.35', '8.1', '10']],
    expected: { total: '84.10', roundingDifference: -0.01, totalTaxes: '6.3022', totalNet: '77.805000' },
  },
  {
    name: 'Example 3 — fractional quantity',
    lines: [['1.5', '33.33', '8.1']],
    expected: { total: '54.05', roundingDifference: 0.01, totalTaxes: '4.0496', totalNet: '49.995000' },
  },
  {
    name: 'Example 4 — unit price with 4 decimals',
    lines: [['3', '2.4999', '8.1']],
    // 7.4997 × 0.081 = 0.6074757; money.md prints 0.6075.
    expected: { total: '8.10', roundingDifference: -0.01, totalTaxes: '0.6075', totalNet: '7.499700' },
  },
  {
    name: 'Example 5 — gross-priced invoice',
    lines: [
      ['2', '59.90', '8.1'],
      ['1', '21.40', '2.6'],
    ],
    gross: true,
    // 119.80 × 8.1/108.1 = 8.976688 and 21.40 × 2.6/102.6 = 0.542300 are contained in the prices.
    expected: { total: '141.20', roundingDifference: 0, totalTaxes: '9.5190', totalNet: '131.681012' },
  },
  {
    name: 'Example 5 variant — 21.43 instead of 21.40',
    lines: [
      ['2', '59.90', '8.1'],
      ['1', '21.43', '2.6'],
    ],
    gross: true,
    // money.md: net 131.71, tax 9.52 (21.43 × 2.6/102.6 = 0.543060).
    expected: { total: '141.25', roundingDifference: 0.02, totalTaxes: '9.5197', totalNet: '131.710252' },
  },
  {
    name: 'Example 6a — docs sample 5 × 3.56 at 7.7 %',
    lines: [['5', '3.56', '7.7']],
    expected: { total: '19.15', roundingDifference: -0.02, totalTaxes: '1.3706', totalNet: '17.800000' },
  },
  {
    name: 'Example 6b — 1 × 99.99 at 8.1 % in CHF',
    lines: [['1', '99.99', '8.1']],
    expected: { total: '108.10', roundingDifference: 0.01, totalTaxes: '8.0992', totalNet: '99.990000' },
  },
  {
    name: 'Example 6b — the same line in EUR (round_factor 0.01)',
    lines: [['1', '99.99', '8.1']],
    currency: 'EUR',
    expected: { total: '108.09', roundingDifference: 0, totalTaxes: '8.0992', totalNet: '99.990000' },
  },
  {
    name: 'Example 6c — 12.30 at 8.1 % and 7.45 at 2.6 %',
    lines: [
      ['1', '12.30', '8.1'],
      ['1', '7.45', '2.6'],
    ],
    expected: { total: '20.95', roundingDifference: 0.01, totalTaxes: '1.1900', totalNet: '19.750000' },
  },
];

let sandbox: bexioSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let contactId: number;

beforeAll(async () => {
  sandbox = createbexioSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
  const contact = await request(sandbox.app)
    .post('/2.0/contact')
    .set(auth)
    .send({ contact_type_id: 1, name_1: 'Bäckerei Hölzl & Söhne Großhandel GmbH', user_id: 1, owner_id: 1 });
  contactId = contact.body.id;
  running = await listenSandbox(sandbox.app, 0);
  provider = createBexioProvider({ baseUrl: running.url, credentials: sandbox.credentials, log: silentLogger(), limiters: new RateLimiterRegistry() });
});

afterAll(() => running.close());

function bexioInvoice(example: Example) {
  return {
    title: `Website-Relaunch und Wartung Müller GmbH 2027 — ${example.name}`,
    contact_id: contactId,
    user_id: 1,
    currency_id: example.currency === 'EUR' ? 2 : 1,
    mwst_type: 0,
    mwst_is_net: !example.gross,
    is_valid_from: '2026-03-02',
    positions: example.lines.map(([amount, unitPrice, rate, discount], i) => ({
      type: 'KbPositionCustom',
      amount,
      unit_price: unitPrice,
      discount_in_percent: discount ?? '0',
      tax_id: taxIdOf[rate],
      text: `Leistungsposition ${i + 1}: Konzeption, Gestaltung und Umsetzung`,
    })),
  };
}

function ourLines(example: Example): DraftLine[] {
  return example.lines.map(([quantity, unitPrice, taxRatePercent, discountPercent], i) => ({
    name: `Leistungsposition ${i + 1}`,
    quantity,
    unitPrice,
    taxRatePercent,
    ...(discountPercent ? { discountPercent } : {}),
  }));
}

describe('money.md §7 worked examples through the bexio sandbox and our bexio provider', () => {
  it.each(examples)('$name', async (example) => {
    const created = await request(sandbox.app).post('/2.0/kb_invoice').set(auth).send(bexioInvoice(example));
    expect(created.status).toBe(201);
    const shown = await request(sandbox.app).get(`/2.0/kb_invoice/${created.body.id}`).set(auth);
    const { expected } = example;
    expect({
      total: shown.body.total,
      total_rounding_difference: shown.body.total_rounding_difference,
      total_taxes: shown.body.total_taxes,
      total_net: shown.body.total_net,
    }).toEqual({
      total: `${expected.total}0000`,
      total_rounding_difference: expected.roundingDifference,
      total_taxes: expected.totalTaxes,
      total_net: expected.totalNet,
    });

    const predicted = provider.predictTotals({ lines: ourLines(example), priceBasis: example.gross ? 'gross' : 'net', currency: example.currency ?? 'CHF' });
    expect(predicted.gross).toBe(expected.total);
    expect(predicted.tax).toBe(new Decimal(expected.totalTaxes).toFixed(2));
  });

  it('refuses a unit price with more than 6 decimals (bexio keeps 6), in the sandbox and in our mapping', async () => {
    const example: Example = {
      name: '7 decimals',
      lines: [['3', '2.4999999', '8.1']],
      expected: { total: '', roundingDifference: 0, totalTaxes: '', totalNet: '' },
    };
    const refused = await request(sandbox.app).post('/2.0/kb_invoice').set(auth).send(bexioInvoice(example));
    expect([refused.status, refused.body.error_code]).toEqual([422, 422]);
    expect(refused.body.message).toMatch(/unit_price/);

    const draft = {
      kind: 'invoice' as const,
      customerId: String(contactId),
      currency: 'CHF',
      priceBasis: 'net' as const,
      date: '2026-03-02',
      lines: ourLines(example),
      reference: 'apiup:money:7dp',
      finalize: false,
    };
    const error = await provider.createDocument(draft).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('validation');
  });
});
