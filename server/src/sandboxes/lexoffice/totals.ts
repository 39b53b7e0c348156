/**
 * How the Lexware emulator prices a sales voucher, written from the vendor's field descriptions
 * (https://developers.lexware.io/docs/#invoices-endpoint "Line Items Details", "Total Price Details",
 * "Tax Amounts Details") and its samples, with decimal.js and commercial rounding (half away from zero):
 * - `lineItemAmount` = r2(quantity × unit price × (1 − discount/100)), net or gross by `taxType`
 *   (docs sample: 2 × 13.40 at 50 % → 13.40; quotation sample, gross: 23.90);
 * - `taxAmounts[]` holds one entry per rate: net vouchers tax the rate's summed line amounts once
 *   (sample: 13.40 @ 19 → 2.55, 8.32 @ 7 → 0.58); gross vouchers take the net out of the rate's
 *   gross sum (sample: 23.90 @ 19 → 20.08 + 3.82; down-payment sample 666.00 → 559.66 + 106.34).
 */
import Decimal from 'decimal.js';
import type { VoucherCreate } from './validation';

const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Money = InstanceType<typeof Money>;

const cents = (value: Money): Money => value.toDecimalPlaces(2, Money.ROUND_HALF_UP);
const hundred = new Money(100);

export interface RateAmount {
  taxRatePercentage: Money;
  netAmount: Money;
  taxAmount: Money;
}

export interface VoucherTotals {
  /** `lineItemAmount` of each `custom` line, in line order. */
  lineItemAmounts: Money[];
  /** Ascending by rate, as in the docs sample. */
  taxAmounts: RateAmount[];
  totalNetAmount: Money;
  totalTaxAmount: Money;
  totalGrossAmount: Money;
}

type CustomLine = Extract<VoucherCreate['lineItems'][number], { type: 'custom' }>;

/** The unit price the customer sees in the other basis: the docs samples show it in cents (13.40 net → 15.95 gross, 23.90 gross → 20.08 net). */
export function counterpartUnitPrice(line: CustomLine, isGross: boolean): { netAmount: number; grossAmount: number } {
  const factor = new Money(line.unitPrice.taxRatePercentage).div(hundred).plus(1);
  if (isGross) {
    const gross = new Money(line.unitPrice.grossAmount ?? 0);
    return { netAmount: cents(gross.div(factor)).toNumber(), grossAmount: gross.toNumber() };
  }
  const net = new Money(line.unitPrice.netAmount ?? 0);
  return { netAmount: net.toNumber(), grossAmount: cents(net.times(factor)).toNumber() };
}

function lineItemAmount(line: CustomLine, isGross: boolean): Money {
  const price = new Money((isGross ? line.unitPrice.grossAmount : line.unitPrice.netAmount) ?? 0);
  const kept = hundred.minus(line.discountPercentage ?? 0).div(hundred);
  return cents(new Money(line.quantity).times(price).times(kept));
}

/**
 * A total discount lowers each rate's sum before tax: `totalDiscountPercentage` on the net total of
 * net vouchers and the gross total of gross vouchers ("Total Price Details"). How it is split over
 * several rates and rounded is not documented (UNCONFIRMED, money.md LX-R8); the emulator takes the
 * percentage off every rate's sum and spreads an absolute discount in proportion to the rate sums,
 * the last rate taking the rounding remainder.
 */
function discountedSums(sums: Money[], totalPrice: VoucherCreate['totalPrice']): Money[] {
  const percentage = new Money(totalPrice.totalDiscountPercentage ?? 0);
  let result = sums.map((s) => cents(s.times(hundred.minus(percentage)).div(hundred)));
  const absolute = new Money(totalPrice.totalDiscountAbsolute ?? 0);
  const base = result.reduce((a, b) => a.plus(b), new Money(0));
  if (absolute.isZero() || base.isZero()) return result;
  let left = absolute;
  result = result.map((s, i) => {
    const share = i === result.length - 1 ? left : cents(absolute.times(s).div(base));
    left = left.minus(share);
    return s.minus(share);
  });
  return result;
}

export function voucherTotals(body: VoucherCreate): VoucherTotals {
  // Only `gross` prices lines gross; `net` and the vat-free types price them net (rates are 0 there).
  const isGross = body.taxConditions.taxType === 'gross';
  const custom = body.lineItems.filter((l): l is CustomLine => l.type === 'custom');
  const lineItemAmounts = custom.map((l) => lineItemAmount(l, isGross));
  const byRate = new Map<string, { rate: Money; sum: Money }>();
  custom.forEach((line, i) => {
    const rate = new Money(line.unitPrice.taxRatePercentage);
    const entry = byRate.get(rate.toString()) ?? { rate, sum: new Money(0) };
    entry.sum = entry.sum.plus(lineItemAmounts[i]);
    byRate.set(rate.toString(), entry);
  });
  const rates = [...byRate.values()].sort((a, b) => a.rate.comparedTo(b.rate));
  const sums = discountedSums(
    rates.map((r) => r.sum),
    body.totalPrice,
  );
  const taxAmounts = rates.map(({ rate }, i): RateAmount => {
    const factor = rate.div(hundred);
    if (isGross) {
      const netAmount = cents(sums[i].div(factor.plus(1)));
      return { taxRatePercentage: rate, netAmount, taxAmount: sums[i].minus(netAmount) };
    }
    return { taxRatePercentage: rate, netAmount: sums[i], taxAmount: cents(sums[i].times(factor)) };
  });
  const totalNetAmount = taxAmounts.reduce((a, t) => a.plus(t.netAmount), new Money(0));
  const totalTaxAmount = taxAmounts.reduce((a, t) => a.plus(t.taxAmount), new Money(0));
  return { lineItemAmounts, taxAmounts, totalNetAmount, totalTaxAmount, totalGrossAmount: totalNetAmount.plus(totalTaxAmount) };
}
