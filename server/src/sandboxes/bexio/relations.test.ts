import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createbexioSandbox } from './app';

const auth = { authorization: 'Bearer bexio-sandbox-pat-0001', accept: 'application/json' };

describe('bexio sandbox contact relations (docs.bexio.com "Contact Relations")', () => {
  async function twoContacts() {
    const { app } = createbexioSandbox();
    const company = await request(app)
      .post('/2.0/contact')
      .set(auth)
      .send({ contact_type_id: 1, name_1: 'Schlosserei Brändli-Hüppi AG', user_id: 1, owner_id: 1 });
    const person = await request(app).post('/2.0/contact').set(auth).send({ contact_type_id: 2, name_1: 'Hüppi', name_2: 'Vreni', user_id: 1, owner_id: 1 });
    return { app, companyId: company.body.id as number, personId: person.body.id as number };
  }

  it('creates, finds by contact_sub_id, edits and deletes a relation in the documented shape', async () => {
    const { app, companyId, personId } = await twoContacts();
    const created = await request(app).post('/2.0/contact_relation').set(auth).send({ contact_id: companyId, contact_sub_id: personId });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 1,
      contact_id: companyId,
      contact_sub_id: personId,
      description: '',
      updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    });
    const found = await request(app)
      .post('/2.0/contact_relation/search')
      .set(auth)
      .send([{ field: 'contact_sub_id', value: String(personId), criteria: '=' }]);
    expect(found.body.map((r: { id: number }) => r.id)).toEqual([1]);
    const edited = await request(app)
      .post('/2.0/contact_relation/1')
      .set(auth)
      .send({ contact_id: companyId, contact_sub_id: personId, description: 'Buchhaltung' });
    expect(edited.body.description).toBe('Buchhaltung');
    expect((await request(app).delete('/2.0/contact_relation/1').set(auth)).body).toEqual({ success: true });
    expect((await request(app).get('/2.0/contact_relation/1').set(auth)).status).toBe(404);
    expect((await request(app).get('/2.0/contact_relation').set(auth)).body).toEqual([]);
  });

  it('refuses a relation to an unknown contact, a missing id and an unsearchable field with 422', async () => {
    const { app, personId } = await twoContacts();
    const unknown = await request(app).post('/2.0/contact_relation').set(auth).send({ contact_id: 999, contact_sub_id: personId });
    expect([unknown.status, unknown.body.error_code]).toEqual([422, 422]);
    const missing = await request(app).post('/2.0/contact_relation').set(auth).send({ contact_sub_id: personId });
    expect(missing.status).toBe(422);
    const badField = await request(app)
      .post('/2.0/contact_relation/search')
      .set(auth)
      .send([{ field: 'description', value: 'x' }]);
    expect(badField.status).toBe(422);
  });
});
