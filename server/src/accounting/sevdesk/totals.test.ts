import { describe, expect, it } from 'vitest';
import { computeSevdeskTotals, defaultSevdeskTotalsOptions, sevdeskRoundingChoices, type SevdeskTotalsInput, type SevdeskTotalsOptions } from './totals';

/** Every sevDesk row of money.md §7 (examples 1–6), to the cent, under the default and each alternative reading. */
function totals(input: SevdeskTotalsInput, options?: Partial<SevdeskTotalsOptions>) {
  const t = computeSevdeskTotals(input, { vatRounding: 'perPosition', grossTotal: 'netPlusTax', ...options });
  return { net: t.sumNet.toFixed(2), tax: t.sumTax.toFixed(2), gross: t.sumGross.toFixed(2) };
}

const example1: SevdeskTotalsInput = {
  showNet: true,
  positions: [
    { quantity: '1', price: '9.99', taxRate: '19' },
    { quantity: '1', price: '19.50', taxRate: '19' },
    { quantity: '3', price: '4.99', taxRate: '7' },
    { quantity: '1', price: '10.00', taxRate: '0' },
  ],
};
const example2: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '7', price: '12.35', taxRate: '19', discountPercent: '10' }] };
const example3: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '1.5', price: '33.33', taxRate: '19' }] };
const example4: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '3', price: '2.4999', taxRate: '19' }] };
const example5: SevdeskTotalsInput = {
  showNet: false,
  positions: [
    { quantity: '2', price: '59.90', taxRate: '19' },
    { quantity: '1', price: '21.40', taxRate: '7' },
  ],
};

describe('sevDesk totals (money.md §4.2, §7)', () => {
  it('rounds VAT per position for mixed rates (example 1: 61.12, not lexoffice 61.11)', () => {
    expect(totals(example1)).toEqual({ net: '54.46', tax: '6.66', gross: '61.12' });
    expect(totals(example1, { vatRounding: 'perUnit' })).toEqual({ net: '54.46', tax: '6.66', gross: '61.12' });
  });

  it('rounds the discounted position net, not the discount (example 2: 92.59; unit rule 92.58)', () => {
    expect(totals(example2)).toEqual({ net: '77.81', tax: '14.78', gross: '92.59' });
    expect(totals(example2, { vatRounding: 'perUnit' })).toEqual({ net: '77.81', tax: '14.77', gross: '92.58' });
  });

  it('rounds a fractional-quantity net half up before the tax (example 3: 59.50; one-step gross 59.49)', () => {
    expect(totals(example3)).toEqual({ net: '50.00', tax: '9.50', gross: '59.50' });
    expect(totals(example3, { vatRounding: 'perUnit' })).toEqual({ net: '50.00', tax: '9.50', gross: '59.50' });
    expect(totals(example3, { grossTotal: 'roundedGross' }).gross).toBe('59.49');
  });

  it('settles the gross total as position nets plus position taxes, so it is no portal choice (§9 #7)', () => {
    // hilfe.sevdesk.de/de/articles/9423755: position nets and taxes give the position grosses, "Diese zusammen ergeben
    // dann den Gesamt-Brutto-Betrag"; SVREC2 reads back 84.02 + 15.96 = 99.98. Example 3: 50.00 + 9.50 = 59.50, not 59.49.
    expect(defaultSevdeskTotalsOptions.grossTotal).toBe('netPlusTax');
    expect(computeSevdeskTotals(example3).sumGross.toFixed(2)).toBe('59.50');
    expect(sevdeskRoundingChoices.map((c) => c.option)).toEqual(['vatRounding']);
  });

  it('rounds the 1.425 tie up on a 4-decimal unit price (example 4: 8.93; alts 8.92 and 8.91)', () => {
    expect(totals(example4)).toEqual({ net: '7.50', tax: '1.43', gross: '8.93' });
    expect(totals(example4, { vatRounding: 'perPositionExact' })).toEqual({ net: '7.50', tax: '1.42', gross: '8.92' });
    expect(totals(example4, { vatRounding: 'perUnit' })).toEqual({ net: '7.50', tax: '1.41', gross: '8.91' });
  });

  it('keeps the gross sum for gross prices (example 5: 141.20 with net 120.67; unit rule 120.68)', () => {
    expect(totals(example5)).toEqual({ net: '120.67', tax: '20.53', gross: '141.20' });
    expect(totals(example5, { vatRounding: 'perUnit' })).toEqual({ net: '120.68', tax: '20.52', gross: '141.20' });
  });

  it('matches the recorded 2 × 42.01 invoice (example 6a, SVREC2: 84.02 + 15.96 = 99.98)', () => {
    const input: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '2', price: '42.01', taxRate: '19' }] };
    expect(totals(input)).toEqual({ net: '84.02', tax: '15.96', gross: '99.98' });
  });

  it('takes a 3 % document discount off net and tax (example 6b, SVREC1: 1 324.05 / 251.57 / 1 575.62)', () => {
    const input: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '1', price: '1365.00', taxRate: '19' }], documentDiscountPercent: '3' };
    const t = computeSevdeskTotals(input);
    expect(t.sumDiscounts.toFixed(2)).toBe('-40.95');
    expect(totals(input)).toEqual({ net: '1324.05', tax: '251.57', gross: '1575.62' });
  });

  it('separates per-position from per-unit VAT on 200 × 1.30 (example 6c, SVREC3: 49.40 vs 50.00)', () => {
    const input: SevdeskTotalsInput = { showNet: true, positions: [{ quantity: '200', price: '1.30', taxRate: '19' }] };
    expect(totals(input)).toEqual({ net: '260.00', tax: '49.40', gross: '309.40' });
    expect(totals(input, { vatRounding: 'perUnit' }).tax).toBe('50.00');
  });

  it('reports each position with its own rounded net, tax and discount', () => {
    const t = computeSevdeskTotals(example2);
    expect(t.positions[0].sumNet.toFixed(2)).toBe('77.81');
    expect(t.positions[0].sumDiscount.toFixed(2)).toBe('8.64');
    expect(t.positions[0].sumGross.toFixed(2)).toBe('92.59');
  });
});
