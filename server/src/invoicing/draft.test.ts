import { describe, expect, it } from 'vitest';
import type { Features } from '../billing/packages';
import type { DealData } from './deal-data';
import { decideDraft } from './draft';
import { InvoiceSettingsSchema, withDefaultTaxRate } from './settings';

const plus: Features = { invoicing: true, sync: true, writeBack: true, conditions: true, texts: true };
const basic: Features = { invoicing: true, sync: false, writeBack: false, conditions: false, texts: false };

function makeDeal(overrides: Partial<DealData> = {}): DealData {
  return {
    dealId: '501',
    name: 'Website relaunch',
    amount: '1500',
    currency: 'EUR',
    closeDate: '2026-11-20T10:00:00Z',
    lineItems: [
      { id: 'l1', name: 'Design', quantity: '2', price: '450.00', taxRatePercent: '19' },
      { id: 'l2', name: 'Book', quantity: '1', price: '30.00', taxRatePercent: '7', discountPercent: '10' },
      { id: 'l3', name: 'Export service', quantity: '1', price: '100', taxRatePercent: '0' },
    ],
    company: { id: 'c1', objectType: 'company', customer: { kind: 'company', companyName: 'ACME GmbH', address: { city: 'Berlin' } } },
    contact: { id: 'p1', objectType: 'contact', customer: { kind: 'person', firstName: 'Jürgen', lastName: 'Müller', email: 'j@example.com' } },
    hasQuote: false,
    ...overrides,
  };
}

const input = (deal: DealData, settings: object = {}, features = plus, vendorDefaultRate?: string) => ({
  deal,
  settings: withDefaultTaxRate(InvoiceSettingsSchema.parse(settings), vendorDefaultRate),
  features,
  reference: 'apiup:1:501',
  today: '2026-11-24',
});

describe('decideDraft', () => {
  it('maps line items with their tax rates and discounts, and prefers the company as customer', () => {
    const decision = decideDraft(input(makeDeal()));
    expect(decision.kind).toBe('draft');
    if (decision.kind !== 'draft') return;
    expect(decision.customerSource).toEqual({ objectType: 'company', id: 'c1' });
    expect(decision.draft.lines).toEqual([
      { name: 'Design', quantity: '2', unitPrice: '450', taxRatePercent: '19', description: undefined, sku: undefined, discountPercent: undefined },
      { name: 'Book', quantity: '1', unitPrice: '30', taxRatePercent: '7', description: undefined, sku: undefined, discountPercent: '10' },
      { name: 'Export service', quantity: '1', unitPrice: '100', taxRatePercent: '0', description: undefined, sku: undefined, discountPercent: undefined },
    ]);
    expect(decision.draft).toMatchObject({ kind: 'invoice', currency: 'EUR', reference: 'apiup:1:501', date: '2026-11-24', finalize: true });
  });

  it('falls back to the contact, the default rate and a per-product override', () => {
    const deal = makeDeal({
      company: undefined,
      lineItems: [
        { id: 'l1', name: 'A', quantity: '1', price: '10', productId: 'prod-7' },
        { id: 'l2', name: 'B', quantity: '1', price: '10' },
      ],
    });
    const decision = decideDraft(input(deal, { defaultTaxRatePercent: '19', productTaxRates: { 'prod-7': '7' } }));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.customerSource.objectType).toBe('contact');
    expect(decision.draft.lines.map((l) => l.taxRatePercent)).toEqual(['7', '19']);
  });

  it('turns a per-unit amount discount into an exact unit price', () => {
    const deal = makeDeal({ lineItems: [{ id: 'l1', name: 'A', quantity: '3', price: '19.99', discountPerUnit: '2.50', taxRatePercent: '19' }] });
    const decision = decideDraft(input(deal));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft.lines[0].unitPrice).toBe('17.49');
  });

  it('refuses to guess when a line has both discount kinds', () => {
    const deal = makeDeal({ lineItems: [{ id: 'l1', name: 'A', quantity: '1', price: '10', discountPerUnit: '1', discountPercent: '5' }] });
    expect(decideDraft(input(deal))).toEqual({ kind: 'skip', code: 'conflicting_discounts', params: { detail: 'A' } });
  });

  it('makes one line from the amount when there are no line items, or skips per setting', () => {
    const noItems = makeDeal({ lineItems: [] });
    const decision = decideDraft(input(noItems));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft.lines).toEqual([{ name: 'Website relaunch', quantity: '1', unitPrice: '1500', taxRatePercent: '19' }]);
    expect(decideDraft(input(noItems, { withoutLineItems: 'skip' }))).toMatchObject({ kind: 'skip', code: 'no_line_items' });
    expect(decideDraft(input(makeDeal({ lineItems: [], amount: undefined })))).toMatchObject({ kind: 'skip', code: 'no_line_items_no_amount' });
  });

  it('skips with the failed condition (Business Plus)', () => {
    expect(decideDraft(input(makeDeal(), { conditions: { currency: 'CHF' } }))).toEqual({
      kind: 'skip',
      code: 'condition_currency',
      params: { actual: 'EUR', expected: 'CHF' },
    });
    expect(decideDraft(input(makeDeal(), { conditions: { minLineItems: 4 } }))).toMatchObject({
      kind: 'skip',
      code: 'condition_min_line_items',
      params: { actual: 3, expected: 4 },
    });
    expect(decideDraft(input(makeDeal(), { conditions: { requireQuote: true } }))).toMatchObject({ code: 'condition_quote_required' });
    expect(decideDraft(input(makeDeal({ hasQuote: true }), { conditions: { requireQuote: true } })).kind).toBe('draft');
  });

  it('ignores conditions and texts without Business Plus', () => {
    const decision = decideDraft(input(makeDeal(), { conditions: { currency: 'CHF' }, texts: { title: 'X {{deal.name}}' } }, basic));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft.title).toBe('Rechnung Website relaunch');
  });

  it('fills texts with deal, company and contact placeholders', () => {
    const texts = {
      title: 'Rechnung {{deal.name}}',
      introduction: 'Hallo {{contact.firstname}} {{contact.lastname}} von {{company.name}}',
      paymentTerms: 'Zahlbar in 14 Tagen',
      closingText: 'Danke, {{unknown.thing}}!',
    };
    const decision = decideDraft(input(makeDeal(), { texts }));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft).toMatchObject({
      title: 'Rechnung Website relaunch',
      introduction: 'Hallo Jürgen Müller von ACME GmbH',
      paymentTerms: 'Zahlbar in 14 Tagen',
      closingText: 'Danke, !',
    });
  });

  it('skips with "plan required" without an invoicing package', () => {
    expect(decideDraft(input(makeDeal(), {}, { ...basic, invoicing: false }))).toEqual({ kind: 'skip', code: 'plan_required' });
  });

  it('skips a deal with neither company nor contact', () => {
    expect(decideDraft(input(makeDeal({ company: undefined, contact: undefined })))).toEqual({ kind: 'skip', code: 'no_customer' });
  });
});

describe('buildLines and decideDraft: money is never changed', () => {
  const item = (overrides: Partial<DealData['lineItems'][number]>) => ({
    id: 'l9',
    name: 'Fräsarbeiten Werkstück „Übergröße“',
    quantity: '1',
    price: '10',
    taxRatePercent: '19',
    ...overrides,
  });

  it('keeps HubSpot values exact, without rounding or exponent notation', () => {
    const deal = makeDeal({
      lineItems: [item({ quantity: '0.0000001', price: '123456789.123456789' }), item({ quantity: '1.125', price: '12.3456', discountPercent: '12.5' })],
    });
    const decision = decideDraft(input(deal));
    if (decision.kind !== 'draft') throw new Error('expected a draft');
    expect(decision.draft.lines.map((l) => [l.quantity, l.unitPrice, l.discountPercent])).toEqual([
      ['0.0000001', '123456789.123456789', undefined],
      ['1.125', '12.3456', '12.5'],
    ]);
  });

  it('turns a unit discount into the exact reduced price, negative when the discount is larger than the price', () => {
    const deal = makeDeal({ lineItems: [item({ price: '19.995', discountPerUnit: '2' }), item({ price: '10', discountPerUnit: '12.5' })] });
    const decision = decideDraft(input(deal));
    if (decision.kind !== 'draft') throw new Error('expected a draft');
    expect(decision.draft.lines.map((l) => l.unitPrice)).toEqual(['17.995', '-2.5']);
  });

  it('passes a rebate line with a negative price on to the money check, and refuses a discount beyond 100 %', () => {
    const rebate = decideDraft(input(makeDeal({ lineItems: [item({ price: '-50' })] })));
    expect(rebate.kind === 'draft' && rebate.draft.lines[0].unitPrice).toBe('-50');
    expect(decideDraft(input(makeDeal({ lineItems: [item({ discountPercent: '100.5' })] })))).toEqual({
      kind: 'skip',
      code: 'invalid_line_item',
      params: { detail: 'Fräsarbeiten Werkstück „Übergröße“' },
    });
    const full = decideDraft(input(makeDeal({ lineItems: [item({ discountPercent: '100' })] })));
    expect(full.kind === 'draft' && full.draft.lines[0].discountPercent).toBe('100');
  });

  it('marks where each tax rate came from, and skips naming the lines when the setting says so', () => {
    const deal = makeDeal({
      lineItems: [
        item({}),
        item({ name: 'Montage vor Ort Mühlheim', taxRatePercent: undefined }),
        item({ name: 'Ersatzteil', productId: 'p7', taxRatePercent: undefined }),
      ],
    });
    const decision = decideDraft(input(deal, { productTaxRates: { p7: '7' } }));
    expect(decision.kind === 'draft' && decision.taxRateSources).toEqual(['hubspot', 'default', 'product_rule']);
    expect(decision.kind === 'draft' && decision.draft.lines[1].taxRatePercent).toBe('19');
    expect(decideDraft(input(deal, { productTaxRates: { p7: '7' }, missingTaxRate: 'skip' }))).toEqual({
      kind: 'skip',
      code: 'missing_tax_rate',
      params: { names: '2. Montage vor Ort Mühlheim' },
    });
  });

  it("gives a line without a rate the connected vendor's standard rate (bexio 8.1) unless the portal set its own", () => {
    const deal = makeDeal({ lineItems: [item({}), item({ name: 'Montage vor Ort Zürich-Höngg', taxRatePercent: undefined })] });
    const swiss = decideDraft(input(deal, {}, plus, '8.1'));
    expect(swiss.kind === 'draft' && swiss.draft.lines[1].taxRatePercent).toBe('8.1');
    const own = decideDraft(input(deal, { defaultTaxRatePercent: '2.6' }, plus, '8.1'));
    expect(own.kind === 'draft' && own.draft.lines[1].taxRatePercent).toBe('2.6');
    const unconnected = decideDraft(input(deal));
    expect(unconnected.kind === 'draft' && unconnected.draft.lines[1].taxRatePercent).toBe('19');
  });

  it('sends gross prices when the portal says prices include VAT', () => {
    const decision = decideDraft(input(makeDeal(), { pricesIncludeVat: true }));
    expect(decision.kind === 'draft' && decision.draft.priceBasis).toBe('gross');
  });

  it('takes the account currency for a deal without one', () => {
    const decision = decideDraft({ ...input(makeDeal({ currency: undefined })), defaultCurrency: 'CHF' });
    expect(decision.kind === 'draft' && decision.draft.currency).toBe('CHF');
  });
});
