import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createLexofficeSandbox, lexofficeSandboxCredentials } from './app';

const auth = { authorization: `Bearer ${lexofficeSandboxCredentials.apiKey}`, accept: 'application/json' };
const voucherDate = '2026-12-01T00:00:00.000+01:00';
const company = (xRechnung?: Record<string, string>) => ({
  version: 0,
  roles: { customer: {} },
  company: { name: 'Stadtwerke Bad Säckingen – Eigenbetrieb Wasserversorgung' },
  addresses: { billing: [{ street: 'Rheinbrückstraße 8', zip: '79713', city: 'Bad Säckingen', countryCode: 'DE' }] },
  emailAddresses: { business: ['rechnungseingang@stadtwerke-saeckingen.example'] },
  ...(xRechnung ? { xRechnung } : {}),
});
const invoice = (contactId: string, extra: Record<string, unknown> = {}) => ({
  voucherDate,
  address: { contactId },
  lineItems: [
    {
      type: 'custom',
      name: 'Wartung Pumpwerk Obersäckingen',
      quantity: 4,
      unitName: 'Stunde',
      unitPrice: { currency: 'EUR', netAmount: 95, taxRatePercentage: 19 },
    },
  ],
  totalPrice: { currency: 'EUR' },
  taxConditions: { taxType: 'net' },
  shippingConditions: { shippingType: 'service', shippingDate: voucherDate },
  ...extra,
});

describe('lexoffice sandbox: XRechnung as Lexware documents it', () => {
  it('refuses a contact with a Leitweg-ID but no supplier number (406, legacy shape)', async () => {
    const { app } = createLexofficeSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
    const res = await request(app)
      .post('/v1/contacts')
      .set(auth)
      .send(company({ buyerReference: '04011000-1234512345-35' }));
    expect(res.status).toBe(406);
    expect(res.body.IssueList[0]).toMatchObject({ source: 'xRechnung.vendorNumberAtCustomer' });
  });

  it('refuses an invoice naming a Leitweg-ID for a contact without one, and makes an XRechnung for one with both', async () => {
    const { app, store } = createLexofficeSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
    const plain = (await request(app).post('/v1/contacts').set(auth).send(company())).body.id;
    const refused = await request(app)
      .post('/v1/invoices?finalize=true')
      .set(auth)
      .send(invoice(plain, { xRechnung: { buyerReference: '04011000-1234512345-35' } }));
    expect(refused.status).toBe(406);
    expect(refused.body.details).toContainEqual(expect.objectContaining({ field: 'xRechnung.buyerReference' }));

    const authority = (
      await request(app)
        .post('/v1/contacts')
        .set(auth)
        .send(company({ buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' }))
    ).body.id;
    const created = await request(app).post('/v1/invoices?finalize=true').set(auth).send(invoice(authority));
    expect(created.status).toBe(201);
    expect((await request(app).get(`/v1/invoices/${created.body.id}`).set(auth)).body.electronicDocumentProfile).toBe('XRechnung');
    const xml = await request(app)
      .get(`/v1/invoices/${created.body.id}/file`)
      .set({ ...auth, accept: 'application/xml' });
    expect([xml.status, xml.type]).toEqual([200, 'application/xml']);
    expect(xml.text).toContain('<ram:BuyerReference>04011000-1234512345-35</ram:BuyerReference>');
    const pdf = await request(app)
      .get(`/v1/invoices/${created.body.id}/file`)
      .set({ ...auth, accept: 'application/pdf' });
    expect(pdf.type).toBe('application/pdf');

    // "" makes a standard invoice for an XRechnung contact; its XML is a 404.
    const standard = await request(app)
      .post('/v1/invoices?finalize=true')
      .set(auth)
      .send(invoice(authority, { xRechnung: { buyerReference: '' } }));
    expect((await request(app).get(`/v1/invoices/${standard.body.id}`).set(auth)).body.electronicDocumentProfile).toBe(
      store.company.zugferd ? 'EN16931' : 'NONE',
    );
    expect(
      (
        await request(app)
          .get(`/v1/invoices/${standard.body.id}/file`)
          .set({ ...auth, accept: 'application/xml' })
      ).status,
    ).toBe(404);
  });

  it('checks the company data when an XRechnung is finalized, not for a draft', async () => {
    const { app, store } = createLexofficeSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
    store.company.iban = undefined;
    const authority = (
      await request(app)
        .post('/v1/contacts')
        .set(auth)
        .send(company({ buyerReference: '04011000-1234512345-35', vendorNumberAtCustomer: '70123456' }))
    ).body.id;
    expect((await request(app).post('/v1/invoices').set(auth).send(invoice(authority))).status).toBe(201);
    const finalized = await request(app).post('/v1/invoices?finalize=true').set(auth).send(invoice(authority));
    expect(finalized.status).toBe(406);
    expect(finalized.body.details).toContainEqual(expect.objectContaining({ field: 'organization.bankAccount' }));
  });
});
