import { describe, expect, it } from 'vitest';
import getContact from '../../sandboxes/lexoffice/fixtures/getContact.json';
import getInvoice from '../../sandboxes/lexoffice/fixtures/getInvoice.json';
import type { DocumentDraft } from '../provider';
import { toLexDateTime } from './dates';
import { defaultLexofficeMappingOptions, fromLexofficeContact, fromLexofficeVoucher, hasReference, toLexofficeContact, toLexofficeVoucher } from './mapping';
import { contactSchema, invoiceSchema } from './schemas';

const draft: DocumentDraft = {
  kind: 'invoice',
  customerId: 'c1',
  currency: 'EUR',
  priceBasis: 'net',
  date: '2026-01-15',
  reference: 'apiup:1:2',
  finalize: true,
  closingText: 'Danke',
  lines: [{ name: 'A', quantity: '1.5', unitPrice: '33.33', taxRatePercent: '19', discountPercent: '10' }],
};

describe('lexoffice mapping', () => {
  it('reads the docs contact sample into the neutral customer', () => {
    const customer = fromLexofficeContact(contactSchema.parse(getContact.docs2021.response));
    expect(customer).toMatchObject({ id: getContact.docs2021.response.id, kind: 'person', lastName: 'Musterfrau', customerNumber: '10308' });
  });

  it('reads the docs invoice sample with its totals', () => {
    const ref = fromLexofficeVoucher(invoiceSchema.parse(getInvoice.docs2021.response), 'invoice', defaultLexofficeMappingOptions);
    expect(ref).toMatchObject({ number: 'RE1019', status: 'draft', date: '2017-02-22', totals: { net: '26.72', tax: '3.13', gross: '29.85' } });
  });

  it('writes a company with version, customer role and one entry per list', () => {
    const body = toLexofficeContact({ kind: 'company', companyName: 'ACME', lastName: 'Muster', email: 'a@b.de', address: { city: 'Köln' } }, 0);
    expect(body).toMatchObject({ version: 0, roles: { customer: {} }, company: { name: 'ACME', contactPersons: [{ lastName: 'Muster', primary: true }] } });
    expect(body).toMatchObject({ addresses: { billing: [{ city: 'Köln', countryCode: 'DE' }] }, emailAddresses: { business: ['a@b.de'] } });
  });

  it('writes an invoice with an explicit 0 % total discount, the reference in remark and Berlin timestamps', () => {
    const body = toLexofficeVoucher(draft, defaultLexofficeMappingOptions);
    expect(body).toMatchObject({
      voucherDate: '2026-01-15T00:00:00.000+01:00',
      totalPrice: { currency: 'EUR', totalDiscountPercentage: 0 },
      lineItems: [{ type: 'custom', quantity: 1.5, unitName: 'Stück', unitPrice: { netAmount: 33.33, taxRatePercentage: 19 }, discountPercentage: 10 }],
      shippingConditions: { shippingType: 'service' },
    });
    expect(hasReference(body.remark as string, 'apiup:1:2')).toBe(true);
    expect(hasReference(body.remark as string, 'apiup:1:')).toBe(false);
    expect(toLexDateTime('2026-07-01')).toBe('2026-07-01T00:00:00.000+02:00');
  });

  it('refuses amounts Lexware would truncate, instead of sending them', () => {
    const tooPrecise = { ...draft, lines: [{ ...draft.lines[0], unitPrice: '1.23456' }] };
    expect(() => toLexofficeVoucher(tooPrecise, defaultLexofficeMappingOptions)).toThrow(/more than 4 decimals/);
  });

  it('sends the exact 4-decimal price, 3-decimal quantity and 2-decimal discount the draft carries', () => {
    const exact = {
      ...draft,
      lines: [{ name: 'Etiketten Thermodruck, Rolle à 1000 Stück', quantity: '12.375', unitPrice: '0.0125', taxRatePercent: '19', discountPercent: '12.5' }],
    };
    const body = toLexofficeVoucher(exact, defaultLexofficeMappingOptions) as {
      lineItems: { quantity: number; unitPrice: Record<string, unknown>; discountPercentage: number }[];
    };
    // JSON numbers: what the vendor parses is exactly the draft's decimal string.
    expect(JSON.stringify(body.lineItems[0])).toContain('"quantity":12.375');
    expect(JSON.stringify(body.lineItems[0].unitPrice)).toBe('{"currency":"EUR","netAmount":0.0125,"taxRatePercentage":19}');
    expect(body.lineItems[0].discountPercentage).toBe(12.5);
  });

  it('sends gross drafts in the gross mode, by grossAmount', () => {
    const gross = toLexofficeVoucher(
      { ...draft, priceBasis: 'gross', lines: [{ name: 'Präsentkorb', quantity: '2', unitPrice: '59.90', taxRatePercent: '19' }] },
      defaultLexofficeMappingOptions,
    );
    expect(gross).toMatchObject({
      taxConditions: { taxType: 'gross' },
      lineItems: [{ unitPrice: { currency: 'EUR', grossAmount: 59.9, taxRatePercentage: 19 } }],
    });
    expect((gross.lineItems as { unitPrice: object }[])[0].unitPrice).not.toHaveProperty('netAmount');
  });

  it('refuses what Lexware cannot hold: another currency, a negative line, a zero quantity, a discount over 100 %, a price beyond a double', () => {
    const refuse = (change: Partial<DocumentDraft>, line: Partial<DocumentDraft['lines'][number]> = {}) =>
      expect(() => toLexofficeVoucher({ ...draft, ...change, lines: [{ ...draft.lines[0], ...line }] }, defaultLexofficeMappingOptions));
    refuse({ currency: 'CHF' }).toThrow(/only EUR, not CHF/);
    refuse({}, { unitPrice: '-25.00' }).toThrow(/negative; lexoffice takes no negative lines/);
    refuse({}, { quantity: '0' }).toThrow(/must be above 0/);
    refuse({}, { discountPercent: '100.01' }).toThrow(/must be 0 to 100/);
    refuse({}, { unitPrice: '123456789012345678.25' }).toThrow(/cannot be sent to lexoffice without changing it/);
  });
});
