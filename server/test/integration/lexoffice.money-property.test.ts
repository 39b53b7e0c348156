/**
 * Property: for any cart Lexware can hold (money-rules.ts: unit prices and quantities with up to 4 decimals,
 * discounts with up to 2, the German rates 0/7/19, net or gross prices, EUR), our provider sends it unchanged
 * and the totals the lexoffice sandbox computes with its own arithmetic are the totals we predicted.
 * Carts beyond those rules are refused before anything reaches the sandbox.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lexofficeMoneyRules } from '../../src/accounting/lexoffice/money-rules';
import type { DraftLine } from '../../src/accounting/provider';
import { Decimal } from '../../src/money/decimal';
import { startLexofficeMoneyRig, type LexofficeMoneyRig } from '../helpers/lexoffice-money';

const names = [
  'Website-Relaunch und Wartung Müller GmbH 2027',
  'Roggenmischbrot 1,5 kg, Großgebinde',
  'Schulung Warenwirtschaft für Filialleitungen',
  'Etiketten Thermodruck, Rolle à 1000 Stück',
  'Präsentkorb „Hölzl Klassik“ mit Stollen',
  'Anfahrt Außendienst Oberföhring (km)',
];

/** `units` × 10^−decimals cut to a random 0…`decimals` places (so whole numbers and short decimals come up too); > 0 when `minUnits` > 0. */
const decimalString = (maxUnits: number, decimals: number, minUnits = 0) =>
  fc.tuple(fc.integer({ min: minUnits, max: maxUnits }), fc.integer({ min: 0, max: decimals })).map(([units, places]) => {
    const scaled = new Decimal(units).div(new Decimal(10).pow(decimals)).toDecimalPlaces(places, Decimal.ROUND_DOWN);
    return scaled.greaterThan(0) || minUnits === 0 ? scaled.toFixed() : new Decimal(10).pow(-places).toFixed();
  });

const rules = lexofficeMoneyRules;
const line: fc.Arbitrary<DraftLine> = fc.record({
  name: fc.constantFrom(...names),
  // Up to 9 999.9999 pieces and 99 999.9999 per piece, never 0 pieces.
  quantity: decimalString(99_999_999, rules.quantityDecimals, 1),
  unitPrice: decimalString(999_999_999, rules.unitPriceDecimals),
  taxRatePercent: fc.constantFrom('0', '7', '19'),
  discountPercent: fc.option(decimalString(10_000, rules.discountPercentDecimals), { nil: undefined }),
});
const cart = fc.record({ lines: fc.array(line, { minLength: 1, maxLength: 20 }), basis: fc.constantFrom<'net' | 'gross'>('net', 'gross') });

describe('lexoffice: prediction = sandbox arithmetic for random carts (issue 12)', () => {
  let rig: LexofficeMoneyRig;
  beforeAll(async () => {
    rig = await startLexofficeMoneyRig();
  });
  afterAll(() => rig.running.close());

  it('sends every cart within the money rules unchanged and reads back exactly the predicted totals', async () => {
    await fc.assert(
      fc.asyncProperty(cart, async ({ lines, basis }) => {
        const draft = rig.draft(lines, basis);
        const document = await rig.provider.createDocument(draft);
        expect(document.totals).toEqual(rig.provider.predictTotals(draft));
        const stored = (await rig.call('GET', `/v1/invoices/${document.id}`)).body as {
          lineItems: { quantity: number; unitPrice: { netAmount?: number; grossAmount?: number }; discountPercentage?: number }[];
        };
        stored.lineItems.forEach((sent, i) => {
          expect(new Decimal(sent.quantity).eq(lines[i].quantity)).toBe(true);
          expect(new Decimal((basis === 'gross' ? sent.unitPrice.grossAmount : sent.unitPrice.netAmount)!).eq(lines[i].unitPrice)).toBe(true);
          expect(new Decimal(sent.discountPercentage ?? 0).eq(lines[i].discountPercent ?? 0)).toBe(true);
        });
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('refuses carts beyond the rules (5 decimals, a negative line, another currency) without sending them', async () => {
    const beyond = fc.oneof(
      line.map((l) => ({ line: { ...l, unitPrice: new Decimal(l.unitPrice).plus('0.00001').toFixed() }, currency: 'EUR' })),
      line.map((l) => ({ line: { ...l, quantity: new Decimal(l.quantity).plus('0.00001').toFixed() }, currency: 'EUR' })),
      line.map((l) => ({ line: { ...l, unitPrice: new Decimal(l.unitPrice).plus('0.01').negated().toFixed() }, currency: 'EUR' })),
      line.map((l) => ({ line: l, currency: 'CHF' })),
      line.map((l) => ({ line: l, currency: 'JPY' })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 5 }), beyond, async (good, { line: bad, currency }) => {
        const before = rig.sandbox.store.vouchers.size;
        await expect(rig.provider.createDocument(rig.draft([...good, bad], 'net', currency))).rejects.toMatchObject({ kind: 'validation' });
        expect(rig.sandbox.store.vouchers.size).toBe(before);
      }),
      { numRuns: 40 },
    );
  }, 30_000);
});
