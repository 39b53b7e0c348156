/**
 * What Qonto's client-invoice API holds exactly (docs/reference/money.md §6, §9), and the check that
 * refuses, before any request, a draft Qonto would round, reject or change. Shared code runs the same
 * rules (`invoicing/money-check.ts`); this copy keeps the provider honest when called directly.
 */
import { dec } from '../../money/decimal';
import type { DocumentDraft, MoneyRules } from '../provider';
import { computeQontoTotals, exactNetUnitPrice, toVatRatio, type QontoMoneyOptions } from './totals';

/**
 * - unitPriceDecimals 2: every item comes back with `unit_price_cents`, an integer (docs sample `"value": "10.0"`
 *   → `1000`, https://docs.qonto.com/api-reference/business-api/endpoints/client-invoices/list-client-invoices);
 *   no docs page, recorded answer or open-source client shows a finer price (the Laravel client of
 *   `QontoInvoiceServiceTest` sends "23.77"; qontoctl's product prices are "12.50"). Finer prices are refused,
 *   not rounded (money.md §9 test 13 stays open, see there).
 * - quantityDecimals 2: `quantity` is a decimal string, samples "0.5" and "1.5" (create-a-client-invoice); no limit
 *   is documented, so no more than the samples' style plus one place is sent.
 * - discountPercentDecimals 2: a percentage discount is a ratio string ("0.1" = 10 %, create and retrieve
 *   samples), so 2 percent decimals are 4 ratio decimals; its amount comes back in cents.
 * - currencies EUR: the create body's `currency` "Currently, only value allowed is EUR" (create-a-client-invoice
 *   field table); the invoice also inherits the client's currency (same page, "Do note").
 * - grossPrices false: `unit_price` is excluding VAT and no gross/TTC switch exists on the create body.
 * - negativeLines false: `quantity` must be positive and `unit_price.value` is an unsigned decimal in every
 *   sample; credits are separate credit notes, whose items carry positive prices too, and the API only lists
 *   and retrieves them (https://docs.qonto.com/api-reference/business-api/endpoints/credit-notes/list-credit-notes,
 *   …/retrieve-a-credit-note; no create operation in the Credit Notes section).
 */
export const qontoMoneyRules: MoneyRules = {
  unitPriceDecimals: 2,
  quantityDecimals: 2,
  discountPercentDecimals: 2,
  currencies: ['EUR'],
  grossPrices: false,
  negativeLines: false,
};

type Line = DocumentDraft['lines'][number];

/** Why Qonto cannot hold this draft exactly, or null. Gross drafts pass only where they convert exactly. */
export function qontoMoneyProblem(
  draft: Pick<DocumentDraft, 'lines' | 'priceBasis' | 'currency'>,
  rules: MoneyRules = qontoMoneyRules,
  options: Partial<QontoMoneyOptions> = {},
): string | null {
  if (rules.currencies !== 'any' && !rules.currencies.includes(draft.currency.toUpperCase())) {
    return `Qonto invoices only in ${rules.currencies.join(', ')}; this deal is in ${draft.currency}`;
  }
  for (const line of draft.lines) {
    const problem = lineProblem(line, draft.priceBasis, rules, options);
    if (problem) return `${line.name}: ${problem}`;
  }
  return null;
}

function lineProblem(line: Line, basis: DocumentDraft['priceBasis'], rules: MoneyRules, options: Partial<QontoMoneyOptions>): string | null {
  const price = dec(line.unitPrice);
  const quantity = dec(line.quantity);
  if (!rules.negativeLines && (price.isNegative() || quantity.lte(0))) return 'Qonto takes no negative or zero lines; issue a credit note in Qonto instead';
  if (quantity.decimalPlaces() > rules.quantityDecimals)
    return `quantity ${line.quantity} has more than ${rules.quantityDecimals} decimals, which Qonto does not hold`;
  if (line.discountPercent && dec(line.discountPercent).decimalPlaces() > rules.discountPercentDecimals) {
    return `discount ${line.discountPercent} % has more than ${rules.discountPercentDecimals} decimals`;
  }
  if (basis === 'net') {
    return price.decimalPlaces() > rules.unitPriceDecimals
      ? `unit price ${line.unitPrice} has more than ${rules.unitPriceDecimals} decimals; Qonto keeps cents`
      : null;
  }
  return grossProblem(line, rules.unitPriceDecimals, options);
}

/**
 * Qonto has no gross mode; a gross line is sent as its exact net price, and only where Qonto's line
 * total (net + per-line VAT) is the gross line amount the user agreed to (r2(q × gross) less the discount), with
 * the portal's reading of the discount rule (`options`).
 */
function grossProblem(line: Line, decimals: number, options: Partial<QontoMoneyOptions>): string | null {
  const net = exactNetUnitPrice(line.unitPrice, line.taxRatePercent, decimals);
  if (net === null) return `gross price ${line.unitPrice} incl. ${line.taxRatePercent} % VAT has no exact net price in cents; Qonto takes net prices only`;
  const discount = line.discountPercent ? { type: 'percentage' as const, value: dec(line.discountPercent).div(100).toFixed() } : undefined;
  const sent = computeQontoTotals([{ quantity: line.quantity, unitPrice: net, vatRate: toVatRatio(line.taxRatePercent), discount }], options).items[0].total;
  const agreed = computeQontoTotals([{ quantity: line.quantity, unitPrice: line.unitPrice, vatRate: '0', discount }], options).items[0].subtotal;
  return sent === agreed ? null : `gross line ${agreed} would become ${sent} at Qonto's net price ${net}; Qonto takes net prices only`;
}
