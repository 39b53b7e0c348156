import { describe, expect, it } from 'vitest';
import type { DocumentDraft } from '../provider';
import { addDays, fromVendorClient, fromVendorPayment, predictTotals, toVendorClient, toVendorInvoice } from './mapping';
import { qontoClientCreateSchema, qontoInvoiceCreateSchema, type QontoInvoice } from './schemas';

const draft: DocumentDraft = {
  kind: 'invoice',
  customerId: 'c-1',
  currency: 'EUR',
  priceBasis: 'net',
  date: '2026-01-30',
  reference: 'apiup:1:2',
  finalize: false,
  title: 'Rechnung',
  introduction: 'Danke.',
  paymentTerms: '14 Tage netto',
  paymentTermDays: 14,
  lines: [
    { name: 'Beratung', quantity: '7', unitPrice: '12.35', taxRatePercent: '19', discountPercent: '10' },
    { name: 'Gebühr', quantity: '1', unitPrice: '10.00', taxRatePercent: '0' },
  ],
};

describe('toVendorInvoice', () => {
  it('sends ratio VAT and discount, the exact unit prices, an exemption reason on 0 % and our reference as purchase_order', () => {
    const body = toVendorInvoice(draft, 'DE89370400440532013000');
    expect(qontoInvoiceCreateSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      status: 'draft',
      due_date: '2026-02-13',
      purchase_order: 'apiup:1:2',
      header: 'Rechnung\n\nDanke.',
      terms_and_conditions: '14 Tage netto',
    });
    expect(body.items[0]).toMatchObject({ vat_rate: '0.19', discount: { type: 'percentage', value: '0.1' }, unit_price: { value: '12.35', currency: 'EUR' } });
    expect(body.items[1]).toMatchObject({ vat_rate: '0', vat_exemption_reason: 'N1', unit_price: { value: '10', currency: 'EUR' } });
  });

  it('refuses a unit price finer than a cent instead of rounding it (issue 12: 0.0125 must not become 0.01)', () => {
    const fine = { ...draft, lines: [{ name: 'Etiketten Rolle', quantity: '1000', unitPrice: '0.0125', taxRatePercent: '19' }] };
    expect(() => toVendorInvoice(fine, 'DE89370400440532013000')).toThrow(/0\.0125 has more than 2 decimals/);
  });

  it('refuses a currency Qonto does not invoice in instead of sending the yen figures as euros', () => {
    expect(() => toVendorInvoice({ ...draft, currency: 'JPY' }, 'DE89370400440532013000')).toThrow(/only in EUR; this deal is in JPY/);
  });

  it('sends a gross price as its net price where that is exact in cents, and refuses it otherwise', () => {
    const exact = toVendorInvoice(
      { ...draft, priceBasis: 'gross', lines: [{ name: 'A', quantity: '2', unitPrice: '11.90', taxRatePercent: '19' }] },
      'DE89370400440532013000',
    );
    expect(exact.items[0].unit_price.value).toBe('10');
    expect(() =>
      toVendorInvoice(
        { ...draft, priceBasis: 'gross', lines: [{ name: 'A', quantity: '2', unitPrice: '59.90', taxRatePercent: '19' }] },
        'DE89370400440532013000',
      ),
    ).toThrow(/59\.90 incl\. 19 % VAT has no exact net price/);
  });

  it('predicts the per-line totals Qonto will compute', () => {
    expect(predictTotals(draft)).toEqual({ net: '87.80', tax: '14.78', gross: '102.58' });
  });
});

describe('clients', () => {
  it('maps a person to an EUR individual with a split phone, billing address and locale', () => {
    const body = toVendorClient({
      kind: 'person',
      firstName: 'Jean',
      lastName: 'Dupont',
      phone: '+33 1 23 45 67 89',
      address: { street: '1 rue X', zip: '75001', city: 'Paris', countryCode: 'fr' },
    });
    expect(qontoClientCreateSchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      kind: 'individual',
      first_name: 'Jean',
      phone: { country_code: '+33', number: '123456789' },
      currency: 'EUR',
      locale: 'fr',
      billing_address: { country_code: 'FR' },
    });
  });

  it('leaves out a phone whose country code cannot be told apart', () => {
    expect(toVendorClient({ kind: 'company', companyName: 'X', phone: '+4930123456' }).phone).toBeUndefined();
  });

  it('reads a company back with upper-case country and updatedAt in ms', () => {
    const customer = fromVendorClient({
      id: 'k',
      kind: 'company',
      name: 'ACME',
      billing_address: { country_code: 'de', city: 'Berlin' },
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-02T00:00:00Z',
    });
    expect(customer).toMatchObject({
      kind: 'company',
      companyName: 'ACME',
      address: { countryCode: 'DE', city: 'Berlin' },
      updatedAt: Date.parse('2026-01-02T00:00:00Z'),
    });
  });
});

describe('fromVendorPayment', () => {
  const base = { total_amount: { value: '118.60', currency: 'EUR' }, amount_paid: { value: '18.60', currency: 'EUR' } } as QontoInvoice;
  it('reports the open amount of an unpaid invoice and the date part of paid_at once paid', () => {
    expect(fromVendorPayment({ ...base, status: 'unpaid', paid_at: null })).toEqual({ isPaid: false, paidDate: undefined, openAmount: '100.00' });
    expect(fromVendorPayment({ ...base, status: 'paid', paid_at: '2026-03-04T17:58:30+02:00' })).toEqual({
      isPaid: true,
      paidDate: '2026-03-04',
      openAmount: '0.00',
    });
  });
});

it('adds days across a month end', () => {
  expect(addDays('2026-01-30', 30)).toBe('2026-03-01');
});
