/**
 * A line item's `amount` ("Net price", excl. tax) as HubSpot computes it, with the sandbox's own decimal
 * arithmetic (decimal.js, never floats): `price × quantity − total discount`, where the total discount is the
 * unit `discount` × quantity, or `hs_discount_percentage` % of `price × quantity`
 * (docs/reference/money.md §2 H-1, H-2: https://integrate.hubspot.com/t/line-item-prices-not-adding-up-correctly/13289,
 * https://help.hubdo.com/how-does-hubspot-calculate-and-round-line-item-net-price-when-discounted-by-percentage).
 * Quantity defaults to 1. Rounded to cents, ties away from zero: whether HubSpot rounds `amount` at all is
 * not documented (money.md H-3, UNCONFIRMED).
 */
import DecimalJs from 'decimal.js';

const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });

export interface LineItemPricing {
  price: string;
  quantity?: string;
  /** Unit discount, a currency amount per unit. */
  discount?: string;
  /** Percentage of the line total, 10 for 10 %. */
  discountPercentage?: string;
}

export function lineItemAmount(p: LineItemPricing): string {
  const quantity = new Decimal(p.quantity || '1');
  const preDiscount = new Decimal(p.price).times(quantity);
  let totalDiscount = new Decimal(0);
  if (p.discount) totalDiscount = new Decimal(p.discount).times(quantity);
  else if (p.discountPercentage) totalDiscount = preDiscount.times(p.discountPercentage).dividedBy(100);
  return preDiscount.minus(totalDiscount).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);
}
