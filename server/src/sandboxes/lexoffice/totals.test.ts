import { describe, expect, it } from 'vitest';
import { counterpartUnitPrice, voucherTotals } from './totals';
import type { VoucherCreate } from './validation';

const voucher = (taxType: string, lines: [number, number, number, number?][], totalPrice: Partial<VoucherCreate['totalPrice']> = {}): VoucherCreate => ({
  voucherDate: '2027-02-01T00:00:00.000+01:00',
  address: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', countryCode: 'DE' },
  lineItems: lines.map(([quantity, price, rate, discountPercentage]) => ({
    type: 'custom' as const,
    name: 'Brötchen-Sortiment',
    quantity,
    unitName: 'Stück',
    unitPrice: { currency: 'EUR' as const, [taxType === 'gross' ? 'grossAmount' : 'netAmount']: price, taxRatePercentage: rate },
    discountPercentage,
  })),
  totalPrice: { currency: 'EUR', ...totalPrice },
  taxConditions: { taxType: taxType as VoucherCreate['taxConditions']['taxType'] },
});

const money = (t: ReturnType<typeof voucherTotals>) => [t.totalNetAmount, t.totalTaxAmount, t.totalGrossAmount].map((d) => d.toFixed(2));

describe('lexoffice sandbox totals', () => {
  it('prices vat-free tax types net at rate 0', () => {
    expect(money(voucherTotals(voucher('intraCommunitySupply', [[3, 19.99, 0]])))).toEqual(['59.97', '0.00', '59.97']);
  });

  it('shows the other basis of a unit price in cents, as the docs samples do (13.40 → 15.95, 23.90 → 20.08)', () => {
    const [net] = voucher('net', [[2, 13.4, 19]]).lineItems;
    const [gross] = voucher('gross', [[1, 23.9, 19]]).lineItems;
    expect(counterpartUnitPrice(net as never, false)).toEqual({ netAmount: 13.4, grossAmount: 15.95 });
    expect(counterpartUnitPrice(gross as never, true)).toEqual({ netAmount: 20.08, grossAmount: 23.9 });
  });

  it('takes a total discount percentage off each rate before tax (the sandbox reading of money.md LX-R8)', () => {
    const t = voucherTotals(
      voucher(
        'net',
        [
          [1, 100, 19],
          [1, 50, 7],
        ],
        { totalDiscountPercentage: 10 },
      ),
    );
    expect(t.taxAmounts.map((r) => [r.netAmount.toFixed(2), r.taxAmount.toFixed(2)])).toEqual([
      ['45.00', '3.15'],
      ['90.00', '17.10'],
    ]);
    expect(money(t)).toEqual(['135.00', '20.25', '155.25']);
  });

  it('spreads an absolute total discount over the rates in proportion, the last rate taking the remainder', () => {
    const t = voucherTotals(
      voucher(
        'net',
        [
          [1, 100, 19],
          [1, 50, 7],
        ],
        { totalDiscountAbsolute: 10 },
      ),
    );
    expect(t.taxAmounts.map((r) => r.netAmount.toFixed(2))).toEqual(['46.67', '93.33']);
    expect(money(t)).toEqual(['140.00', '21.00', '161.00']);
  });
});
