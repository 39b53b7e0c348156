/**
 * The amount on the invoice is the amount agreed in HubSpot, or the invoice is not created and the
 * user sees why. Before anything is sent, a draft is checked against what the connected vendor holds
 * exactly (`MoneyRules`, money.md §0): a price, quantity or discount with more decimals than the
 * vendor keeps, a currency it does not take, an amount the currency cannot express (ISO 4217 minor
 * units), a credit line where the vendor takes none, gross prices where it has no gross mode and they
 * cannot be converted exactly. Every refusal names the line and the value. Pure.
 */
import type { DocumentDraft, DocumentTotals, DraftLine, MoneyRules } from '../accounting/provider';
import { dec, roundHalfUp, sum, type Decimal } from '../money/decimal';

export type MoneyCode =
  | 'currency_invalid'
  | 'currency_not_supported'
  | 'unit_price_too_precise'
  | 'quantity_too_precise'
  | 'discount_too_precise'
  | 'negative_line_not_supported'
  | 'amount_too_precise_for_currency'
  | 'total_too_precise_for_currency'
  | 'gross_price_not_exact'
  | 'gross_total_not_exact';

export interface MoneyNotice {
  code: MoneyCode;
  blocking: true;
  params: Record<string, string | number>;
}

type Draft = Omit<DocumentDraft, 'customerId'>;
type Predict = (draft: Pick<DocumentDraft, 'lines' | 'priceBasis' | 'currency'>) => DocumentTotals;

/**
 * The currency's ISO 4217 minor units (EUR 2, JPY 0, BHD 3) as the runtime's CLDR data gives them,
 * or undefined for a code that is not well-formed.
 */
export function currencyMinorUnits(currency: string): number | undefined {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** Decimals of a decimal string as written, trailing zeros ignored ("12.50" → 1). */
export function decimalsOf(value: string): number {
  return dec(value).decimalPlaces();
}

/** The exact (unrounded) line amount on the line's price basis: q × p × (1 − d/100). */
export function exactLineAmount(line: DraftLine): Decimal {
  const base = dec(line.quantity).times(line.unitPrice);
  return line.discountPercent ? base.times(dec(100).minus(line.discountPercent)).dividedBy(100) : base;
}

/**
 * The draft as it can be sent (gross prices converted to net where the vendor has no gross mode and
 * the conversion is exact), or the reasons it cannot. `predict` is the vendor's own totals rule.
 */
export function checkMoney(draft: Draft, rules: MoneyRules, predict: Predict): { draft: Draft; notices: MoneyNotice[] } {
  const currency = draft.currency;
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) return refuse(draft, 'currency_invalid', { currency });
  if (rules.currencies !== 'any' && !rules.currencies.includes(currency)) {
    return refuse(draft, 'currency_not_supported', { currency, supported: rules.currencies.join(', ') });
  }
  const notices = draft.lines.flatMap((line, index) => lineNotices(line, index + 1, rules, currency, minorUnits));
  if (notices.length > 0) return { draft, notices };

  let sendable = draft;
  if (draft.priceBasis === 'gross' && !rules.grossPrices) {
    const converted = convertGrossToNet(draft, rules, predict);
    if ('code' in converted) return { draft, notices: [converted] };
    sendable = converted;
  }
  // Vendors compute line amounts and tax in cents (money.md §0); a currency without cents (JPY) or with
  // more (BHD) cannot carry such an amount unchanged.
  if (minorUnits !== 2 && sendable.lines.length > 0) {
    const totals = predict(sendable);
    const tooPrecise = [totals.net, totals.tax, totals.gross].find((v) => decimalsOf(v) > minorUnits);
    if (tooPrecise !== undefined) return refuse(draft, 'total_too_precise_for_currency', { value: tooPrecise, currency, minorUnits });
  }
  return { draft: sendable, notices: [] };
}

function lineNotices(line: DraftLine, index: number, rules: MoneyRules, currency: string, minorUnits: number): MoneyNotice[] {
  const at = { line: index, name: line.name };
  const notices: MoneyNotice[] = [];
  const precise = (code: MoneyCode, value: string | undefined, limit: number) => {
    if (value !== undefined && decimalsOf(value) > limit) notices.push({ code, blocking: true, params: { ...at, value, decimals: limit } });
  };
  precise('unit_price_too_precise', line.unitPrice, rules.unitPriceDecimals);
  precise('quantity_too_precise', line.quantity, rules.quantityDecimals);
  precise('discount_too_precise', line.discountPercent, rules.discountPercentDecimals);
  const amount = exactLineAmount(line);
  if (!rules.negativeLines && (dec(line.unitPrice).isNegative() || amount.isNegative())) {
    notices.push({ code: 'negative_line_not_supported', blocking: true, params: { ...at, value: amount.toFixed() } });
  }
  // Vendors compute line amounts in cents: in JPY (0) a fraction of a yen, in BHD (3) a third decimal would be rounded.
  if (minorUnits !== 2 && amount.decimalPlaces() > Math.min(minorUnits, 2)) {
    notices.push({ code: 'amount_too_precise_for_currency', blocking: true, params: { ...at, value: amount.toFixed(), currency, minorUnits } });
  }
  return notices;
}

/**
 * Gross prices for a vendor without a gross mode: each unit price is divided by (1 + t/100); the
 * conversion is used only when every net price fits the vendor's decimals exactly and the vendor's
 * own totals of the net draft give exactly the sum of the gross line amounts the user agreed to.
 */
export function convertGrossToNet(draft: Draft, rules: MoneyRules, predict: Predict): Draft | MoneyNotice {
  const lines: DraftLine[] = [];
  for (const [index, line] of draft.lines.entries()) {
    const net = dec(line.unitPrice).times(100).dividedBy(dec(100).plus(line.taxRatePercent));
    if (net.decimalPlaces() > rules.unitPriceDecimals) {
      return {
        code: 'gross_price_not_exact',
        blocking: true,
        params: { line: index + 1, name: line.name, value: line.unitPrice, taxRatePercent: line.taxRatePercent },
      };
    }
    lines.push({ ...line, unitPrice: net.toFixed() });
  }
  const converted: Draft = { ...draft, priceBasis: 'net', lines };
  const agreed = sum(draft.lines.map((l) => roundHalfUp(exactLineAmount(l), 2)));
  const predicted = dec(predict(converted).gross);
  if (!predicted.equals(agreed)) {
    return { code: 'gross_total_not_exact', blocking: true, params: { value: agreed.toFixed(2), predicted: predicted.toFixed(2), currency: draft.currency } };
  }
  return converted;
}

function refuse(draft: Draft, code: MoneyCode, params: Record<string, string | number>): { draft: Draft; notices: MoneyNotice[] } {
  return { draft, notices: [{ code, blocking: true, params }] };
}
