/**
 * How Lexware Office (lexoffice) computes an invoice's amounts (reference/money.md §3.2), as a pure
 * function: the provider's prediction (the sandbox computes its own, from the vendor's documents).
 * The vendor's read-back totals stay the truth; the unsettled rules are named options (money.md §9, §10).
 */
import { Decimal, dec, roundHalfUp, sum } from '../../money/decimal';
import type { RoundingChoice } from '../rounding';

export type LexofficeTaxType =
  | 'net'
  | 'gross'
  | 'vatfree'
  | 'intraCommunitySupply'
  | 'constructionService13b'
  | 'externalService13b'
  | 'thirdPartyCountryService'
  | 'thirdPartyCountryDelivery'
  | 'photovoltaicEquipment';

export interface LexofficeTotalsLine {
  quantity: string;
  /** Net unit price, or gross when `taxType` is `gross` (≤ 4 decimals, money.md §3.1). */
  unitPrice: string;
  taxRatePercentage: string;
  discountPercentage?: string;
}

export interface LexofficeTotalsOptions {
  /**
   * money.md LX-R2 / §9 #2, still UNSETTLED: round the discounted line total once (`discountedLine`, default:
   * docs field text "lineItemAmount: the total price of this line item", sample 2 × 13.40 at 50 % → 13.40;
   * example 2 → 77.81), or round the discount amount first (`discountFirst` → 77.80). No recorded Lexware
   * voucher with a discount that ends in a half cent was found (searched: docs samples, open-source clients'
   * fixtures, Lexware help articles; searched again for issue 12: no lexoffice client's tests or fixtures carry a
   * discounted line read back), so the portal chooses it (`lexofficeRoundingChoices`, invoice setting
   * `roundingRules.lexoffice`) and the preview says which reading it used.
   */
  discountRounding?: 'discountedLine' | 'discountFirst';
  /**
   * money.md LX-R3 / §9 #1, SETTLED per rate: `taxAmounts[]` is "the total tax amount for this tax rate"
   * (docs "Tax Amounts Details") with one `netAmount` per rate, and the e-invoices Lexware emits
   * (`electronicDocumentProfile` EN16931 / XRechnung) define VAT per category as the category's taxable
   * amount × rate, rounded to 2 decimals (EN 16931-1 BR-CO-17; the official validators allow a small
   * tolerance, so this is the documented reading, not a live measurement). `perLine` stays for comparison.
   */
  vatRounding?: 'perRate' | 'perLine';
  /**
   * money.md §9 #3, SETTLED rounded: the per-rate `netAmount` is the sum of 2-decimal `lineItemAmount`s (docs
   * "Line Items Details": "up to 2 decimals"; EN 16931 BR-S-08 taxable amount = Σ line net amounts BT-131,
   * which carry 2 decimals), so tax is taken from the rounded lines. `exactLines` stays for comparison only.
   */
  taxBase?: 'roundedLines' | 'exactLines';
}

export interface LexofficeTaxAmount {
  taxRatePercentage: Decimal;
  taxAmount: Decimal;
  netAmount: Decimal;
}

export interface LexofficeTotals {
  /** Per line, in input order: net, or gross for `taxType` gross (the vendor's `lineItemAmount`). */
  lineItemAmounts: Decimal[];
  /** One entry per rate, ascending by rate, like the docs sample (getInvoice.json). */
  taxAmounts: LexofficeTaxAmount[];
  totalNetAmount: Decimal;
  totalTaxAmount: Decimal;
  totalGrossAmount: Decimal;
}

/** The rules that stay unsettled, chosen per portal (accounting/rounding.ts); the first value is the default. */
export const lexofficeRoundingChoices = [
  { option: 'discountRounding', values: ['discountedLine', 'discountFirst'], rule: 'LX-R2' },
] as const satisfies readonly RoundingChoice[];

export const defaultLexofficeTotalsOptions: Required<LexofficeTotalsOptions> = {
  discountRounding: 'discountedLine',
  vatRounding: 'perRate',
  taxBase: 'roundedLines',
};

export function computeLexofficeTotals(lines: LexofficeTotalsLine[], taxType: LexofficeTaxType, options: LexofficeTotalsOptions = {}): LexofficeTotals {
  const o = { ...defaultLexofficeTotalsOptions, ...options };
  const exact = lines.map((line) => exactLineAmount(line, o.discountRounding));
  const lineItemAmounts = exact.map((amount) => roundHalfUp(amount));
  const bases = o.taxBase === 'roundedLines' ? lineItemAmounts : exact;
  // LX-R5: vat-free tax types carry rate 0 on every line, so they fall out of the net rule with no tax.
  const isGross = taxType === 'gross';
  const groups = new Map<string, { rate: Decimal; amounts: Decimal[] }>();
  lines.forEach((line, i) => {
    const rate = dec(line.taxRatePercentage);
    const key = rate.toString();
    const group = groups.get(key) ?? { rate, amounts: [] };
    group.amounts.push(bases[i]);
    groups.set(key, group);
  });
  const taxAmounts = [...groups.values()]
    .sort((a, b) => a.rate.comparedTo(b.rate))
    .map(({ rate, amounts }) => (isGross ? grossRate(rate, amounts, o.vatRounding) : netRate(rate, amounts, o.vatRounding)));
  const totalNetAmount = sum(taxAmounts.map((t) => t.netAmount));
  const totalTaxAmount = sum(taxAmounts.map((t) => t.taxAmount));
  return { lineItemAmounts, taxAmounts, totalNetAmount, totalTaxAmount, totalGrossAmount: totalNetAmount.plus(totalTaxAmount) };
}

function exactLineAmount(line: LexofficeTotalsLine, rounding: 'discountedLine' | 'discountFirst'): Decimal {
  const gross = dec(line.quantity).times(line.unitPrice);
  const discount = line.discountPercentage ? gross.times(line.discountPercentage).div(100) : new Decimal(0);
  return gross.minus(rounding === 'discountFirst' ? roundHalfUp(discount) : discount);
}

/** LX-R3: net per rate = Σ line amounts; tax = r2(net × t/100), per rate or per line. */
function netRate(rate: Decimal, amounts: Decimal[], vatRounding: 'perRate' | 'perLine'): LexofficeTaxAmount {
  const base = sum(amounts);
  const netAmount = roundHalfUp(base);
  const factor = rate.div(100);
  const taxAmount = vatRounding === 'perRate' ? roundHalfUp(base.times(factor)) : sum(amounts.map((a) => roundHalfUp(a.times(factor))));
  return { taxRatePercentage: rate, taxAmount, netAmount };
}

/** LX-R4: gross per rate = Σ line amounts; net = r2(gross / (1 + t/100)); tax = gross − net. */
function grossRate(rate: Decimal, amounts: Decimal[], vatRounding: 'perRate' | 'perLine'): LexofficeTaxAmount {
  const divisor = rate.div(100).plus(1);
  const gross = roundHalfUp(sum(amounts));
  const netAmount = vatRounding === 'perRate' ? roundHalfUp(gross.div(divisor)) : sum(amounts.map((a) => roundHalfUp(roundHalfUp(a).div(divisor))));
  return { taxRatePercentage: rate, taxAmount: gross.minus(netAmount), netAmount };
}
