/**
 * Qonto's client-invoice arithmetic (docs/reference/money.md §6.2), pure, used by the sandbox to
 * compute what Qonto would store and by the provider to predict totals before reading them back.
 * - Q-R1 [H]: VAT is rounded per line, then summed ("sum of the roundings").
 * - Q-R2 [M/U]: amounts live in cents; a percentage discount's amount is rounded to cents first and
 *   then subtracted from r2(q × p) (money.md ex. 2: 86.45 − 8.65 = 77.80).
 * - Q-R3 [M]: invoice VAT = Σ line VAT; total = Σ line subtotal + VAT.
 */
import { Decimal, dec, roundHalfUp, sum, toMoneyString } from '../../money/decimal';

export interface QontoMoneyOptions {
  /**
   * Q-R2 [U]: `roundDiscount` (default) = r2(q×p) − r2(r2(q×p) × ratio); `roundNet` = r2(q×p × (1 − ratio)).
   * Example 2 gives 77.80 / 77.81.
   */
  discountRounding: 'roundDiscount' | 'roundNet';
  /**
   * Q-R4 [U]: Qonto answers with `unit_price_cents`, so the likeliest rule is that a unit price is
   * kept at cents (`cents`, default); `exact` keeps the decimals sent (money.md §9 test 13).
   */
  unitPricePrecision: 'cents' | 'exact';
  /** Q-R6 [U]: percentage discount `value` as a ratio ("0.1", docs sample, default) or a percent ("10", QCTL fixture). */
  percentageDiscountFormat: 'ratio' | 'percent';
}

export const defaultQontoMoneyOptions: QontoMoneyOptions = {
  discountRounding: 'roundDiscount',
  unitPricePrecision: 'cents',
  percentageDiscountFormat: 'ratio',
};

/** One item as Qonto receives it: decimal strings, `vatRate` as a ratio ("0.19"). */
export interface QontoItemInput {
  quantity: string;
  unitPrice: string;
  vatRate: string;
  discount?: { type: 'percentage' | 'absolute'; value: string };
}

export interface QontoItemTotals {
  /** Unit price as Qonto keeps it. */
  unitPrice: string;
  discountAmount: string;
  /** Net after discount. */
  subtotal: string;
  vat: string;
  /** subtotal + vat (whether Qonto's item `total_amount` is gross: money.md §6.1 [U]). */
  total: string;
}

export interface QontoInvoiceTotals {
  items: QontoItemTotals[];
  subtotal: string;
  vat: string;
  total: string;
}

export function computeQontoTotals(items: QontoItemInput[], options: Partial<QontoMoneyOptions> = {}): QontoInvoiceTotals {
  const o = { ...defaultQontoMoneyOptions, ...options };
  const lines = items.map((item) => computeItem(item, o));
  const subtotal = sum(lines.map((l) => l.subtotal));
  const vat = sum(lines.map((l) => l.vat));
  return {
    items: lines.map((l) => ({
      unitPrice: l.unitPrice.toFixed(o.unitPricePrecision === 'cents' ? 2 : Math.max(2, l.unitPrice.decimalPlaces())),
      discountAmount: toMoneyString(l.discountAmount),
      subtotal: toMoneyString(l.subtotal),
      vat: toMoneyString(l.vat),
      total: toMoneyString(l.subtotal.plus(l.vat)),
    })),
    subtotal: toMoneyString(subtotal),
    vat: toMoneyString(vat),
    total: toMoneyString(subtotal.plus(vat)),
  };
}

function computeItem(item: QontoItemInput, o: QontoMoneyOptions) {
  const unitPrice = o.unitPricePrecision === 'cents' ? roundHalfUp(item.unitPrice) : dec(item.unitPrice);
  const gross = roundHalfUp(dec(item.quantity).times(unitPrice));
  const discountAmount = discountOf(gross, dec(item.quantity).times(unitPrice), item.discount, o);
  const subtotal = gross.minus(discountAmount);
  const vat = roundHalfUp(subtotal.times(item.vatRate));
  return { unitPrice, discountAmount, subtotal, vat };
}

function discountOf(lineAmount: Decimal, exactLineAmount: Decimal, discount: QontoItemInput['discount'], o: QontoMoneyOptions): Decimal {
  if (!discount) return dec(0);
  if (discount.type === 'absolute') return Decimal.min(roundHalfUp(discount.value), lineAmount);
  const ratio = o.percentageDiscountFormat === 'ratio' ? dec(discount.value) : dec(discount.value).div(100);
  if (o.discountRounding === 'roundDiscount') return roundHalfUp(lineAmount.times(ratio));
  return lineAmount.minus(roundHalfUp(exactLineAmount.times(dec(1).minus(ratio))));
}

/** Percent string ("19") → Qonto's ratio string ("0.19"). */
export function toVatRatio(taxRatePercent: string): string {
  return dec(taxRatePercent).div(100).toFixed();
}

/** Ratio string ("0.19") → percent string ("19"). */
export function fromVatRatio(ratio: string): string {
  return dec(ratio).times(100).toFixed();
}

/**
 * Qonto has no gross price mode (Q-R4): a gross unit price becomes a net one at cents,
 * which can move the total by a cent (money.md ex. 5: 141.21 instead of 141.20).
 */
export function netUnitPriceFromGross(grossUnitPrice: string, taxRatePercent: string): string {
  return toMoneyString(dec(grossUnitPrice).div(dec(1).plus(dec(taxRatePercent).div(100))));
}
