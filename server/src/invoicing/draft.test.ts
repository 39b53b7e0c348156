import { describe, expect, it } from 'vitest';
import type { Features } from '../billing/packages';
import type { DealData } from './deal-data';
import { decideDraft } from './draft';
import { InvoiceSettingsSchema } from './settings';

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

const input = (deal: DealData, settings: object = {}, features = plus) => ({
  deal,
  settings: InvoiceSettingsSchema.parse(settings),
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
    expect(decideDraft(input(makeDeal(), { conditions: { currency: 'CHF' } }))).toEqual({ kind: 'skip', code: 'condition_currency', params: { actual: 'EUR', expected: 'CHF' } });
    expect(decideDraft(input(makeDeal(), { conditions: { minLineItems: 4 } }))).toMatchObject({ kind: 'skip', code: 'condition_min_line_items', params: { actual: 3, expected: 4 } });
    expect(decideDraft(input(makeDeal(), { conditions: { requireQuote: true } }))).toMatchObject({ code: 'condition_quote_required' });
    expect(decideDraft(input(makeDeal({ hasQuote: true }), { conditions: { requireQuote: true } })).kind).toBe('draft');
  });

  it('ignores conditions and texts without Business Plus', () => {
    const decision = decideDraft(input(makeDeal(), { conditions: { currency: 'CHF' }, texts: { title: 'X {{deal.name}}' } }, basic));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft.title).toBe('Rechnung Website relaunch');
  });

  it('fills texts with deal, company and contact placeholders', () => {
    const texts = { title: 'Rechnung {{deal.name}}', introduction: 'Hallo {{contact.firstname}} {{contact.lastname}} von {{company.name}}', paymentTerms: 'Zahlbar in 14 Tagen', closingText: 'Danke, {{unknown.thing}}!' };
    const decision = decideDraft(input(makeDeal(), { texts }));
    if (decision.kind !== 'draft') throw new Error(decision.code);
    expect(decision.draft).toMatchObject({ title: 'Rechnung Website relaunch', introduction: 'Hallo Jürgen Müller von ACME GmbH', paymentTerms: 'Zahlbar in 14 Tagen', closingText: 'Danke, !' });
  });

  it('skips with "plan required" without an invoicing package', () => {
    expect(decideDraft(input(makeDeal(), {}, { ...basic, invoicing: false }))).toEqual({ kind: 'skip', code: 'plan_required' });
  });

  it('skips a deal with neither company nor contact', () => {
    expect(decideDraft(input(makeDeal({ company: undefined, contact: undefined })))).toEqual({ kind: 'skip', code: 'no_customer' });
  });
});
