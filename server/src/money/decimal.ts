import DecimalJs from 'decimal.js';

/**
 * The one decimal type for money. HALF_UP (ties away from zero) is what every vendor uses as far as
 * they say (reference/money.md §1.2); never use JS numbers for amounts.
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type Decimal = InstanceType<typeof Decimal>;

export type DecimalInput = string | number | Decimal;

export function dec(value: DecimalInput): Decimal {
  return new Decimal(value);
}

/** Rounds half-up to `places` decimals. */
export function roundHalfUp(value: DecimalInput, places = 2): Decimal {
  return new Decimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP);
}

/** Fixed-point string with exactly `places` decimals, e.g. `"12.30"`. */
export function toMoneyString(value: DecimalInput, places = 2): string {
  return roundHalfUp(value, places).toFixed(places);
}

/** Sum of decimals, exact. */
export function sum(values: Iterable<DecimalInput>): Decimal {
  let total = new Decimal(0);
  for (const value of values) total = total.plus(value);
  return total;
}
