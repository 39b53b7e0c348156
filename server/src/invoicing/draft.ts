/**
 * Turns a deal into the neutral document draft, or a skip with its reason. Pure: no HTTP, no SQL.
 * Prices go to the vendor as price, quantity and discount, never HubSpot's computed `amount`
 * (money.md §1.4): each vendor applies its own rounding.
 */
import type { CustomerInput, DocumentDraft, DraftLine } from '../accounting/provider';
import type { Features } from '../billing/packages';
import { dec } from '../money/decimal';
import type { DealData, LineItemData } from './deal-data';
import type { InvoiceMessageCode } from './messages';
import type { DraftSettings, InvoiceSettings } from './settings';
import { renderTemplate, type TemplateContext } from './template';

/** Where a line's tax rate came from; `default` is the portal's default rate for a line HubSpot gave none. */
export type TaxRateSource = 'hubspot' | 'product_rule' | 'default';

export type DraftDecision =
  | {
      kind: 'draft';
      draft: Omit<DocumentDraft, 'customerId'>;
      customer: CustomerInput;
      customerSource: { objectType: 'company' | 'contact'; id: string };
      /** Per line of `draft.lines`, in order. */
      taxRateSources: TaxRateSource[];
    }
  | { kind: 'skip'; code: InvoiceMessageCode; params?: Record<string, string | number> };

export interface DraftInput {
  deal: DealData;
  settings: DraftSettings;
  features: Features;
  reference: string;
  /** `YYYY-MM-DD` for the document date. */
  today: string;
  defaultCurrency?: string;
}

export function decideDraft(input: DraftInput): DraftDecision {
  const { deal, settings, features } = input;
  if (!features.invoicing) return { kind: 'skip', code: 'plan_required' };
  const currency = dealCurrency(deal, input.defaultCurrency);

  if (features.conditions) {
    const failed = evaluateConditions(deal, settings, currency).find((c) => !c.passed);
    if (failed) return { kind: 'skip', code: failed.code, params: failed.params };
  }

  const party = deal.company ?? deal.contact;
  if (!party) return { kind: 'skip', code: 'no_customer' };

  const lines = buildLines(deal, settings);
  if ('code' in lines) return lines;
  const missing = linesWithDefaultRate(lines);
  if (missing.length > 0 && settings.missingTaxRate === 'skip') {
    return { kind: 'skip', code: 'missing_tax_rate', params: { names: missing.map((m) => `${m.line}. ${m.name}`).join(', ') } };
  }

  const context = templateContext(deal, currency);
  const texts = features.texts ? settings.texts : { title: '', introduction: '', paymentTerms: '', closingText: '' };
  const defaultTitle = input.settings.documentType === 'quotation' ? `Angebot ${deal.name}` : `Rechnung ${deal.name}`;
  return {
    kind: 'draft',
    customer: party.customer,
    customerSource: { objectType: party.objectType, id: party.id },
    taxRateSources: lines.taxRateSources,
    draft: {
      kind: settings.documentType,
      currency,
      priceBasis: settings.pricesIncludeVat ? 'gross' : 'net',
      date: input.today,
      title: renderTemplate(texts.title, context) || defaultTitle,
      introduction: renderTemplate(texts.introduction, context) || undefined,
      paymentTerms: renderTemplate(texts.paymentTerms, context) || undefined,
      paymentTermDays: settings.paymentTermDays,
      closingText: renderTemplate(texts.closingText, context) || undefined,
      lines: lines.lines,
      reference: input.reference,
      finalize: settings.finalize,
    },
  };
}

export interface ConditionResult {
  code: Extract<InvoiceMessageCode, `condition_${string}`>;
  passed: boolean;
  params?: Record<string, string | number>;
}

/** Business Plus conditions that are set, each with whether the deal passes it. */
export function evaluateConditions(deal: DealData, settings: InvoiceSettings, currency: string): ConditionResult[] {
  const c = settings.conditions;
  const results: ConditionResult[] = [];
  if (c.currency) results.push({ code: 'condition_currency', passed: c.currency === currency, params: { actual: currency, expected: c.currency } });
  if (c.minLineItems) {
    results.push({
      code: 'condition_min_line_items',
      passed: deal.lineItems.length >= c.minLineItems,
      params: { actual: deal.lineItems.length, expected: c.minLineItems },
    });
  }
  if (c.requireQuote) results.push({ code: 'condition_quote_required', passed: deal.hasQuote });
  return results;
}

export function dealCurrency(deal: DealData, fallback = 'EUR'): string {
  return (deal.currency ?? fallback).toUpperCase();
}

export interface BuiltLines {
  lines: DraftLine[];
  /** Per line, in order. */
  taxRateSources: TaxRateSource[];
}

export function buildLines(deal: DealData, settings: DraftSettings): BuiltLines | Extract<DraftDecision, { kind: 'skip' }> {
  if (deal.lineItems.length === 0) {
    if (settings.withoutLineItems === 'skip') return { kind: 'skip', code: 'no_line_items' };
    if (!deal.amount || !isPositiveDecimal(deal.amount)) return { kind: 'skip', code: 'no_line_items_no_amount' };
    return {
      lines: [{ name: deal.name, quantity: '1', unitPrice: exact(deal.amount), taxRatePercent: settings.defaultTaxRatePercent }],
      taxRateSources: ['default'],
    };
  }
  const built: BuiltLines = { lines: [], taxRateSources: [] };
  for (const item of deal.lineItems) {
    const line = toDraftLine(item, settings);
    if ('code' in line) return line;
    built.lines.push(line.line);
    built.taxRateSources.push(line.source);
  }
  return built;
}

/** The lines (1-based position and name) whose tax rate is the portal's default. */
export function linesWithDefaultRate(built: BuiltLines): Array<{ line: number; name: string }> {
  return built.lines.flatMap((line, index) => (built.taxRateSources[index] === 'default' ? [{ line: index + 1, name: line.name }] : []));
}

/**
 * One HubSpot line item as a draft line, every value exact: HubSpot's strings are parsed as decimals and
 * written back without rounding and without exponent notation. A negative price (a rebate line) or a
 * unit discount larger than the price passes through as a negative unit price; whether the vendor takes
 * it is the money check's decision (money-check.ts), not this one's.
 */
function toDraftLine(item: LineItemData, settings: DraftSettings): { line: DraftLine; source: TaxRateSource } | Extract<DraftDecision, { kind: 'skip' }> {
  const quantity = item.quantity ?? '1';
  const invalid = { kind: 'skip' as const, code: 'invalid_line_item' as const, params: { detail: item.name } };
  if (!isPositiveDecimal(quantity) || !item.price || !isDecimal(item.price)) return invalid;
  if (
    item.discountPercent !== undefined &&
    (!isDecimal(item.discountPercent) || dec(item.discountPercent).isNegative() || dec(item.discountPercent).greaterThan(100))
  )
    return invalid;
  if (item.discountPerUnit !== undefined && !isDecimal(item.discountPerUnit)) return invalid;
  const hasPercent = item.discountPercent !== undefined && !dec(item.discountPercent).isZero();
  const hasPerUnit = item.discountPerUnit !== undefined && !dec(item.discountPerUnit).isZero();
  // money.md §2 H-4: which one HubSpot applies when both are set is unknown; never guess.
  if (hasPercent && hasPerUnit) return { kind: 'skip', code: 'conflicting_discounts', params: { detail: item.name } };
  // No vendor has a per-unit absolute discount; price − discount is exact (money.md §2 mapping, H-1).
  const unitPrice = hasPerUnit ? dec(item.price).minus(item.discountPerUnit!) : dec(item.price);
  const override = (item.productId && settings.productTaxRates[item.productId]) || (item.sku && settings.productTaxRates[item.sku]);
  const source: TaxRateSource = override ? 'product_rule' : item.taxRatePercent ? 'hubspot' : 'default';
  return {
    source,
    line: {
      name: item.name,
      description: item.description || undefined,
      sku: item.sku || undefined,
      quantity: exact(quantity),
      unitPrice: unitPrice.toFixed(),
      taxRatePercent: override || item.taxRatePercent || settings.defaultTaxRatePercent,
      discountPercent: hasPercent ? exact(item.discountPercent!) : undefined,
    },
  };
}

/** A decimal string without rounding or exponent notation ("0.00000125", not "1.25e-6"). */
function exact(value: string): string {
  return dec(value).toFixed();
}

function templateContext(deal: DealData, currency: string): TemplateContext {
  return {
    deal: { name: deal.name, amount: deal.amount, currency, closedate: deal.closeDate?.slice(0, 10), id: deal.dealId },
    company: { name: deal.company?.customer.companyName, city: deal.company?.customer.address?.city, vat_id: deal.company?.customer.vatId },
    contact: { firstname: deal.contact?.customer.firstName, lastname: deal.contact?.customer.lastName, email: deal.contact?.customer.email },
  };
}

function isDecimal(value: string): boolean {
  return /^-?\d+(\.\d+)?$/.test(value.trim());
}

function isPositiveDecimal(value: string): boolean {
  return isDecimal(value) && dec(value).greaterThan(0);
}
