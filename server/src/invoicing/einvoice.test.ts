import { describe, expect, it } from 'vitest';
import type { DealData } from './deal-data';
import { eInvoiceRequest } from './einvoice';
import { defaultInvoiceSettings } from './settings';

const deal = (overrides: Partial<DealData> = {}): DealData => ({
  dealId: '9001',
  name: 'Website-Relaunch und Wartung Müller GmbH 2027',
  lineItems: [],
  hasQuote: false,
  company: {
    id: '501',
    objectType: 'company',
    customer: {
      kind: 'company',
      companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      address: { street: 'Schönhauser Allee 112', zip: '10439', city: 'Berlin', countryCode: 'DE' },
    },
    eInvoice: { buyerReference: '991-01234-56', vendorNumberAtCustomer: 'L-2027-0815' },
  },
  contact: { id: '701', objectType: 'contact', customer: { kind: 'person', firstName: 'Jörg', lastName: 'Hölzl', email: 'einkauf@hoelzl-soehne.example' } },
  ...overrides,
});

describe('eInvoiceRequest', () => {
  it("asks for an e-invoice to a deal's company, by default, with the company's references and the contact's e-mail", () => {
    expect(eInvoiceRequest(deal(), defaultInvoiceSettings)).toEqual({
      buyerReference: '991-01234-56',
      vendorNumberAtCustomer: 'L-2027-0815',
      email: 'einkauf@hoelzl-soehne.example',
    });
  });

  it('asks for none for a person (B2C), a quotation, or with the setting off', () => {
    expect(eInvoiceRequest(deal({ company: undefined }), defaultInvoiceSettings)).toBeUndefined();
    expect(eInvoiceRequest(deal(), { ...defaultInvoiceSettings, documentType: 'quotation' })).toBeUndefined();
    expect(eInvoiceRequest(deal(), { ...defaultInvoiceSettings, eInvoiceForBusinessCustomers: false })).toBeUndefined();
  });

  it('leaves out what HubSpot does not have, so the pre-flight names it', () => {
    const bare = deal({ contact: undefined });
    bare.company!.eInvoice = {};
    expect(eInvoiceRequest(bare, defaultInvoiceSettings)).toEqual({});
  });
});
