/**
 * bexio's document arithmetic, written for the emulator from bexio's own material only:
 * - docs.bexio.com invoice samples (saved copy: gigerIT/bexio-api-client@d56c2e31 `docs/Bexio API Description.md`):
 *   5 × 3.56 at 7.7 % net → `total_net` "17.800000", `total_taxes` "1.3706", `total` "19.150000",
 *   `total_rounding_difference` -0.02. Positions and taxes keep their decimals (at most 6, the docs'
 *   FAQ); only the amount due is rounded.
 * - docs.bexio.com "Currencies": each currency has a `round_factor` ("to round CHF to 5 Rp. set 0.05").
 * - https://support.bexio.com/hc/de/articles/234773508: the total is rounded commercially
 *   ("kaufmännisch") to the currency's factor and the difference is shown on the invoice.
 * - docs.bexio.com Invoice `mwst_is_net`: "false = Taxes are included in the total, true = Taxes will be
 *   added to the total" (only with `mwst_type` 0; 1 = excluding taxes, 2 = exempt from taxes).
 */
import DecimalJs from 'decimal.js';

/** HALF_UP: bexio rounds "nach kaufmännischen Rundungsregeln" (support article above). */
export const Money = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP });
export type Money = InstanceType<typeof Money>;

/** bexio keeps money and quantities with at most 6 decimals (docs.bexio.com FAQ). */
export const storedDecimals = 6;

export interface PricedPosition {
  amount: string;
  unitPrice: string;
  discountPercent: string;
  /** The rate of the position's tax (`value` of the tax object), in percent. */
  taxPercent: string;
}

export interface DocumentSettings {
  mwstType: number;
  mwstIsNet: boolean;
  /** The document currency's `round_factor`, e.g. 0.05 for CHF. */
  roundFactor: string;
}

export interface DocumentSums {
  positionTotals: Money[];
  totalGross: Money;
  totalNet: Money;
  totalTaxes: Money;
  taxs: Array<{ percentage: Money; value: Money }>;
  total: Money;
  totalRoundingDifference: Money;
}

export function documentSums(positions: PricedPosition[], settings: DocumentSettings): DocumentSums {
  const positionTotals = positions.map((p) => {
    const discounted = new Money(p.amount).mul(p.unitPrice).mul(new Money(100).sub(p.discountPercent)).div(100);
    return discounted.toDecimalPlaces(storedDecimals);
  });
  const sumOf = (values: Money[]) => values.reduce((acc, v) => acc.add(v), new Money(0));
  const positionSum = sumOf(positionTotals);
  const withTaxes = settings.mwstType === 0;

  const baseByRate = new Map<string, Money>();
  positions.forEach((p, i) => {
    const rate = new Money(p.taxPercent).toString();
    baseByRate.set(rate, (baseByRate.get(rate) ?? new Money(0)).add(positionTotals[i]));
  });
  // One `taxs` entry per rate that carries tax, lowest rate first (the docs sample lists one rate).
  const taxs = withTaxes
    ? [...baseByRate.entries()]
        .map(([rate, base]) => ({ percentage: new Money(rate), base }))
        .filter((t) => !t.percentage.isZero())
        .sort((a, b) => a.percentage.cmp(b.percentage))
        .map(({ percentage, base }) => {
          const share = settings.mwstIsNet ? base.mul(percentage).div(100) : base.mul(percentage).div(percentage.add(100));
          return { percentage, value: share.toDecimalPlaces(storedDecimals) };
        })
    : [];
  const totalTaxes = sumOf(taxs.map((t) => t.value));
  const taxesAdded = withTaxes && settings.mwstIsNet;
  const due = taxesAdded ? positionSum.add(totalTaxes) : positionSum;
  const dueInCents = due.toDecimalPlaces(2);
  const total = toRoundFactor(dueInCents, settings.roundFactor);
  return {
    positionTotals,
    totalGross: positionSum,
    totalNet: withTaxes && !settings.mwstIsNet ? positionSum.sub(totalTaxes) : positionSum,
    totalTaxes,
    taxs,
    total,
    totalRoundingDifference: total.sub(dueInCents),
  };
}

/** The nearest multiple of `factor`, ties away from zero; a factor of 0 leaves the amount as is. */
function toRoundFactor(amount: Money, factor: string): Money {
  const step = new Money(factor);
  return step.lte(0) ? amount : amount.div(step).toDecimalPlaces(0).mul(step);
}

/** Money and quantities as bexio prints them: six decimals ("17.800000"). */
export function sixPlaces(value: Money | string): string {
  return new Money(value).toFixed(storedDecimals);
}

/** `total_taxes` and `total_remaining_payments` carry four decimals ("1.3706" in the docs, "0.0000" recorded). */
export function fourPlaces(value: Money): string {
  return value.toFixed(4);
}

/** Tax amounts as the docs sample prints them: unpadded, at least two decimals ("1.3706", "0.50"). */
export function unpadded(value: Money): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}
