import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createSevdeskSandbox, sevdeskSandboxApiToken } from './app';

const auth = { authorization: sevdeskSandboxApiToken };
const ref = (id: string | number, objectName: string) => ({ id: Number(id), objectName });

function invoiceBody(contactId: string, userId: string, extra: Record<string, unknown> = {}) {
  return {
    invoice: {
      objectName: 'Invoice',
      mapAll: true,
      contact: ref(contactId, 'Contact'),
      contactPerson: ref(userId, 'SevUser'),
      invoiceDate: '01.12.2026',
      discount: 0,
      status: '100',
      invoiceType: 'RE',
      currency: 'EUR',
      taxRate: 0,
      taxRule: { id: '1', objectName: 'TaxRule' },
      taxText: 'Umsatzsteuer',
      addressCountry: ref(1, 'StaticCountry'),
      ...extra,
    },
    invoicePosSave: [
      { objectName: 'InvoicePos', mapAll: true, name: 'Wartung Backstraße Filiale Pankow', quantity: 3, price: 120, taxRate: 19, unity: ref(1, 'Unity') },
    ],
  };
}

describe('sevDesk sandbox: e-invoices (SVS propertyIsEInvoice)', () => {
  it('refuses an e-invoice naming every field SVS lists that is missing, and makes one when they are there', async () => {
    const { app, store } = createSevdeskSandbox();
    store.client.bankBic = null;
    const contact = (
      await request(app)
        .post('/Contact')
        .set(auth)
        .send({ name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', category: ref(3, 'Category') })
    ).body;
    const refused = await request(app)
      .post('/Invoice/Factory/saveInvoice')
      .set(auth)
      .send(invoiceBody(contact.id, store.user.id, { propertyIsEInvoice: true }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toBe(
      'E-invoice data missing: sevClient.bankBic, contact.buyerReference, contact.email, invoice.paymentMethod, invoice.addressStreet, invoice.addressZip, invoice.addressCity',
    );

    store.client.bankBic = 'COBADEFFXXX';
    await request(app).put(`/Contact/${contact.id}`).set(auth).send({ buyerReference: '991-01234-56' });
    await request(app)
      .post('/CommunicationWay')
      .set(auth)
      .send({ contact: ref(contact.id, 'Contact'), type: 'EMAIL', value: 'einkauf@hoelzl-soehne.example', key: ref(2, 'CommunicationWayKey'), main: true });
    const address = { addressStreet: 'Schönhauser Allee 112', addressZip: '10439', addressCity: 'Berlin', paymentMethod: ref(21919, 'PaymentMethod') };
    const saved = await request(app)
      .post('/Invoice/Factory/saveInvoice')
      .set(auth)
      .send(invoiceBody(contact.id, store.user.id, { propertyIsEInvoice: true, ...address }));
    expect(saved.status).toBe(201);
    const id = saved.body.objects.invoice.id;
    // A draft has no XML yet; once sent it has.
    expect((await request(app).get(`/Invoice/${id}/getXml`).set(auth)).status).toBe(400);
    await request(app).put(`/Invoice/${id}/sendBy`).set(auth).send({ sendType: 'VPDF', sendDraft: false });
    const xml = await request(app).get(`/Invoice/${id}/getXml`).set(auth);
    expect(xml.status).toBe(200);
    expect(xml.body.objects).toContain('<ram:BuyerReference>991-01234-56</ram:BuyerReference>');
  });

  it('has no XML for an ordinary invoice', async () => {
    const { app, store } = createSevdeskSandbox();
    const contact = (
      await request(app)
        .post('/Contact')
        .set(auth)
        .send({ name: 'Konditorei Süßwaren Öztürk GmbH', category: ref(3, 'Category') })
    ).body;
    const saved = await request(app).post('/Invoice/Factory/saveInvoice').set(auth).send(invoiceBody(contact.id, store.user.id));
    await request(app).put(`/Invoice/${saved.body.objects.invoice.id}/sendBy`).set(auth).send({ sendType: 'VPDF', sendDraft: false });
    const xml = await request(app).get(`/Invoice/${saved.body.objects.invoice.id}/getXml`).set(auth);
    expect(xml.status).toBe(400);
  });
});
