/**
 * How the sevDesk emulator computes an invoice's sums, written from sevDesk's own material
 * (docs/reference/money.md §4): amounts rounded to cents "symmetrisch" (half away from zero), VAT
 * per position — the "horizontale Methode" of sevDesk's help article
 * https://hilfe.sevdesk.de/de/articles/9423755-die-kaufmannische-rundungsdifferenz-darum-unterscheidet-sich-der-endbetrag-von-brutto-und-nettorechnungen
 * — and the recorded answers that pin the details: position tax on the cent-rounded position net
 * (recorded `GET /Order?embed=positions`: 200 × 1.30 @ 19 → `sumTax` 49.4, not 200 × 0.25), invoice
 * `sumGross` = `sumNet` + `sumTax` (emuuu/sevDesk.NET ApiDeserializationTests: 84.02 + 15.96 = 99.98),
 * a percentage document discount taken off the net of each rate (emuuu/sevDesk.NET
 * InvoiceDiscountTests, invoice E20231619: 1 365.00 − 3 % → −40.95, tax 251.57, gross 1 575.62).
 */
import DecimalJs from 'decimal.js';

/** A decimal.js of its own: 40 significant digits, ties rounded away from zero. */
export const SevMoney = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP });
export type SevMoney = InstanceType<typeof SevMoney>;

const zero = new SevMoney(0);
const hundred = new SevMoney(100);

/** To the cent, half away from zero (help article: "symmetrisch gerundet"). */
export function toCents(value: SevMoney): SevMoney {
  return value.toDecimalPlaces(2, SevMoney.ROUND_HALF_UP);
}

export interface PositionAmounts {
  /** Decimal strings as the request's JSON numbers read. */
  quantity: string;
  /** Net when the invoice has `showNet: true`, gross otherwise (SVS tag Invoice, `showNet`). */
  price: string;
  taxRate: string;
  /** Percent off the position (SVS `Model_InvoicePos.discount`; recorded positions carry `isPercentage` "1"). */
  discount?: string;
}

/** A `discountSave[]` entry (SVS `saveInvoice.discountSave`): a discount or, with `discount: false`, a surcharge. */
export interface DocumentDiscount {
  isDiscount: boolean;
  isPercentage: boolean;
  /** Percent, or an absolute net amount. */
  value: string;
  text: string;
}

export interface PositionSums {
  sumNet: SevMoney;
  sumTax: SevMoney;
  sumGross: SevMoney;
  /** What the position discount took off, on the price basis of the invoice. */
  sumDiscount: SevMoney;
  /** Unit prices as sevDesk stores them: unrounded, read out with 4 decimals (SVREC2 49.9919 / 7.9819). */
  priceNet: SevMoney;
  priceGross: SevMoney;
  priceTax: SevMoney;
}

export interface InvoiceSums {
  positions: PositionSums[];
  sumNet: SevMoney;
  sumTax: SevMoney;
  sumGross: SevMoney;
  /** Document discounts (negative) and surcharges (positive), net. */
  sumDiscounts: SevMoney;
}

function positionSums(p: PositionAmounts, showNet: boolean): PositionSums {
  const rate = new SevMoney(p.taxRate);
  const quantity = new SevMoney(p.quantity);
  const price = new SevMoney(p.price);
  const undiscounted = quantity.times(price);
  const keep = hundred.minus(p.discount ?? 0).div(hundred);
  const lineAmount = toCents(undiscounted.times(keep));
  const sumDiscount = toCents(undiscounted).minus(lineAmount);
  if (showNet) {
    const sumTax = toCents(lineAmount.times(rate).div(hundred));
    const priceGross = price.times(hundred.plus(rate)).div(hundred);
    return { sumNet: lineAmount, sumTax, sumGross: lineAmount.plus(sumTax), sumDiscount, priceNet: price, priceGross, priceTax: priceGross.minus(price) };
  }
  // Gross prices: the tax is the rate's share t / (100 + t) of the cent-rounded position gross.
  const sumTax = toCents(lineAmount.times(rate).div(hundred.plus(rate)));
  const priceNet = price.times(hundred).div(hundred.plus(rate));
  return { sumNet: lineAmount.minus(sumTax), sumTax, sumGross: lineAmount, sumDiscount, priceNet, priceGross: price, priceTax: price.minus(priceNet) };
}

/**
 * Percentage discounts and surcharges on the net: per tax rate, the cent-rounded share of that rate's
 * net, with its own cent-rounded tax. An absolute amount has no documented split over several rates,
 * so it is only computed for single-rate invoices (the routes refuse the others first).
 */
function documentDiscounts(inputs: PositionAmounts[], positions: PositionSums[], discounts: DocumentDiscount[]): { net: SevMoney; tax: SevMoney } {
  const netByRate = new Map<string, SevMoney>();
  inputs.forEach((p, i) => {
    const key = new SevMoney(p.taxRate).toString();
    netByRate.set(key, (netByRate.get(key) ?? zero).plus(positions[i].sumNet));
  });
  let net = zero;
  let tax = zero;
  for (const d of discounts) {
    if (!d.isPercentage && netByRate.size > 1) throw new RangeError('an absolute document discount over several tax rates is not emulated');
    const sign = d.isDiscount ? -1 : 1;
    for (const [rate, rateNet] of netByRate) {
      const amount = d.isPercentage ? toCents(rateNet.times(d.value).div(hundred)) : new SevMoney(d.value);
      net = net.plus(amount.times(sign));
      tax = tax.plus(toCents(amount.times(rate).div(hundred)).times(sign));
    }
  }
  return { net, tax };
}

export function computeInvoiceSums(showNet: boolean, inputs: PositionAmounts[], discounts: DocumentDiscount[] = []): InvoiceSums {
  const positions = inputs.map((p) => positionSums(p, showNet));
  const total = (pick: (s: PositionSums) => SevMoney) => positions.reduce((acc, s) => acc.plus(pick(s)), zero);
  const off = documentDiscounts(inputs, positions, discounts);
  const sumNet = total((s) => s.sumNet).plus(off.net);
  const sumTax = total((s) => s.sumTax).plus(off.tax);
  return { positions, sumNet, sumTax, sumGross: sumNet.plus(sumTax), sumDiscounts: off.net };
}
