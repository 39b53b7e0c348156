import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createbexioSandbox } from './app';

const auth = { authorization: 'Bearer bexio-sandbox-pat-0001', accept: 'application/json' };
const company = { contact_type_id: 1, name_1: 'Muster AG', user_id: 1, owner_id: 1 };

describe('bexio sandbox answers like bexio', () => {
  it('answers a missing or wrong token with bexio’s 401 body', async () => {
    const { app } = createbexioSandbox();
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'bexio-sandbox-pat-0001' }]) {
      const res = await request(app).get('/3.0/users/me').set(headers);
      expect([res.status, res.body]).toEqual([401, { error_code: 401, message: 'Unauthorized' }]);
    }
  });

  it('rejects invalid bodies with 422, a non-JSON body with 415, and edits by PUT/PATCH with 404', async () => {
    const { app } = createbexioSandbox();
    const missing = await request(app).post('/2.0/contact').set(auth).send({ contact_type_id: 3, name_1: 'X' });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ error_code: 422, message: expect.stringMatching(/contact_type_id.*user_id/s) });
    const numberMoney = await request(app)
      .post('/2.0/kb_invoice')
      .set(auth)
      .send({ contact_id: 1, user_id: 1, positions: [{ type: 'KbPositionCustom', amount: 1, unit_price: '1', tax_id: 28 }] });
    expect(numberMoney.status).toBe(422);
    const text = await request(app).post('/2.0/contact').set(auth).set('content-type', 'text/plain').send('name_1=x');
    expect([text.status, text.body.error_code]).toEqual([415, 415]);
    const created = await request(app).post('/2.0/contact').set(auth).send(company);
    expect(created.status).toBe(201);
    const patched = await request(app).patch(`/2.0/contact/${created.body.id}`).set(auth).send(company);
    expect(patched.status).toBe(404);
  });

  it('answers more than 150 positions in one create with a 500 after storing part of the document (docs: at most 150)', async () => {
    const { app, store } = createbexioSandbox();
    const contact = await request(app)
      .post('/2.0/contact')
      .set(auth)
      .send({ ...company, name_1: 'Bäckerei Hölzl & Söhne Großhandel GmbH' });
    const position = (i: number) => ({ type: 'KbPositionCustom', amount: '1', unit_price: '12.50', tax_id: 28, text: `Brotlieferung Woche ${i}` });
    const body = (n: number) => ({ contact_id: contact.body.id, user_id: 1, positions: Array.from({ length: n }, (_, i) => position(i + 1)) });
    const tooMany = await request(app).post('/2.0/kb_invoice').set(auth).send(body(151));
    expect([tooMany.status, tooMany.body]).toEqual([500, { error_code: 500, message: 'Internal Server Error' }]);
    expect([...store.documents.kb_invoice.values()].map((d) => d.positions.length)).toEqual([150]);
    const exactly = await request(app).post('/2.0/kb_invoice').set(auth).send(body(150));
    expect([exactly.status, exactly.body.positions.length, exactly.body.total]).toEqual([201, 150, '2026.900000']);
  });

  it('refuses the read-only contact `address` on create with a 422 in bexio’s wording', async () => {
    const { app } = createbexioSandbox();
    const res = await request(app)
      .post('/2.0/contact')
      .set(auth)
      .send({ ...company, address: 'Hauptstrasse 5' });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/^The form could not be saved due to the following errors: address: /);
  });

  it('enforces its per-minute limit per token with RateLimit-* headers', async () => {
    const { app } = createbexioSandbox({ rateLimit: { requests: 2, perMs: 60_000 } });
    const first = await request(app).get('/3.0/users/me').set(auth);
    expect(first.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '60' });
    await request(app).get('/3.0/users/me').set(auth);
    const third = await request(app).get('/3.0/users/me').set(auth);
    expect([third.status, third.body, third.headers['ratelimit-remaining']]).toEqual([429, { error_code: 429, message: 'Too Many Requests' }, '0']);
  });

  it('numbers invoices, computes 5-Rappen totals and refuses to issue twice', async () => {
    const { app } = createbexioSandbox();
    const contact = await request(app).post('/2.0/contact').set(auth).send(company);
    const body = { contact_id: contact.body.id, user_id: 1, positions: [{ type: 'KbPositionCustom', amount: '5', unit_price: '3.56', tax_id: 1 }] };
    const invoice = await request(app).post('/2.0/kb_invoice').set(auth).send(body);
    expect(invoice.body).toMatchObject({
      document_nr: 'RE-00001',
      total_net: '17.800000',
      total_taxes: '1.3706',
      total: '19.150000',
      total_rounding_difference: -0.02,
      kb_item_status_id: 7,
    });
    expect((await request(app).post(`/2.0/kb_invoice/${invoice.body.id}/issue`).set(auth)).body).toEqual({ success: true });
    expect((await request(app).post(`/2.0/kb_invoice/${invoice.body.id}/issue`).set(auth)).status).toBe(422);
    expect((await request(app).post('/2.0/kb_invoice').set(auth).send(body)).body.document_nr).toBe('RE-00002');
  });

  it('serves control routes without auth, limits or faults', async () => {
    const sandbox = createbexioSandbox();
    await request(sandbox.app).post('/_sandbox/faults').send({ serverErrors: 1 }).expect(200);
    expect((await request(sandbox.app).get('/3.0/users/me').set(auth)).body).toEqual({ error_code: 503, message: 'Service Unavailable' });
    await request(sandbox.app).delete('/_sandbox/faults').expect(204);
    await request(sandbox.app).post('/_sandbox/documents/99/pay').send({}).expect(404);
  });
});
