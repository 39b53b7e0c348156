// Every Qonto row of docs/reference/money.md §7 (examples 1–6), to the cent, including the "alt" readings.
import { describe, expect, it } from 'vitest';
import { computeQontoTotals, exactNetUnitPrice, fromVatRatio, toVatRatio } from './totals';

const pct = (value: string) => ({ type: 'percentage' as const, value });

describe('computeQontoTotals (money.md §7)', () => {
  it('rounds VAT per line, then sums (example 1 → 61.12, not the per-rate 61.11)', () => {
    const t = computeQontoTotals([
      { quantity: '1', unitPrice: '9.99', vatRate: '0.19' },
      { quantity: '1', unitPrice: '19.50', vatRate: '0.19' },
      { quantity: '3', unitPrice: '4.99', vatRate: '0.07' },
      { quantity: '1', unitPrice: '10.00', vatRate: '0' },
    ]);
    expect(t.items.map((i) => i.vat)).toEqual(['1.90', '3.71', '1.05', '0.00']);
    expect([t.subtotal, t.vat, t.total]).toEqual(['54.46', '6.66', '61.12']);
  });

  it('rounds a 10 % discount amount to cents before subtracting it (example 2 → 77.80 / 92.58)', () => {
    const t = computeQontoTotals([{ quantity: '7', unitPrice: '12.35', vatRate: '0.19', discount: pct('0.1') }]);
    expect(t.items[0].discountAmount).toBe('8.65');
    expect([t.subtotal, t.vat, t.total]).toEqual(['77.80', '14.78', '92.58']);
  });

  it('gives the alt reading 77.81 / 92.59 when the discounted net is rounded instead (example 2 alt)', () => {
    const t = computeQontoTotals([{ quantity: '7', unitPrice: '12.35', vatRate: '0.19', discount: pct('0.1') }], { discountRounding: 'roundNet' });
    expect([t.subtotal, t.vat, t.total]).toEqual(['77.81', '14.78', '92.59']);
  });

  it('takes the discount of the exact q × p, not of the rounded line (Q-R2): 0.5 × 0.25 at 50 % → 0.13 − 0.07 = 0.06', () => {
    // Exact line 0.125 → 0.13; discount r2(0.125 × 0.5) = r2(0.0625) = 0.06 would be of the rounded 0.13 → 0.07.
    const t = computeQontoTotals([{ quantity: '0.5', unitPrice: '0.25', vatRate: '0', discount: pct('0.5') }]);
    expect(t.items[0].discountAmount).toBe('0.06');
    expect(t.subtotal).toBe('0.07');
  });

  it('rounds a fractional-quantity line half-up to 50.00 (example 3 → 59.50)', () => {
    const t = computeQontoTotals([{ quantity: '1.5', unitPrice: '33.33', vatRate: '0.19' }]);
    expect([t.subtotal, t.vat, t.total]).toEqual(['50.00', '9.50', '59.50']);
  });

  it('taxes the rounded line net, so the 1.425 tie becomes 1.43 (example 4 → 8.93)', () => {
    const t = computeQontoTotals([{ quantity: '3', unitPrice: '2.50', vatRate: '0.19' }]);
    expect([t.subtotal, t.vat, t.total]).toEqual(['7.50', '1.43', '8.93']);
  });

  it('keeps the unit price as sent: 40 × 0.1234 is 4.94, never the 4.80 of a cent-rounded price', () => {
    expect(computeQontoTotals([{ quantity: '40', unitPrice: '0.1234', vatRate: '0' }]).subtotal).toBe('4.94');
  });

  it('converts a gross price only where the net price is exact in cents (example 5: 59.90 at 19 % is not)', () => {
    expect(exactNetUnitPrice('59.90', '19', 2)).toBeNull();
    expect(exactNetUnitPrice('21.40', '7', 2)).toBe('20');
    expect(exactNetUnitPrice('11.90', '19', 2)).toBe('10');
    expect(exactNetUnitPrice('59.90', '19', 4)).toBeNull();
  });

  it('matches the support article at 20 %: 849.99 + 25.75 → VAT 175.15, total 1050.89 (example 6a)', () => {
    const t = computeQontoTotals([
      { quantity: '1', unitPrice: '849.99', vatRate: '0.2' },
      { quantity: '1', unitPrice: '25.75', vatRate: '0.2' },
    ]);
    expect(t.items.map((i) => i.vat)).toEqual(['170.00', '5.15']);
    expect([t.vat, t.total]).toEqual(['175.15', '1050.89']);
  });

  it('subtracts an absolute discount from the line (example 6b → 54.97 net, 65.96 total)', () => {
    const t = computeQontoTotals([{ quantity: '3', unitPrice: '19.99', vatRate: '0.2', discount: { type: 'absolute', value: '5.00' } }]);
    expect([t.subtotal, t.vat, t.total]).toEqual(['54.97', '10.99', '65.96']);
  });
});

describe('VAT ratio conversion', () => {
  it('turns percent into the ratio strings Qonto expects and back', () => {
    expect(['19', '7', '0', '5.5'].map(toVatRatio)).toEqual(['0.19', '0.07', '0', '0.055']);
    expect(fromVatRatio('0.19')).toBe('19');
  });
});
