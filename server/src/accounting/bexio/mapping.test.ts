import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors';
import type { DocumentDraft } from '../provider';
import { classifyBexioError, readRateLimit } from './client';
import {
  checkMoneyRules,
  formatBexioTimestamp,
  fromBexioContact,
  parseBexioTimestamp,
  splitStreet,
  toBexioContact,
  toBexioDocument,
  toDocumentStatus,
} from './mapping';
import { bexioMoneyRules } from './provider';

const draft: DocumentDraft = {
  kind: 'invoice',
  customerId: '14',
  currency: 'CHF',
  priceBasis: 'net',
  date: '2026-01-15',
  paymentTermDays: 30,
  introduction: 'Intro',
  paymentTerms: 'Zahlbar in 30 Tagen',
  closingText: 'Danke',
  lines: [{ name: 'Beratung', description: 'März', quantity: '2', unitPrice: '100.00', taxRatePercent: '8.1', discountPercent: '10' }],
  reference: 'apiup:1:2',
  finalize: false,
};
const lookups = { userId: 1, currencyId: 1, taxIdFor: (rate: string) => (rate === '8.1' ? 28 : undefined) };

describe('bexio mapping', () => {
  it('puts a company name in name_1 and a person’s last/first name in name_1/name_2', () => {
    expect(toBexioContact({ kind: 'company', companyName: 'Muster AG' }, { userId: 3, countryId: null })).toMatchObject({
      contact_type_id: 1,
      name_1: 'Muster AG',
      name_2: null,
      user_id: 3,
      owner_id: 3,
    });
    expect(toBexioContact({ kind: 'person', firstName: 'Anna', lastName: 'Zwicky' }, { userId: 3, countryId: 1 })).toMatchObject({
      contact_type_id: 2,
      name_1: 'Zwicky',
      name_2: 'Anna',
      country_id: 1,
    });
  });

  it('splits a street into street_name and house_number and reads it back', () => {
    expect(splitStreet('Seeweg 5a')).toEqual({ streetName: 'Seeweg', houseNumber: '5a' });
    expect(splitStreet('Postfach')).toEqual({ streetName: 'Postfach', houseNumber: null });
    const customer = fromBexioContact(
      {
        id: 4,
        contact_type_id: 1,
        name_1: 'Muster AG',
        street_name: 'Seeweg',
        house_number: '5a',
        postcode: 6003,
        country_id: 1,
        updated_at: '2026-01-15 10:00:00',
      },
      () => 'CH',
    );
    expect(customer).toMatchObject({ id: '4', kind: 'company', companyName: 'Muster AG', address: { street: 'Seeweg 5a', zip: '6003', countryCode: 'CH' } });
    expect(customer.updatedAt).toBe(Date.parse('2026-01-15T09:00:00Z'));
  });

  it('builds a kb_invoice body with string money, per-line tax ids, the reference and the due date', () => {
    expect(toBexioDocument(draft, lookups)).toMatchObject({
      contact_id: 14,
      mwst_type: 0,
      mwst_is_net: true,
      is_valid_from: '2026-01-15',
      is_valid_to: '2026-02-14',
      api_reference: 'apiup:1:2',
      header: 'Intro',
      footer: 'Zahlbar in 30 Tagen\n\nDanke',
      positions: [{ type: 'KbPositionCustom', amount: '2', unit_price: '100', discount_in_percent: '10', tax_id: 28, text: 'Beratung\nMärz' }],
    });
    const quote = toBexioDocument({ ...draft, kind: 'quotation', priceBasis: 'gross' }, lookups);
    expect(quote).toMatchObject({ is_valid_until: '2026-02-14', mwst_is_net: false });
    expect(quote).not.toHaveProperty('is_valid_to');
  });

  it('refuses more decimals than bexio keeps (6 for price and quantity, 4 for the discount) and negative lines, and rates without an active sales tax', () => {
    const line = draft.lines[0];
    expect(() => checkMoneyRules({ lines: [{ ...line, unitPrice: '1.1234567' }] }, bexioMoneyRules)).toThrow(/keeps 6 decimals of the unit price/);
    expect(() => checkMoneyRules({ lines: [{ ...line, quantity: '0.0000001' }] }, bexioMoneyRules)).toThrow(/keeps 6 decimals of the quantity/);
    expect(() => checkMoneyRules({ lines: [{ ...line, discountPercent: '12.34567' }] }, bexioMoneyRules)).toThrow(/keeps 4 decimals of the discount/);
    expect(() => checkMoneyRules({ lines: [{ ...line, unitPrice: '-25.00' }] }, bexioMoneyRules)).toThrow(/negative line/);
    expect(() =>
      checkMoneyRules({ lines: [{ ...line, unitPrice: '0.123456', quantity: '1.000001', discountPercent: '12.3456' }] }, bexioMoneyRules),
    ).not.toThrow();
    const unknownRate = { ...draft, lines: [{ ...line, taxRatePercent: '19' }] };
    expect(() => toBexioDocument(unknownRate, lookups)).toThrow(ProviderError);
  });

  it('sends the exact unit price, quantity and discount the draft carries', () => {
    const exact = { ...draft, lines: [{ ...draft.lines[0], quantity: '2.125', unitPrice: '0.0125', discountPercent: '12.5' }] };
    expect((toBexioDocument(exact, lookups).positions as Array<Record<string, unknown>>)[0]).toMatchObject({
      amount: '2.125',
      unit_price: '0.0125',
      discount_in_percent: '12.5',
    });
  });

  it('maps kb_item_status_id to the neutral status for invoices and quotes', () => {
    expect([7, 8, 9, 16, 19, 31].map((s) => toDocumentStatus('invoice', s))).toEqual(['draft', 'open', 'paid', 'open', 'voided', 'open']);
    expect([1, 2, 3, 4].map((s) => toDocumentStatus('quotation', s))).toEqual(['draft', 'open', 'open', 'voided']);
  });

  it('formats and parses bexio timestamps in Zurich time across DST', () => {
    expect(formatBexioTimestamp(Date.parse('2026-07-01T10:00:00Z'))).toBe('2026-07-01 12:00:00');
    expect(parseBexioTimestamp('2026-07-01 12:00:00')).toBe(Date.parse('2026-07-01T10:00:00Z'));
    expect(parseBexioTimestamp('2026-12-01 12:00:00')).toBe(Date.parse('2026-12-01T11:00:00Z'));
  });
});

describe('classifyBexioError', () => {
  const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers(headers),
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  });

  it('maps bexio statuses to error kinds with the vendor code and message', () => {
    const cases: Array<[number, string]> = [
      [400, 'validation'],
      [401, 'auth'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [409, 'conflict'],
      [411, 'unexpected'],
      [415, 'unexpected'],
      [422, 'validation'],
      [429, 'rate_limited'],
      [500, 'unavailable'],
      [503, 'unavailable'],
    ];
    for (const [status, kind] of cases) {
      const error = classifyBexioError(response(status, { error_code: status, message: 'nope' }));
      expect([status, error.kind, error.detail.vendorCode, error.message]).toEqual([status, kind, String(status), `bexio ${status}: nope`]);
    }
  });

  it('takes the 429 wait from RateLimit-Reset (seconds) and survives a non-JSON body', () => {
    const error = classifyBexioError(response(429, '<html>busy</html>', { 'RateLimit-Reset': '7' }));
    expect(error).toMatchObject({ kind: 'rate_limited', retryable: true, detail: { retryAfterMs: 7000, vendorCode: undefined } });
    expect(readRateLimit(new Headers({ 'RateLimit-Remaining': '0', 'RateLimit-Reset': '12' }))).toEqual({ remaining: 0, resetMs: 12_000 });
  });
});
