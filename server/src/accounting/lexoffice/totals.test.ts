import { describe, expect, it } from 'vitest';
import { computeLexofficeTotals, type LexofficeTotals, type LexofficeTotalsLine } from './totals';

const line = (quantity: string, unitPrice: string, taxRatePercentage: string, discountPercentage?: string): LexofficeTotalsLine => ({
  quantity,
  unitPrice,
  taxRatePercentage,
  discountPercentage,
});

function fixed(t: LexofficeTotals) {
  return {
    lines: t.lineItemAmounts.map((a) => a.toFixed(2)),
    taxAmounts: t.taxAmounts.map((r) => [r.taxRatePercentage.toString(), r.taxAmount.toFixed(2), r.netAmount.toFixed(2)]),
    net: t.totalNetAmount.toFixed(2),
    tax: t.totalTaxAmount.toFixed(2),
    gross: t.totalGrossAmount.toFixed(2),
  };
}

// Every Lexware row of reference/money.md §7 (examples 1–6), to the cent, with the [U] alternatives.
describe('computeLexofficeTotals (money.md §7)', () => {
  const example1 = [line('1', '9.99', '19'), line('1', '19.50', '19'), line('3', '4.99', '7'), line('1', '10.00', '0')];

  it('example 1: rounds VAT once per rate, giving 61.11', () => {
    expect(fixed(computeLexofficeTotals(example1, 'net'))).toEqual({
      lines: ['9.99', '19.50', '14.97', '10.00'],
      taxAmounts: [
        ['0', '0.00', '10.00'],
        ['7', '1.05', '14.97'],
        ['19', '5.60', '29.49'],
      ],
      net: '54.46',
      tax: '6.65',
      gross: '61.11',
    });
  });

  it('example 1 under the per-line VAT reading gives 61.12', () => {
    expect(fixed(computeLexofficeTotals(example1, 'net', { vatRounding: 'perLine' })).gross).toBe('61.12');
  });

  it('example 2: rounds the discounted line total once, giving 77.81 net and 92.59 gross', () => {
    const t = fixed(computeLexofficeTotals([line('7', '12.35', '19', '10')], 'net'));
    expect(t).toMatchObject({ lines: ['77.81'], net: '77.81', tax: '14.78', gross: '92.59' });
  });

  it('example 2 with the discount rounded first gives 77.80 and 92.58', () => {
    const t = fixed(computeLexofficeTotals([line('7', '12.35', '19', '10')], 'net', { discountRounding: 'discountFirst' }));
    expect(t).toMatchObject({ net: '77.80', tax: '14.78', gross: '92.58' });
  });

  it('example 3: 1.5 × 33.33 rounds 49.995 half-up to 50.00 and totals 59.50', () => {
    expect(fixed(computeLexofficeTotals([line('1.5', '33.33', '19')], 'net'))).toMatchObject({ net: '50.00', tax: '9.50', gross: '59.50' });
  });

  it('example 4: taxes the rounded 7.50, rounding the 1.425 tie up to 1.43 (8.93)', () => {
    expect(fixed(computeLexofficeTotals([line('3', '2.4999', '19')], 'net'))).toMatchObject({ net: '7.50', tax: '1.43', gross: '8.93' });
  });

  it('example 4 with tax on the exact line amount gives 1.42 and 8.92', () => {
    const t = fixed(computeLexofficeTotals([line('3', '2.4999', '19')], 'net', { taxBase: 'exactLines' }));
    expect(t).toMatchObject({ tax: '1.42', gross: '8.92' });
  });

  it('example 5: a gross invoice keeps the sum of gross prices, 141.20 (net 120.67, tax 20.53)', () => {
    const t = fixed(computeLexofficeTotals([line('2', '59.90', '19'), line('1', '21.40', '7')], 'gross'));
    expect(t).toEqual({
      lines: ['119.80', '21.40'],
      taxAmounts: [
        ['7', '1.40', '20.00'],
        ['19', '19.13', '100.67'],
      ],
      net: '120.67',
      tax: '20.53',
      gross: '141.20',
    });
  });

  it('example 6: reproduces the docs invoice sample (29.85) with its taxAmounts', () => {
    const t = fixed(computeLexofficeTotals([line('2', '13.40', '19', '50'), line('1', '8.32', '7'), line('1', '5.00', '0')], 'net'));
    expect(t).toEqual({
      lines: ['13.40', '8.32', '5.00'],
      taxAmounts: [
        ['0', '0.00', '5.00'],
        ['7', '0.58', '8.32'],
        ['19', '2.55', '13.40'],
      ],
      net: '26.72',
      tax: '3.13',
      gross: '29.85',
    });
  });

  it('example 6: reproduces the gross anchors 666.00 → 559.66 + 106.34 and 23.90 → 20.08 + 3.82', () => {
    expect(fixed(computeLexofficeTotals([line('1', '666.00', '19')], 'gross'))).toMatchObject({ net: '559.66', tax: '106.34', gross: '666.00' });
    expect(fixed(computeLexofficeTotals([line('1', '23.90', '19')], 'gross'))).toMatchObject({ net: '20.08', tax: '3.82', gross: '23.90' });
  });

  it('charges no tax for vat-free tax types (rate 0 on every line)', () => {
    expect(fixed(computeLexofficeTotals([line('2', '10.005', '0')], 'vatfree'))).toMatchObject({ net: '20.01', tax: '0.00', gross: '20.01' });
  });

  // Issue 12, money.md §9 #1 and #3: settled on the docs' wording ("the total tax amount for this tax rate",
  // `lineItemAmount` with up to 2 decimals) and EN 16931 BR-CO-17 / BR-S-08, which Lexware's e-invoices follow.
  it('settled: VAT once per rate on the summed 2-decimal lines; ten 0.03 lines at 19 % carry 0.06 tax, not 10 × 0.01', () => {
    const tenSmall = Array.from({ length: 10 }, () => line('1', '0.03', '19'));
    // Per rate: 0.30 × 0.19 = 0.057 → 0.06; per line: 0.0057 → 0.01, ten times 0.10.
    expect(computeLexofficeTotals(tenSmall, 'net').totalTaxAmount.toFixed(2)).toBe('0.06');
    expect(computeLexofficeTotals(tenSmall, 'net', { vatRounding: 'perLine' }).totalTaxAmount.toFixed(2)).toBe('0.10');
  });

  it('unsettled: the discount rounding order stays a named option (money.md §9 #2), defaulting to the discounted line', () => {
    const example2 = [line('7', '12.35', '19', '10')];
    expect(computeLexofficeTotals(example2, 'net').totalNetAmount.toFixed(2)).toBe('77.81');
    expect(computeLexofficeTotals(example2, 'net', { discountRounding: 'discountFirst' }).totalNetAmount.toFixed(2)).toBe('77.80');
  });

  it('rounds negative amounts half away from zero, the mirror of positive ones', () => {
    expect(fixed(computeLexofficeTotals([line('3', '-2.4999', '19')], 'net'))).toMatchObject({ net: '-7.50', tax: '-1.43', gross: '-8.93' });
  });
});
