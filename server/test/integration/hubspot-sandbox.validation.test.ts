/**
 * The HubSpot sandbox checks property values as HubSpot does (hubspot.md §6.1 "Validation"; bodies in
 * sandboxes/hubspot/property-values.ts): one bad value → 400 VALIDATION_ERROR naming it, and nothing stored.
 * Reads list every requested property, null when it has no value.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createHubspotSandbox } from '../../src/sandboxes/hubspot/app';

function setup() {
  const sandbox = createHubspotSandbox({ now: () => Date.UTC(2026, 10, 2, 9, 0, 0) });
  sandbox.installDemoPortal();
  // Written as a portal user would (a private app's token has every object scope; our app may not write line items).
  const token = sandbox.issuePrivateAppToken();
  const auth = (r: request.Test) => r.set('authorization', `Bearer ${token}`);
  const api = {
    get: (path: string) => auth(request(sandbox.app).get(path)),
    post: (path: string, body: unknown) => auth(request(sandbox.app).post(path)).send(body as object),
    patch: (path: string, body: unknown) => auth(request(sandbox.app).patch(path)).send(body as object),
  };
  return { sandbox, api, portal: sandbox.options.demoPortalId };
}

/** The JSON array HubSpot puts into `message` after "Property values were not valid: ". */
function problemsOf(body: { message: string }) {
  return JSON.parse(body.message.replace(/^Property values were not valid: /, '')) as Array<Record<string, unknown>>;
}

describe('property values HubSpot refuses', () => {
  it('refuses a deal stage outside the pipeline with INVALID_OPTION and creates nothing', async () => {
    const { sandbox, api, portal } = setup();
    const before = sandbox.store.ensurePortal(portal).records.deals.size;
    const answer = await api.post('/crm/v3/objects/deals', {
      properties: { dealname: 'Website-Relaunch und Wartung Müller GmbH 2027', pipeline: 'default', dealstage: 'abgeschlossen_gewonnen' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String) });
    const [problem] = problemsOf(answer.body);
    expect(problem).toMatchObject({ isValid: false, error: 'INVALID_OPTION', name: 'dealstage', propertyValue: 'abgeschlossen_gewonnen', portalId: portal });
    expect(problem.message).toMatch(/^abgeschlossen_gewonnen was not one of the allowed options: \[appointmentscheduled, .*closedwon, closedlost\]$/);
    expect(answer.body.errors).toEqual([{ message: problem.message, code: 'INVALID_OPTION', context: { propertyName: ['dealstage'] } }]);
    expect(sandbox.store.ensurePortal(portal).records.deals.size).toBe(before);
  });

  it("checks the stage against the deal's own pipeline on update and keeps the old stage", async () => {
    const { sandbox, api, portal } = setup();
    const pipeline = await api.post('/crm/v3/pipelines/deals', {
      label: 'Großprojekte',
      displayOrder: 1,
      stages: [{ label: 'Angebot', displayOrder: 0, metadata: { probability: '0.5' } }],
    });
    const stage = pipeline.body.stages[0].id;
    const deal = sandbox.simulateChange(portal, 'deals', undefined, { dealname: 'Jahreswartung Bäckerei Hölzl', pipeline: pipeline.body.id, dealstage: stage });
    const refused = await api.patch(`/crm/v3/objects/deals/${deal.id}`, { properties: { dealstage: 'closedwon' } });
    expect(refused.status).toBe(400);
    expect(problemsOf(refused.body)[0]).toMatchObject({ error: 'INVALID_OPTION', message: `closedwon was not one of the allowed options: [${stage}]` });
    expect(deal.properties.dealstage).toBe(stage);
  });

  it('refuses a date that is not midnight UTC with INVALID_DATE, and stores midnight as YYYY-MM-DD', async () => {
    const { api } = setup();
    await api.post('/crm/v3/properties/deals', {
      name: 'apiup_invoice_date',
      label: 'Rechnungsdatum',
      type: 'date',
      fieldType: 'date',
      groupName: 'dealinformation',
    });
    const deal = await api.post('/crm/v3/objects/deals', { properties: { dealname: 'Schulung Zürich' } });
    const refused = await api.patch(`/crm/v3/objects/deals/${deal.body.id}`, {
      properties: { apiup_invoice_date: String(Date.UTC(2026, 11, 1, 20, 36, 1, 954)) },
    });
    expect(refused.status).toBe(400);
    expect(problemsOf(refused.body)[0]).toMatchObject({
      error: 'INVALID_DATE',
      name: 'apiup_invoice_date',
      message: `${Date.UTC(2026, 11, 1, 20, 36, 1, 954)} is at 20:36:1.954 UTC, not midnight!`,
    });
    expect((await api.patch(`/crm/v3/objects/deals/${deal.body.id}`, { properties: { apiup_invoice_date: '2026-12-01T10:00:00Z' } })).status).toBe(400);
    const read = async () => (await api.get(`/crm/v3/objects/deals/${deal.body.id}?properties=apiup_invoice_date`)).body.properties.apiup_invoice_date;
    expect(await read()).toBeNull();
    expect((await api.patch(`/crm/v3/objects/deals/${deal.body.id}`, { properties: { apiup_invoice_date: String(Date.UTC(2026, 11, 1)) } })).status).toBe(200);
    expect(await read()).toBe('2026-12-01');
    expect((await api.patch(`/crm/v3/objects/deals/${deal.body.id}`, { properties: { apiup_invoice_date: '2026-12-24' } })).status).toBe(200);
    expect(await read()).toBe('2026-12-24');
  });

  it('refuses a non-numeric number with INVALID_INTEGER and an unreadable datetime with INVALID_LONG, all problems at once', async () => {
    const { api } = setup();
    const answer = await api.post('/crm/v3/objects/deals', { properties: { dealname: 'Ersatzteile', amount: '1.234,50', closedate: 'Ende Dezember' } });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer.body).map((p) => [p.name, p.error, p.message])).toEqual([
      ['amount', 'INVALID_INTEGER', '1.234,50 was not a valid number.'],
      ['closedate', 'INVALID_LONG', 'Ende Dezember was not a valid long.'],
    ]);
    const item = await api.post('/crm/v3/objects/line_items', { properties: { name: 'Dichtungsring', quantity: '2', price: ' 4.20' } });
    expect(item.status).toBe(400);
    expect(problemsOf(item.body)[0]).toMatchObject({ name: 'price', error: 'INVALID_INTEGER' });
  });

  it('refuses a whole batch update when one input is bad, and stores none of it', async () => {
    const { api } = setup();
    const created = await api.post('/crm/v3/objects/line_items/batch/create', {
      inputs: [
        { properties: { name: 'Konzeption', quantity: '1', price: '2400.00' }, associations: [] },
        { properties: { name: 'Wartung', quantity: '12', price: '49.90' }, associations: [] },
      ],
    });
    const [a, b] = created.body.results.map((r: { id: string }) => r.id);
    const refused = await api.post('/crm/v3/objects/line_items/batch/update', {
      inputs: [
        { id: a, properties: { quantity: '3' } },
        { id: b, properties: { price: 'neunundvierzig' } },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.category).toBe('VALIDATION_ERROR');
    const read = await api.post('/crm/v3/objects/line_items/batch/read', {
      inputs: [{ id: a }, { id: b }],
      properties: ['quantity', 'price', 'amount'],
      propertiesWithHistory: [],
    });
    expect(read.body.results.map((r: { properties: Record<string, string> }) => r.properties)).toEqual([
      expect.objectContaining({ quantity: '1', price: '2400.00', amount: '2400.00' }),
      expect.objectContaining({ quantity: '12', price: '49.90', amount: '598.80' }),
    ]);
  });

  it('refuses a whole batch create when one input is bad, and creates none', async () => {
    const { sandbox, api, portal } = setup();
    const refused = await api.post('/crm/v3/objects/deals/batch/create', {
      inputs: [
        { properties: { dealname: 'Gut', deal_currency_code: 'EUR' }, associations: [] },
        { properties: { dealname: 'Schlecht', deal_currency_code: 'Euro' }, associations: [] },
      ],
    });
    expect(refused.status).toBe(400);
    expect(problemsOf(refused.body)[0]).toMatchObject({
      name: 'deal_currency_code',
      error: 'INVALID_OPTION',
      message: 'Euro was not one of the allowed options: [EUR, CHF, USD, GBP]',
    });
    expect(sandbox.store.ensurePortal(portal).records.deals.size).toBe(0);
  });
});

describe('reading properties', () => {
  it('lists every requested property (and id, create and modified date), null when it has no value, and leaves out names the type lacks', async () => {
    const { api } = setup();
    const company = await api.post('/crm/v3/objects/companies', { properties: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', city: 'München' } });
    const read = await api.get(`/crm/v3/objects/companies/${company.body.id}?properties=name,city,zip,address,no_such_property`);
    expect(read.body.properties).toEqual({
      address: null,
      city: 'München',
      createdate: '2026-11-02T09:00:00.000Z',
      hs_lastmodifieddate: '2026-11-02T09:00:00.000Z',
      hs_object_id: company.body.id,
      name: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      zip: null,
    });
    expect(Object.keys(read.body.properties)).toEqual([...Object.keys(read.body.properties)].sort());
    const cleared = await api.patch(`/crm/v3/objects/companies/${company.body.id}`, { properties: { city: null } });
    expect(cleared.status).toBe(200);
    expect((await api.get(`/crm/v3/objects/companies/${company.body.id}?properties=city`)).body.properties).toMatchObject({ city: '' });
  });
});
