import { describe, expect, it } from 'vitest';
import type { DocumentDraft, DocumentTotals, DraftLine, MoneyRules } from '../accounting/provider';
import { dec, roundHalfUp, sum } from '../money/decimal';
import { checkMoney, currencyMinorUnits, exactLineAmount } from './money-check';

const cents: MoneyRules = {
  unitPriceDecimals: 2,
  quantityDecimals: 2,
  discountPercentDecimals: 2,
  currencies: ['EUR'],
  grossPrices: false,
  negativeLines: false,
};
const fourDecimals: MoneyRules = {
  unitPriceDecimals: 4,
  quantityDecimals: 4,
  discountPercentDecimals: 2,
  currencies: 'any',
  grossPrices: true,
  negativeLines: false,
};

/** Per-line rounding of net and tax, as a vendor with per-line VAT does (money.md Q-R3); enough for these checks. */
function perLine(draft: Pick<DocumentDraft, 'lines'>): DocumentTotals {
  const nets = draft.lines.map((l) => roundHalfUp(exactLineAmount(l), 2));
  const taxes = draft.lines.map((l, i) => roundHalfUp(nets[i].times(l.taxRatePercent).dividedBy(100), 2));
  const net = sum(nets);
  const tax = sum(taxes);
  return { net: net.toFixed(2), tax: tax.toFixed(2), gross: net.plus(tax).toFixed(2) };
}

const line = (overrides: Partial<DraftLine> = {}): DraftLine => ({
  name: 'Wartungsvertrag Heizungsanlage Bäckerei Hölzl',
  quantity: '1',
  unitPrice: '100',
  taxRatePercent: '19',
  ...overrides,
});

const draft = (lines: DraftLine[], overrides: Partial<DocumentDraft> = {}): Omit<DocumentDraft, 'customerId'> => ({
  kind: 'invoice',
  currency: 'EUR',
  priceBasis: 'net',
  date: '2027-01-15',
  lines,
  reference: 'APIUP-1-2',
  finalize: true,
  ...overrides,
});

describe('checkMoney', () => {
  it('refuses a unit price with more decimals than the vendor keeps, naming the line and the value', () => {
    const result = checkMoney(draft([line(), line({ name: 'Schrauben Edelstahl „Größe 4“', quantity: '1000', unitPrice: '0.0125' })]), cents, perLine);
    expect(result.notices).toEqual([
      { code: 'unit_price_too_precise', blocking: true, params: { line: 2, name: 'Schrauben Edelstahl „Größe 4“', value: '0.0125', decimals: 2 } },
    ]);
  });

  it('sends 4-decimal prices and 3-decimal quantities unchanged where the vendor keeps them', () => {
    const lines = [line({ quantity: '1.125', unitPrice: '12.3456' }), line({ quantity: '1000', unitPrice: '0.0125' })];
    const result = checkMoney(draft(lines), fourDecimals, perLine);
    expect(result.notices).toEqual([]);
    expect(result.draft.lines).toEqual(lines);
  });

  it('refuses a quantity and a discount percentage the vendor would round', () => {
    const result = checkMoney(draft([line({ quantity: '2.125' }), line({ discountPercent: '33.333' })]), cents, perLine);
    expect(result.notices.map((n) => [n.code, n.params.line, n.params.value])).toEqual([
      ['quantity_too_precise', 1, '2.125'],
      ['discount_too_precise', 2, '33.333'],
    ]);
  });

  it('refuses a currency the vendor does not take, and a code that is no currency', () => {
    expect(checkMoney(draft([line()], { currency: 'JPY' }), cents, perLine).notices).toEqual([
      { code: 'currency_not_supported', blocking: true, params: { currency: 'JPY', supported: 'EUR' } },
    ]);
    expect(checkMoney(draft([line()], { currency: 'EU' }), fourDecimals, perLine).notices[0].code).toBe('currency_invalid');
  });

  it('knows the ISO 4217 minor units: JPY 0, EUR 2, BHD 3', () => {
    expect([currencyMinorUnits('JPY'), currencyMinorUnits('EUR'), currencyMinorUnits('BHD'), currencyMinorUnits('CHF')]).toEqual([0, 2, 3, 2]);
  });

  it('refuses a yen amount with decimals, and yen totals whose tax would carry cents', () => {
    const fraction = checkMoney(draft([line({ quantity: '3', unitPrice: '1500.5' })], { currency: 'JPY' }), fourDecimals, perLine);
    expect(fraction.notices[0]).toMatchObject({
      code: 'amount_too_precise_for_currency',
      params: { line: 1, value: '4501.5', currency: 'JPY', minorUnits: 0 },
    });
    const tax = checkMoney(draft([line({ unitPrice: '1001' })], { currency: 'JPY' }), fourDecimals, perLine);
    expect(tax.notices[0]).toMatchObject({ code: 'total_too_precise_for_currency', params: { value: '190.19', currency: 'JPY', minorUnits: 0 } });
    expect(checkMoney(draft([line({ unitPrice: '1000' })], { currency: 'JPY' }), fourDecimals, perLine).notices).toEqual([]);
  });

  it('refuses a Bahraini dinar amount with three decimals, which a vendor computing in cents would round', () => {
    const fils = checkMoney(draft([line({ quantity: '3', unitPrice: '0.375', taxRatePercent: '0' })], { currency: 'BHD' }), fourDecimals, perLine);
    expect(fils.notices[0]).toMatchObject({ code: 'amount_too_precise_for_currency', params: { value: '1.125', currency: 'BHD', minorUnits: 3 } });
    expect(checkMoney(draft([line({ quantity: '3', unitPrice: '0.37', taxRatePercent: '0' })], { currency: 'BHD' }), fourDecimals, perLine).notices).toEqual(
      [],
    );
  });

  it('refuses a negative line (a rebate, or a unit discount larger than the price) where the vendor takes none', () => {
    const result = checkMoney(draft([line(), line({ name: 'Treuerabatt Stammkunde', quantity: '2', unitPrice: '-12.5' })]), fourDecimals, perLine);
    expect(result.notices).toEqual([
      { code: 'negative_line_not_supported', blocking: true, params: { line: 2, name: 'Treuerabatt Stammkunde', value: '-25' } },
    ]);
    expect(checkMoney(draft([line({ unitPrice: '-12.5' })]), { ...fourDecimals, negativeLines: true }, perLine).notices).toEqual([]);
  });

  it('accepts a 100 % discount line (amount 0)', () => {
    const result = checkMoney(draft([line({ discountPercent: '100' })]), cents, perLine);
    expect(result.notices).toEqual([]);
    expect(exactLineAmount(result.draft.lines[0]).isZero()).toBe(true);
  });

  it('sends gross prices as they are where the vendor has a gross mode', () => {
    const gross = draft([line({ unitPrice: '45' })], { priceBasis: 'gross' });
    expect(checkMoney(gross, fourDecimals, perLine)).toEqual({ draft: gross, notices: [] });
  });

  it('converts gross prices to net for a vendor without gross mode only when the result is exact', () => {
    const exact = checkMoney(
      draft([line({ quantity: '3', unitPrice: '11.90' }), line({ unitPrice: '10.70', taxRatePercent: '7' })], { priceBasis: 'gross' }),
      cents,
      perLine,
    );
    expect(exact.notices).toEqual([]);
    expect(exact.draft.priceBasis).toBe('net');
    expect(exact.draft.lines.map((l) => l.unitPrice)).toEqual(['10', '10']);
    expect(perLine(exact.draft).gross).toBe('46.40');

    const inexact = checkMoney(draft([line({ name: 'Kaffeevollautomat Edelstahl', unitPrice: '45' })], { priceBasis: 'gross' }), cents, perLine);
    expect(inexact.notices).toEqual([
      { code: 'gross_price_not_exact', blocking: true, params: { line: 1, name: 'Kaffeevollautomat Edelstahl', value: '45', taxRatePercent: '19' } },
    ]);
    expect(inexact.draft.priceBasis).toBe('gross');
  });

  it('refuses converted gross prices when the vendor would total another gross amount', () => {
    // Agreed: 2 × r2(0.5 × 1.19) = 2 × 0.60 = 1.20 gross; each net price 1.00 is exact.
    const result = checkMoney(
      draft([line({ quantity: '0.5', unitPrice: '1.19' }), line({ quantity: '0.5', unitPrice: '1.19' })], { priceBasis: 'gross' }),
      { ...cents, quantityDecimals: 4 },
      (d) => {
        const totals = perLine(d);
        // A vendor that rounds VAT per rate on the summed net: 1.00 × 19 % = 0.19, so 1.19 against the agreed 1.20.
        const net = dec(totals.net);
        const tax = roundHalfUp(net.times('0.19'), 2);
        return { net: net.toFixed(2), tax: tax.toFixed(2), gross: net.plus(tax).toFixed(2) };
      },
    );
    expect(result.notices).toEqual([{ code: 'gross_total_not_exact', blocking: true, params: { value: '1.20', predicted: '1.19', currency: 'EUR' } }]);
  });
});
