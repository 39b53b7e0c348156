import { describe, expect, it } from 'vitest';
import type { DocumentDraft } from '../provider';
import { classifySevdesk } from './client';
import {
  defaultSevdeskAccountIds,
  fromVendorContact,
  fromVendorDate,
  fromVendorInvoice,
  toJsonNumber,
  toVendorContact,
  toVendorEInvoiceFields,
  toVendorInvoice,
} from './mapping';

const draft: DocumentDraft = {
  kind: 'invoice',
  customerId: '123',
  currency: 'EUR',
  priceBasis: 'gross',
  date: '2026-01-15',
  introduction: 'Preis <netto> & mehr',
  lines: [{ name: 'Beratung', quantity: '1.5', unitPrice: '2.4999', taxRatePercent: '19', discountPercent: '0' }],
  reference: 'apiup:1:2',
  finalize: false,
};

describe('sevDesk mapping', () => {
  it('makes an organisation from a company and a person with its parent from a person', () => {
    expect(toVendorContact({ kind: 'company', companyName: 'ACME' }, defaultSevdeskAccountIds)).toEqual({
      name: 'ACME',
      category: { id: 3, objectName: 'Category' },
    });
    expect(toVendorContact({ kind: 'person', firstName: 'Ada', lastName: 'L', parentCompanyId: '7' }, defaultSevdeskAccountIds)).toMatchObject({
      surename: 'Ada',
      familyname: 'L',
      parent: { id: 7, objectName: 'Contact' },
    });
  });

  it('reads a contact with surename or familyname as a person', () => {
    expect(fromVendorContact({ id: '1', objectName: 'Contact', familyname: 'Snow', update: '2024-04-08T00:00:00+02:00' })).toEqual({
      id: '1',
      kind: 'person',
      lastName: 'Snow',
      updatedAt: Date.parse('2024-04-08T00:00:00+02:00'),
    });
  });

  it('builds a draft invoice with the reference, a German date, gross prices and exact numbers', () => {
    const body = toVendorInvoice(draft, { contactPersonId: '9', ids: defaultSevdeskAccountIds }) as {
      invoice: Record<string, unknown>;
      invoicePosSave: Array<Record<string, unknown>>;
    };
    expect(body.invoice).toMatchObject({
      status: '100',
      invoiceDate: '15.01.2026',
      showNet: false,
      customerInternalNote: 'apiup:1:2',
      contact: { id: 123, objectName: 'Contact' },
      contactPerson: { id: 9, objectName: 'SevUser' },
    });
    expect(body.invoice.headText).toBe('<p>Preis &lt;netto&gt; &amp; mehr</p>');
    expect(body.invoicePosSave[0]).toMatchObject({ quantity: 1.5, price: 2.4999, taxRate: 19 });
    expect(body.invoicePosSave[0]).not.toHaveProperty('discount');
  });

  it('refuses an amount a double would change', () => {
    expect(() => toJsonNumber('0.12345678901234567890')).toThrow(RangeError);
    expect(toJsonNumber('33.33')).toBe(33.33);
  });

  it('reads totals as money strings, the calendar date of a zoned date-time, and 750 as open', () => {
    const ref = fromVendorInvoice({
      id: '5',
      objectName: 'Invoice',
      status: '750',
      sumNet: '100',
      sumTax: '19',
      sumGross: '119',
      invoiceDate: '2026-01-15T00:00:00+01:00',
      currency: 'EUR',
    });
    expect(ref).toEqual({
      id: '5',
      kind: 'invoice',
      status: 'open',
      currency: 'EUR',
      date: '2026-01-15',
      totals: { net: '100.00', tax: '19.00', gross: '119.00' },
    });
    expect(fromVendorDate('03.02.2026')).toBe('2026-02-03');
  });
});

describe('sevDesk error classification', () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers(headers),
    body: Buffer.from(JSON.stringify(body)),
  });

  it('maps statuses and reads the message, the code and Retry-After', () => {
    expect(classifySevdesk(response(401, { error: { message: 'Authentication required' } })).kind).toBe('auth');
    expect(classifySevdesk(response(400, { error: { message: 'Contact was not found' } })).kind).toBe('not_found');
    expect(classifySevdesk(response(400, { error: { message: 'expected array with id and objectName' } })).kind).toBe('validation');
    expect(classifySevdesk(response(422, { error: { message: 'x', code: 422 } })).detail).toMatchObject({ status: 422, vendorCode: '422' });
    expect(classifySevdesk(response(409, {})).kind).toBe('conflict');
    expect(classifySevdesk(response(429, {}, { 'retry-after': '2' }))).toMatchObject({ kind: 'rate_limited', retryable: true, detail: { retryAfterMs: 2000 } });
    expect(classifySevdesk(response(500, 'oops')).kind).toBe('unavailable');
  });
});

describe('toVendorEInvoiceFields', () => {
  it('sets the e-invoice flag, the payment method and the customer address sevDesk lists as required (SVS propertyIsEInvoice)', () => {
    const customer = {
      id: '88',
      kind: 'company' as const,
      companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      address: { street: 'Schönhauser Allee 112', zip: '10439', city: 'Berlin', countryCode: 'DE' },
    };
    expect(toVendorEInvoiceFields(customer, defaultSevdeskAccountIds)).toEqual({
      propertyIsEInvoice: true,
      paymentMethod: { id: 21919, objectName: 'PaymentMethod' },
      addressStreet: 'Schönhauser Allee 112',
      addressZip: '10439',
      addressCity: 'Berlin',
      addressCountry: { id: 1, objectName: 'StaticCountry' },
    });
  });

  it('leaves out address parts the customer lacks (sevDesk then refuses, naming them)', () => {
    expect(toVendorEInvoiceFields({ id: '89', kind: 'company', companyName: 'Ohne Anschrift GmbH' }, defaultSevdeskAccountIds)).toEqual({
      propertyIsEInvoice: true,
      paymentMethod: { id: 21919, objectName: 'PaymentMethod' },
    });
  });
});
