/**
 * Property: for any cart within bexio's money rules (`bexioMoneyRules`: 6 decimals of price and quantity,
 * 4 of the discount percentage, no negative lines; the account's Swiss rates; net and gross basis;
 * the account's currencies), the totals the bexio sandbox computes with its own arithmetic and returns
 * through our provider equal our `predictTotals`. Any difference fails with the cart that caused it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { bexioMoneyRules, createBexioProvider } from '../../src/accounting/bexio/provider';
import { silentLogger } from '../../src/logger';
import { createbexioSandbox, type bexioSandbox } from '../../src/sandboxes/bexio/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const fast = { requests: 100_000, perMs: 1000 };
/** The active sales taxes of the sandbox account in 2026 (fixtures/v3ListTaxes.json: UN81, UR26, US38, UEX). */
const swissRates = ['8.1', '2.6', '3.8', '0'];
/** The account's currencies (fixtures/ListCurrencies.json). */
const accountCurrencies = ['CHF', 'EUR', 'USD', 'GBP'];

let sandbox: bexioSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let customerId: string;
let seq = 0;

beforeAll(async () => {
  sandbox = createbexioSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
  provider = createBexioProvider({
    baseUrl: running.url,
    credentials: sandbox.credentials,
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit: fast,
  });
  customerId = (await provider.createCustomer({ kind: 'company', companyName: 'Schreinerei Güntensperger & Töchter AG' })).id;
});

afterAll(() => running.close());

/** A positive decimal string with at most `places` decimals and an integer part below `maxWhole`. */
function decimal(places: number, maxWhole: number, min = 0): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: places }), fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 10 ** places - 1 }))
    .map(([used, whole, digits]) => {
      const fraction = String(digits).padStart(places, '0').slice(0, used);
      return used === 0 ? String(whole) : `${whole}.${fraction}`;
    })
    .filter((text) => Number(text) >= min);
}

const lineArb: fc.Arbitrary<DraftLine> = fc.record(
  {
    name: fc.constantFrom('Schrankwand Eiche massiv, Maßanfertigung', 'Montage vor Ort (Stunden)', 'Kantenumleimer Buche', 'Anfahrt Zürich–Winterthur'),
    quantity: decimal(bexioMoneyRules.quantityDecimals, 500, 0.000001),
    unitPrice: decimal(bexioMoneyRules.unitPriceDecimals, 20_000),
    taxRatePercent: fc.constantFrom(...swissRates),
    discountPercent: decimal(bexioMoneyRules.discountPercentDecimals, 100).filter((d) => Number(d) <= 100),
  },
  { requiredKeys: ['name', 'quantity', 'unitPrice', 'taxRatePercent'] },
);

const cartArb = fc.record({
  lines: fc.array(lineArb, { minLength: 1, maxLength: 20 }),
  priceBasis: fc.constantFrom<DocumentDraft['priceBasis']>('net', ...(bexioMoneyRules.grossPrices ? (['gross'] as const) : [])),
  currency: fc.constantFrom(...accountCurrencies),
});

describe('bexio: predicted totals equal the sandbox’s own arithmetic for random carts', () => {
  it('holds for 100 carts within bexioMoneyRules', async () => {
    expect(bexioMoneyRules.negativeLines).toBe(false); // negative lines are refused, so none are drawn
    await fc.assert(
      fc.asyncProperty(cartArb, async (cart) => {
        const draft: DocumentDraft = { kind: 'invoice', customerId, date: '2026-03-02', reference: `apiup:property:${++seq}`, finalize: false, ...cart };
        const created = await provider.createDocument(draft);
        expect(created.totals).toEqual(provider.predictTotals(draft));
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
