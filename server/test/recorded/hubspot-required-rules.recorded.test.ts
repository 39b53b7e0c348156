/**
 * Required-property rules in the HubSpot sandbox: set per portal through the control endpoint, enforced
 * on the 2026-09 CRM write paths with HubSpot's error body, ignored on v3 (what the product calls).
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { privateAppScopes } from '../../src/sandboxes/hubspot/app-config';
import { createHubspotSandbox, type HubspotSandbox } from '../../src/sandboxes/hubspot/app';
import { compareShape } from '../helpers/shape';

const recordedBody = (file: string) =>
  (JSON.parse(fs.readFileSync(path.join(__dirname, 'hubspot', file), 'utf8')) as { response: { status: number; body: unknown } }).response;
const onCreate = recordedBody('required-property-on-create.json');
const conditional = recordedBody('conditional-required-property.json');

let sandbox: HubspotSandbox;
let auth: { authorization: string };

beforeEach(async () => {
  sandbox = createHubspotSandbox({ defaultScopes: ['oauth', ...privateAppScopes] });
  const install = sandbox.installDemoPortal();
  auth = { authorization: `Bearer ${install.accessToken}` };
  const rules = [
    { kind: 'onCreate', objectType: 'contacts', property: 'phone' },
    { kind: 'conditional', objectType: 'deals', property: 'closedate', when: { property: 'dealstage', value: 'closedwon' } },
  ];
  const set = await request(sandbox.app).put(`/_sandbox/portals/${install.portalId}/required-property-rules`).send({ rules });
  expect(set.status).toBe(200);
});

const send = (method: 'post' | 'patch', url: string, body: object) => request(sandbox.app)[method](url).set(auth).send(body);

async function newDeal(properties: Record<string, string>): Promise<string> {
  const created = await send('post', '/crm/v3/objects/deals', { properties: { dealname: 'Website-Relaunch und Wartung Müller GmbH 2027', ...properties } });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('HubSpot sandbox required-property rules', () => {
  it('refuses a 2026-09 create without a property the Create Record form requires, with the recorded body', async () => {
    const refused = await send('post', '/crm/objects/2026-09/contacts', { properties: { email: 'buchhaltung@baeckerei-hoelzl.de', lastname: 'Hölzl' } });
    expect(refused.status).toBe(onCreate.status);
    expect(compareShape(onCreate.body, refused.body, { extraKeys: ['$.correlationId'] })).toEqual([]);
    expect(refused.body.errors).toEqual([
      { code: 'MISSING_REQUIRED_PROPERTY', message: 'A value for phone must be provided', context: { propertyName: ['phone'] } },
    ]);
    expect(sandbox.store.portal(sandbox.options.demoPortalId)!.records.contacts.size).toBe(0);

    const accepted = await send('post', '/crm/objects/2026-09/contacts', {
      properties: { email: 'buchhaltung@baeckerei-hoelzl.de', lastname: 'Hölzl', phone: '+49 89 1234567' },
    });
    expect(accepted.status).toBe(201);
  });

  it('refuses a whole 2026-09 batch create when one input breaks a rule', async () => {
    const inputs = [{ properties: { lastname: 'Großhandel', phone: '+49 30 555' } }, { properties: { lastname: 'Söhne' } }];
    const refused = await send('post', '/crm/objects/2026-09/contacts/batch/create', { inputs });
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toHaveLength(1);
  });

  it('refuses a 2026-09 write that sets the controlling value without the conditionally required property', async () => {
    const dealId = await newDeal({ dealstage: 'appointmentscheduled' });
    const refused = await send('patch', `/crm/objects/2026-09/deals/${dealId}`, { properties: { dealstage: 'closedwon' } });
    expect(refused.status).toBe(conditional.status);
    expect(compareShape(conditional.body, refused.body, { extraKeys: ['$.status', '$.message', '$.correlationId'] })).toEqual([]);
    expect(refused.body.errors[0]).toMatchObject({ code: 'MISSING_CONDITIONAL_REQUIRED_PROPERTY', context: { propertyName: ['closedate'] } });
    expect(refused.body.errors[0].message).toBe('closedate is required because of a conditional property rule based on [dealstage]');

    const withDate = await send('patch', `/crm/objects/2026-09/deals/${dealId}`, { properties: { dealstage: 'closedwon', closedate: '2027-03-31' } });
    expect(withDate.status).toBe(200);
  });

  it('does not fail a 2026-09 write on a rule whose controlling property the write leaves alone', async () => {
    const dealId = await newDeal({ dealstage: 'closedwon' });
    const update = await send('patch', `/crm/objects/2026-09/deals/${dealId}`, {
      properties: { dealname: 'Website-Relaunch und Wartung Müller GmbH 2027 (Rechnung erstellt)' },
    });
    expect(update.status).toBe(200);
    const batch = await send('post', '/crm/objects/2026-09/deals/batch/update', { inputs: [{ id: dealId, properties: { amount: '14990.00' } }] });
    expect(batch.status).toBe(200);
  });

  it('ignores the rules on v3 paths, as HubSpot does before 2026-09', async () => {
    expect((await send('post', '/crm/v3/objects/contacts', { properties: { lastname: 'Hölzl' } })).status).toBe(201);
    const dealId = await newDeal({ dealstage: 'appointmentscheduled' });
    expect((await send('patch', `/crm/v3/objects/deals/${dealId}`, { properties: { dealstage: 'closedwon' } })).status).toBe(200);
  });

  it('rejects a malformed rule list at the control endpoint', async () => {
    const answer = await request(sandbox.app)
      .put(`/_sandbox/portals/${sandbox.options.demoPortalId}/required-property-rules`)
      .send({ rules: [{ kind: 'sometimes', property: 'x' }] });
    expect(answer.status).toBe(400);
  });
});
