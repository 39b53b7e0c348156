/**
 * sevDesk's invoice totals, predicted the way sevDesk computes them (money.md §4.2). Pure: used by
 * the sandbox to compute what it returns and by the provider for previews. sevDesk's stored totals
 * stay the truth; this only predicts them.
 *
 * The [U] rules of money.md §4.2/§9 are named options, defaulting to the likeliest reading:
 * - `vatRounding` (SV-R2 vs SV-R3, §9 #6), UNSETTLED, so the portal chooses it (`sevdeskRoundingChoices`):
 *   'perPosition' (default; SVREC3 sumTax 49.4 for 200 × 1.30 @ 19 %, and the help article's worked numbers
 *   9.99 → 1.90, 19.50 → 3.71) · 'perUnit' (the same article's text, readable in full for issue 12: "Bei der
 *   horizontalen Methode wird pro Rechnungszeile zuerst die MwSt. aus dem Bruttostückpreis herausgerechnet bzw.
 *   vom Nettostückpreis errechnet. Der Wert wird auf zwei Nachkommastellen symmetrisch gerundet. Anschließend
 *   wird die MwSt. mit der Menge der Rechnungszeile multipliziert", https://hilfe.sevdesk.de/de/articles/9423755).
 *   The vendor's text and the recorded order disagree, and the recording's repository is not identified.
 *   'perPositionExact' (tax on the unrounded net, example 4 alt) has no source and stays for comparison only.
 * - `grossTotal` (SV-R8, §9 #7), SETTLED 'netPlusTax': the same article says the position nets and position
 *   taxes add up to the position grosses, "Diese zusammen ergeben dann den Gesamt-Brutto-Betrag", and SVREC2
 *   reads back 84.02 + 15.96 = 99.98. 'roundedGross' (r2(Σ q × p × (1 + t)), example 3 alt 59.49) stays for
 *   comparison only. Only for net prices.
 */
import { dec, roundHalfUp, sum, type Decimal, type DecimalInput } from '../../money/decimal';
import type { RoundingChoice } from '../rounding';

export interface SevdeskTotalsOptions {
  vatRounding: 'perPosition' | 'perPositionExact' | 'perUnit';
  grossTotal: 'netPlusTax' | 'roundedGross';
}

/** The rule that stays unsettled, chosen per portal (accounting/rounding.ts); the first value is the default. */
export const sevdeskRoundingChoices = [
  { option: 'vatRounding', values: ['perPosition', 'perUnit'], rule: 'SV-R3' },
] as const satisfies readonly RoundingChoice[];

export const defaultSevdeskTotalsOptions: SevdeskTotalsOptions = { vatRounding: 'perPosition', grossTotal: 'netPlusTax' };

export interface SevdeskPositionInput {
  quantity: DecimalInput;
  /** Net when `showNet`, else gross (SVS tag Invoice, `showNet`). */
  price: DecimalInput;
  /** Percent, e.g. 19. */
  taxRate: DecimalInput;
  /** Position discount in percent of the line total (SV-R5, `isPercentage` true). */
  discountPercent?: DecimalInput;
}

export interface SevdeskTotalsInput {
  showNet: boolean;
  positions: SevdeskPositionInput[];
  /** `discountSave[]` with `percentage: true, discount: true` on net amounts (SV-R6). */
  documentDiscountPercent?: DecimalInput;
}

export interface SevdeskPositionTotals {
  sumNet: Decimal;
  sumTax: Decimal;
  sumGross: Decimal;
  /** Amount the position discount took off (gross basis: off the gross). */
  sumDiscount: Decimal;
}

export interface SevdeskTotals {
  positions: SevdeskPositionTotals[];
  sumNet: Decimal;
  sumTax: Decimal;
  sumGross: Decimal;
  /** Document discount, negative or zero (SVREC1 `sumDiscounts` −40.95). */
  sumDiscounts: Decimal;
}

const hundred = dec(100);

export function computeSevdeskTotals(input: SevdeskTotalsInput, options: SevdeskTotalsOptions = defaultSevdeskTotalsOptions): SevdeskTotals {
  const positions = input.positions.map((p) => (input.showNet ? netPosition(p, options) : grossPosition(p, options)));
  let sumNet = sum(positions.map((p) => p.sumNet));
  let sumTax = sum(positions.map((p) => p.sumTax));
  let sumDiscounts = dec(0);
  if (input.documentDiscountPercent !== undefined && !dec(input.documentDiscountPercent).isZero()) {
    // SV-R6: the discount is taken off the net per tax rate and its tax off the tax [M for one rate, U across rates].
    const share = dec(input.documentDiscountPercent).div(hundred);
    for (const [rate, net] of netByRate(input.positions, positions)) {
      const discountNet = roundHalfUp(net.times(share));
      sumDiscounts = sumDiscounts.minus(discountNet);
      sumTax = sumTax.minus(roundHalfUp(discountNet.times(rate).div(hundred)));
    }
    sumNet = sumNet.plus(sumDiscounts);
  }
  const sumGross = grossTotal(input, sumNet, sumTax, options);
  return { positions, sumNet, sumTax, sumGross, sumDiscounts };
}

function grossTotal(input: SevdeskTotalsInput, sumNet: Decimal, sumTax: Decimal, options: SevdeskTotalsOptions): Decimal {
  const hasDocumentDiscount = input.documentDiscountPercent !== undefined && !dec(input.documentDiscountPercent).isZero();
  if (!input.showNet || options.grossTotal === 'netPlusTax' || hasDocumentDiscount) return sumNet.plus(sumTax);
  const exact = sum(input.positions.map((p) => lineAmount(p).times(hundred.plus(p.taxRate)).div(hundred)));
  return roundHalfUp(exact);
}

/** q × p less the percentage discount, unrounded. */
function lineAmount(p: SevdeskPositionInput): Decimal {
  const gross = dec(p.quantity).times(p.price);
  return p.discountPercent === undefined ? gross : gross.times(hundred.minus(p.discountPercent)).div(hundred);
}

function netPosition(p: SevdeskPositionInput, options: SevdeskTotalsOptions): SevdeskPositionTotals {
  const exactNet = lineAmount(p);
  const sumNet = roundHalfUp(exactNet); // SV-R4: position nets are cent-rounded
  const rate = dec(p.taxRate).div(hundred);
  let sumTax: Decimal;
  if (options.vatRounding === 'perUnit') {
    const unitNet = exactNet.div(p.quantity);
    sumTax = roundHalfUp(roundHalfUp(unitNet.times(rate)).times(p.quantity));
  } else {
    sumTax = roundHalfUp((options.vatRounding === 'perPositionExact' ? exactNet : sumNet).times(rate));
  }
  const sumDiscount = roundHalfUp(dec(p.quantity).times(p.price)).minus(sumNet);
  return { sumNet, sumTax, sumGross: sumNet.plus(sumTax), sumDiscount };
}

/** SV-R1 with `showNet: false`: the price is gross, sevDesk extracts the tax (t / (100 + t)) and derives the net. */
function grossPosition(p: SevdeskPositionInput, options: SevdeskTotalsOptions): SevdeskPositionTotals {
  const exactGross = lineAmount(p);
  const sumGross = roundHalfUp(exactGross);
  const share = dec(p.taxRate).div(hundred.plus(p.taxRate));
  const sumTax =
    options.vatRounding === 'perUnit'
      ? roundHalfUp(roundHalfUp(exactGross.div(p.quantity).times(share)).times(p.quantity))
      : roundHalfUp((options.vatRounding === 'perPositionExact' ? exactGross : sumGross).times(share));
  const sumDiscount = roundHalfUp(dec(p.quantity).times(p.price)).minus(sumGross);
  return { sumNet: sumGross.minus(sumTax), sumTax, sumGross, sumDiscount };
}

function netByRate(inputs: SevdeskPositionInput[], positions: SevdeskPositionTotals[]): Map<string, Decimal> {
  const byRate = new Map<string, Decimal>();
  inputs.forEach((p, i) => {
    const key = dec(p.taxRate).toString();
    byRate.set(key, (byRate.get(key) ?? dec(0)).plus(positions[i].sumNet));
  });
  return byRate;
}
