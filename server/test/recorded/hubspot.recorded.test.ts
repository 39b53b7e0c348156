/**
 * Recorded HubSpot answers (server/test/recorded/hubspot/*.json, each with its source): (a) what our
 * product reads them with — @hubspot/api-client's models, our association and party readers — accepts
 * each one, and (b) the HubSpot sandbox answers the same call with the same shape (keys, JSON types, nulls).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ObjectSerializer as DealModels } from '@hubspot/api-client/lib/codegen/crm/deals/models/ObjectSerializer';
import { ObjectSerializer as LineItemModels } from '@hubspot/api-client/lib/codegen/crm/line_items/models/ObjectSerializer';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { associationGroup } from '../../src/hubspot/associations';
import { HubspotEventBatchSchema } from '../../src/hubspot/webhook-events';
import { contactToCustomer, primaryCompanyId } from '../../src/invoicing/gather';
import { createHubspotSandbox } from '../../src/sandboxes/hubspot/app';
import type { CrmChange } from '../../src/sandboxes/hubspot/store';
import { eventsFor } from '../../src/sandboxes/hubspot/webhook-events';
import { compareShape, type ShapeOptions } from '../helpers/shape';

interface Recorded {
  source: string;
  note: string;
  request?: { method: string; path: string; body?: unknown };
  response?: { status: number; body: any };
  /** A delivery HubSpot POSTs to the app (no request/response). */
  webhook?: { headers?: Record<string, string>; body: any };
}

/** What a case compares: the recorded answer (or delivery) and the sandbox's. */
const expected = (r: Recorded) => r.response ?? { status: undefined, body: r.webhook?.body };

const dir = join(__dirname, 'hubspot');
/** Answers compared by their own tests: hubspot-scopes.recorded.test.ts and hubspot-required-rules.recorded.test.ts. */
const comparedElsewhere = new Set(['missing-scopes.json', 'required-property-on-create.json', 'conditional-required-property.json']);
const recorded: Record<string, Recorded> = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !comparedElsewhere.has(f))
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recorded]),
);

function sandboxApi() {
  const sandbox = createHubspotSandbox({ now: () => Date.UTC(2026, 10, 2, 9, 0, 0) });
  const portal = sandbox.options.demoPortalId;
  const token = sandbox.installDemoPortal().accessToken;
  const send = (method: string, path: string, body?: unknown) => {
    const call = (request(sandbox.app) as any)[method.toLowerCase()](path).set('authorization', `Bearer ${token}`);
    return (body === undefined ? call : call.send(body)) as Promise<request.Response>;
  };
  const create = (type: string, properties: Record<string, string>) => sandbox.simulateChange(portal, type, undefined, properties).id;
  const associate = (from: string, fromId: string, to: string, toId: string) => sandbox.simulateAssociation(portal, from, fromId, to, toId);
  return { sandbox, portal, send, create, associate };
}

type Case = {
  /** What the product reads from the recorded body; throws or fails an expectation when it cannot. */
  parse: (body: any) => void;
  /** The sandbox's answer to the same call (or its delivery of the same event), after setting up comparable data. */
  sandbox: () => Promise<{ status?: number; body: any }>;
  shape?: ShapeOptions;
};

const cases: Record<string, Case> = {
  'deal-read-with-associations': {
    parse: (body) => {
      const deal = DealModels.deserialize(body, 'SimplePublicObjectWithAssociations', '');
      expect(associationGroup(deal.associations, 'line_items')?.results.map((r) => r.id)).toEqual(['28902434115']);
      expect(associationGroup(deal.associations, 'contacts')?.results[0].id).toBe('97132179531');
      expect(deal.properties.dealtype).toBeNull();
    },
    sandbox: async () => {
      const { send, create, associate } = sandboxApi();
      const deal = create('deals', {
        dealname: 'Website-Relaunch und Wartung Müller GmbH 2027',
        amount: '12500.00',
        closedate: '2027-03-31T10:00:00Z',
        pipeline: 'default',
        dealstage: 'contractsent',
        hubspot_owner_id: '69864216',
      });
      associate('deals', deal, 'line_items', create('line_items', { name: 'Konzeption', quantity: '1', price: '2400.00' }));
      associate('deals', deal, 'contacts', create('contacts', { firstname: 'Jürgen', lastname: 'Müller', email: 'juergen.mueller@hoelzl.example' }));
      return send('GET', recorded['deal-read-with-associations'].request!.path.replace('33108462948', deal));
    },
  },
  'deal-read-primary-company': {
    parse: (body) => {
      const deal = DealModels.deserialize(body, 'SimplePublicObjectWithAssociations', '');
      expect(primaryCompanyId(deal.associations)).toBe('28493851022');
    },
    sandbox: async () => {
      const { send, create, associate } = sandboxApi();
      const deal = create('deals', { dealname: 'Jahreswartung Bäckerei Hölzl' });
      associate('deals', deal, 'companies', create('companies', { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' }));
      return send('GET', `/crm/v3/objects/deals/${deal}?properties=dealname&associations=companies`);
    },
    // The recording is assembled around the association group; the sandbox adds the system properties asked-for reads carry.
    shape: { extraKeys: ['$.properties.createdate', '$.properties.hs_lastmodifieddate', '$.properties.hs_object_id'] },
  },
  'line-item-read': {
    parse: (body) => {
      const item = LineItemModels.deserialize(body, 'SimplePublicObjectWithAssociations', '');
      expect([item.properties.name, item.properties.quantity, item.properties.price]).toEqual(['kjsdb', '1', '1231']);
    },
    sandbox: async () => {
      const { send, create } = sandboxApi();
      return send('GET', `/crm/v3/objects/line_items/${create('line_items', { name: 'Fachbuch „Barrierefreiheit im Web“', quantity: '3', price: '39.90' })}`);
    },
  },
  'line-items-batch-read': {
    parse: (body) => {
      const batch = LineItemModels.deserialize(body, 'BatchResponseSimplePublicObject', '');
      expect(batch.results.map((r: { id: string }) => r.id)).toEqual(['28902434115']);
    },
    sandbox: async () => {
      const { send, create } = sandboxApi();
      const id = create('line_items', { name: 'Wartung und Sicherheitsupdates, monatlich', quantity: '12', price: '49.90' });
      return send('POST', '/crm/v3/objects/line_items/batch/read', { ...(recorded['line-items-batch-read'].request!.body as object), inputs: [{ id }] });
    },
  },
  'contact-read': {
    parse: (body) => {
      const contact = DealModels.deserialize(body, 'SimplePublicObject', '');
      expect(contactToCustomer(contact.properties)).toMatchObject({ kind: 'person', firstName: 'hi', lastName: undefined, email: 'sadvika@gmail.com' });
    },
    sandbox: async () => {
      const { send, create } = sandboxApi();
      return send('GET', `/crm/v3/objects/contacts/${create('contacts', { email: 'grete.schaefer@hoelzl.example', firstname: 'Grete', lastname: '' })}`);
    },
  },
  'error-invalid-date': {
    parse: (body) =>
      expect(DealModels.deserialize(body, 'ModelError', '')).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringContaining('INVALID_DATE') }),
    sandbox: async () => {
      const { send } = sandboxApi();
      await send('POST', '/crm/v3/properties/deals', {
        name: 'apiup_invoice_date',
        label: 'Rechnungsdatum',
        type: 'date',
        fieldType: 'date',
        groupName: 'dealinformation',
      });
      return send('POST', '/crm/v3/objects/deals/batch/create', {
        inputs: [{ properties: { dealname: 'Schulung Zürich', apiup_invoice_date: '1635535865' }, associations: [] }],
      });
    },
    // A 2021 answer; 2025 answers add `errors[]` (error-invalid-number.json).
    shape: { extraKeys: ['$.errors'] },
  },
  'error-invalid-number': {
    parse: (body) =>
      expect(DealModels.deserialize(body, 'ModelError', '')).toMatchObject({ category: 'VALIDATION_ERROR', errors: [{ code: 'INVALID_INTEGER' }] }),
    sandbox: async () => {
      const { send, create } = sandboxApi();
      const deal = create('deals', { dealname: 'Ersatzteile Rahmenvertrag' });
      return send('POST', '/crm/v3/objects/deals/batch/update', { inputs: [{ id: deal, properties: { amount: '1.4210854715202004e-14' } }] });
    },
  },
  'error-invalid-option': {
    parse: (body) =>
      expect(DealModels.deserialize(body, 'ModelError', '')).toMatchObject({ category: 'VALIDATION_ERROR', errors: [{ code: 'INVALID_OPTION' }] }),
    sandbox: async () => {
      const { send } = sandboxApi();
      return send('POST', '/crm/v3/objects/deals', { properties: { dealname: 'Schulung Zürich', deal_currency_code: 'Franken' }, associations: [] });
    },
  },
  'contact-create-conflict': {
    parse: (body) => {
      const error = DealModels.deserialize(body, 'ModelError', '');
      expect(/Existing ID: (\d+)/.exec(error.message)?.[1]).toBe('37765128953');
    },
    sandbox: async () => {
      const { send } = sandboxApi();
      const body = { properties: { email: 'buchhaltung@hoelzl.example', firstname: 'Grete' }, associations: [] };
      await send('POST', '/crm/v3/objects/contacts', body);
      return send('POST', '/crm/v3/objects/contacts', body);
    },
  },
  'webhook-contact-creation': {
    parse: (body) => {
      const [event] = HubspotEventBatchSchema.parse(body);
      expect(event).toMatchObject({ subscriptionType: 'contact.creation', objectId: '65059681032', changeSource: 'CRM_UI', sourceId: 'userId:45678' });
    },
    sandbox: async () => {
      const { sandbox, create } = sandboxApi();
      const changes: CrmChange[] = [];
      sandbox.store.onChange((change) => changes.push(change));
      create('contacts', { firstname: 'Grete', lastname: 'Schäfer', email: 'grete.schaefer@hoelzl.example' });
      let eventId = 0;
      const creation = changes.find((c) => c.kind === 'creation')!;
      return { body: eventsFor(creation, [{ subscriptionType: 'contact.creation' }], sandbox.options.appId, () => ++eventId) };
    },
  },
};

describe('recorded HubSpot answers', () => {
  it('has a case for every recorded file and a file for every case', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(recorded).sort());
  });

  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it('is read by the product', () => {
        c.parse(expected(recorded[name]).body);
      });

      it('is answered by the sandbox with the same status and shape', async () => {
        const answer = await c.sandbox();
        const recordedAnswer = expected(recorded[name]);
        expect(answer.status, JSON.stringify(answer.body)).toBe(recordedAnswer.status);
        expect(answer.body).not.toEqual([]);
        expect(compareShape(recordedAnswer.body, answer.body, c.shape)).toEqual([]);
      });
    });
  }
});
