/**
 * bexio's invoice arithmetic (reference/money.md §5), pure: used by the sandbox to compute what
 * bexio stores and by the provider to predict totals before it reads bexio's own figures back.
 *
 * - BX-R1 [H]: `total` is rounded to the currency's `round_factor` (CHF 0.05, "5-Rappen").
 * - BX-R2/R3: tax is per rate (`taxs[]`), SETTLED not cent-rounded (money.md §5.3: docs sample `total_taxes`
 *   "1.3706", live read-back with 4 decimals). Whether positions are cent-rounded before the sums is still
 *   UNCONFIRMED (money.md §9 #10), so it is the named option `precision`, chosen per portal
 *   (`bexioRoundingChoices`): 'docs' (default: positions kept at 6 dp, as `nb_decimals_*` are documented as
 *   "decimal digits to display") or 'cent-positions' (positions rounded to cents, taxes still unrounded; an
 *   integrator quoting bexio: bookkeeping keeps 2 decimals since 4 March 2020,
 *   https://intercom.help/werk8/de/articles/9399148). With CHF's 0.05 factor they give the same `total` in every
 *   worked example (money.md §7); with 0.01 (EUR) they can differ by a cent (1.5 × 33.33 @ 8.1 %: 54.04 / 54.05).
 *   Searched again for issue 12: no recorded bexio position with a sub-cent `position_total` was found.
 *   'cent-first' (taxes cent-rounded too) contradicts the settled tax rule and stays for comparison only.
 * - BX-R4 [M]: `total_rounding_difference = total − r2(unrounded total)`.
 * - BX-R5 [H]: gross prices (`mwst_is_net` false) contain the tax: `gross × t / (100 + t)`.
 */
import { Decimal, dec, roundHalfUp, sum } from '../../money/decimal';
import type { RoundingChoice } from '../rounding';

export type BexioPrecision = 'docs' | 'cent-positions' | 'cent-first';

/** The rule that stays unsettled, chosen per portal (accounting/rounding.ts); the first value is the default. */
export const bexioRoundingChoices = [{ option: 'precision', values: ['docs', 'cent-positions'], rule: 'BX-R3' }] as const satisfies readonly RoundingChoice[];

export interface BexioTotalsPosition {
  /** Quantity (`amount`), decimal string. */
  amount: string;
  unitPrice: string;
  /** `discount_in_percent`, decimal string; omitted = 0. */
  discountPercent?: string;
  /** The rate of the position's `tax_id` (tax object `value`), percent. */
  taxPercent: string;
}

export interface BexioTotalsOptions {
  /** `mwst_type`: 0 including taxes, 1 excluding taxes, 2 exempt (money.md §5.1). Default 0. */
  mwstType?: 0 | 1 | 2;
  /** `mwst_is_net`: true = prices are net and tax is added; false = prices contain the tax. Default true. */
  mwstIsNet?: boolean;
  /** The currency's `round_factor` from `/3.0/currencies`, e.g. "0.05" (CHF) or "0.01". */
  roundFactor: string;
  precision?: BexioPrecision;
}

export interface BexioTotals {
  /** `position_total` per position, 6-dp strings as bexio returns them. */
  positionTotals: string[];
  /** Sum of positions (before document discounts, BX-R3). */
  totalGross: Decimal;
  /** Net amount: for net prices the position sum, for gross prices the position sum minus the tax. */
  totalNet: Decimal;
  totalTaxes: Decimal;
  /** `taxs[]`: one entry per rate with a non-zero rate, ordered by rate. */
  taxes: Array<{ percentage: Decimal; value: Decimal }>;
  /** The amount due, rounded to the currency's factor. */
  total: Decimal;
  totalRoundingDifference: Decimal;
}

/** bexio stores money and quantities with at most 6 decimals (accounting.md §3.2). */
const storedPlaces = 6;

export function computeBexioTotals(positions: BexioTotalsPosition[], options: BexioTotalsOptions): BexioTotals {
  const precision = options.precision ?? 'docs';
  const isNet = options.mwstIsNet ?? true;
  const taxed = (options.mwstType ?? 0) === 0;
  const lineTotals = positions.map((p) => {
    const exact = dec(p.amount)
      .times(p.unitPrice)
      .times(dec(100).minus(p.discountPercent ?? '0'))
      .dividedBy(100);
    return precision === 'docs' ? roundHalfUp(exact, storedPlaces) : roundHalfUp(exact, 2);
  });

  const byRate = new Map<string, { rate: Decimal; base: Decimal }>();
  positions.forEach((p, i) => {
    const rate = dec(p.taxPercent);
    const key = rate.toString();
    const entry = byRate.get(key) ?? { rate, base: dec(0) };
    entry.base = entry.base.plus(lineTotals[i]);
    byRate.set(key, entry);
  });

  const taxes = [...byRate.values()]
    .filter((e) => taxed && !e.rate.isZero())
    .sort((a, b) => a.rate.comparedTo(b.rate))
    .map(({ rate, base }) => {
      const exact = isNet ? base.times(rate).dividedBy(100) : base.times(rate).dividedBy(dec(100).plus(rate));
      const value = precision === 'cent-first' ? roundHalfUp(exact, 2) : roundHalfUp(exact, storedPlaces);
      return { percentage: rate, value };
    });

  const totalGross = sum(lineTotals);
  const totalTaxes = sum(taxes.map((t) => t.value));
  const totalNet = isNet || !taxed ? totalGross : totalGross.minus(totalTaxes);
  const unrounded = isNet && taxed ? totalGross.plus(totalTaxes) : totalGross;
  const cents = roundHalfUp(unrounded, 2);
  const total = roundToFactor(cents, options.roundFactor);
  return {
    positionTotals: lineTotals.map((t) => t.toFixed(storedPlaces)),
    totalGross,
    totalNet,
    totalTaxes,
    taxes,
    total,
    totalRoundingDifference: total.minus(cents),
  };
}

/** Rounds half-up to a multiple of `factor` (0.05 → 5-Rappen; 0.01 → cents). */
export function roundToFactor(value: Decimal, factor: string): Decimal {
  const f = dec(factor);
  if (f.lte(0)) return value;
  return value.dividedBy(f).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(f);
}

/** ISO 4217 minor units of a currency (2 for CHF/EUR, 0 for JPY), as Intl knows them. */
export function minorUnits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** The currency's smallest unit as a decimal string ("0.01", "1"). */
export function minorUnitStep(currency: string): string {
  return dec(1)
    .dividedBy(dec(10).pow(minorUnits(currency)))
    .toFixed();
}
