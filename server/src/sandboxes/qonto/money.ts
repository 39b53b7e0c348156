/**
 * Client-invoice arithmetic as Qonto describes it, for the emulator only (money.md §6.2):
 * - VAT is rounded per line, then summed: "sum of the roundings"
 *   (https://support-es.qonto.com/hc/en-us/articles/31813522616593-How-does-Qonto-apply-VAT-rounding).
 * - Every amount is kept in cents (`*_cents` integers in https://docs.qonto.com/api-reference/business-api/
 *   endpoints/client-invoices/list-client-invoices); the line amount is q × p rounded to the cent.
 * - A discount comes back as its own cent amount (`discount.amount`), so the line subtotal is the rounded
 *   line amount minus the rounded discount (money.md ex. 2: 86.45 − 8.65 = 77.80) [M/U]; a percentage
 *   discount is taken of the exact quantity × price, before that is rounded (money.md §6.2 Q-R2).
 * - Ties round away from zero (support article: 169.998 → 170.00; tie rule not shown) [M].
 */
import Decimal from 'decimal.js';

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
type Dec = InstanceType<typeof D>;

const toCents = (value: Dec) => value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

export interface LineInput {
  quantity: string;
  unitPrice: string;
  vatRate: string;
  discount?: { type: 'percentage' | 'absolute'; value: string };
}

export interface LineAmounts {
  unitPrice: string;
  discount: string;
  subtotal: string;
  vat: string;
  total: string;
}

export interface InvoiceAmounts {
  lines: LineAmounts[];
  vat: string;
  total: string;
}

export function computeInvoiceAmounts(lines: LineInput[]): InvoiceAmounts {
  const computed = lines.map(computeLine);
  const vat = computed.reduce((acc, l) => acc.plus(l.vat), new D(0));
  const subtotal = computed.reduce((acc, l) => acc.plus(l.subtotal), new D(0));
  return {
    lines: computed.map((l) => ({
      unitPrice: l.unitPrice.toFixed(2),
      discount: l.discount.toFixed(2),
      subtotal: l.subtotal.toFixed(2),
      vat: l.vat.toFixed(2),
      total: l.subtotal.plus(l.vat).toFixed(2),
    })),
    vat: vat.toFixed(2),
    total: subtotal.plus(vat).toFixed(2),
  };
}

function computeLine(line: LineInput) {
  const unitPrice = new D(line.unitPrice);
  const exact = new D(line.quantity).times(unitPrice);
  const amount = toCents(exact);
  let discount = new D(0);
  if (line.discount?.type === 'percentage') discount = toCents(exact.times(line.discount.value));
  // An absolute discount larger than the line cannot make it negative.
  if (line.discount?.type === 'absolute') discount = D.min(toCents(new D(line.discount.value)), amount);
  const subtotal = amount.minus(discount);
  const vat = toCents(subtotal.times(line.vatRate));
  return { unitPrice, discount, subtotal, vat };
}

/** "12.34" → 1234, as Qonto's `*_cents` fields. */
export function cents(value: string): number {
  return new D(value).times(100).toNumber();
}

/** "0.19" → "19", for the PDF. */
export function ratioToPercent(ratio: string): string {
  return new D(ratio).times(100).toFixed();
}

export function minus(a: string, b: string): string {
  return new D(a).minus(b).toFixed(2);
}
