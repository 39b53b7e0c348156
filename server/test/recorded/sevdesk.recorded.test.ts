/**
 * sevDesk's recorded answers and documentation examples (server/test/recorded/sevdesk/*.json, each with
 * its source) against both implementations: our client's parsing must accept every body, and the
 * sevDesk sandbox, asked the same call, must answer with the same keys, JSON types and nulls.
 * sevDesk has no webhooks (docs/reference/accounting.md §2.2), so there is no webhook payload here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifySevdesk, parseSevdeskBody } from '../../src/accounting/sevdesk/client';
import { defaultSevdeskAccountIds, fromVendorContact, fromVendorInvoice, fromVendorOrder, toVendorOrder } from '../../src/accounting/sevdesk/mapping';
import { contactAddressSchema, contactSchema, invoiceSchema, objectsList, orderSchema, saveInvoiceResultSchema } from '../../src/accounting/sevdesk/schemas';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { createsevdeskSandbox, type SevdeskSandbox } from '../../src/sandboxes/sevdesk/app';
import { compareShape, type ShapeOptions } from '../helpers/shape';

interface Recorded {
  source: string;
  note: string;
  request: { method: 'GET' | 'POST'; path: string; body?: any };
  response: { status: number; body: any };
}

const dir = join(import.meta.dirname, 'sevdesk');
const load = (name: string): Recorded => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));

let sandbox: SevdeskSandbox;
let running: RunningSandbox;

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(running.url + path, {
    method,
    headers: { authorization: sandbox.credentials.apiToken, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function createContact(name: string): Promise<string> {
  const created = await call('POST', '/Contact', { name, customerNumber: '1012', category: { id: 3, objectName: 'Category' } });
  return created.body.id;
}

/** The recorded invoice request with this sandbox's contact and user in place of the recording's ids. */
function withSandboxIds(body: any, contactId: string) {
  const copy = structuredClone(body);
  copy.invoice.contact.id = Number(contactId);
  copy.invoice.contactPerson.id = Number(sandbox.store.user.id);
  return copy;
}

/**
 * Documentation examples show a value in every field; the runtime answers null where a field is unset
 * (get-contact.json, list-contact-addresses.json). Against a documentation example, a null in the
 * sandbox's answer therefore matches any recorded type; every other difference still counts.
 */
function nullWhereTheExampleShowsAValue(example: unknown, actual: unknown, path = '$'): string[] {
  if (actual === null) return example === null ? [] : [path];
  if (Array.isArray(example) && Array.isArray(actual))
    return example.length ? actual.flatMap((a) => nullWhereTheExampleShowsAValue(example[0], a, `${path}[]`)) : [];
  if (example && actual && typeof example === 'object' && typeof actual === 'object') {
    return Object.keys(actual).flatMap((key) =>
      key in (example as object) ? nullWhereTheExampleShowsAValue((example as any)[key], (actual as any)[key], `${path}.${key}`) : [],
    );
  }
  return [];
}

function shapeAgainstExample(example: unknown, actual: unknown, options: ShapeOptions = {}): string[] {
  const looseTypes = [...(options.looseTypes ?? []), ...nullWhereTheExampleShowsAValue(example, actual)];
  return compareShape(example, actual, { ...options, looseTypes });
}

beforeAll(async () => {
  sandbox = createsevdeskSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
  running = await listenSandbox(sandbox.app, 0);
});
afterAll(() => running.close());

describe('sevDesk recorded corpus', () => {
  it('holds the calls the connector makes, each with a source and a note', () => {
    const names = readdirSync(dir)
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(names).toEqual(['create-contact', 'create-invoice', 'error-currency-missing', 'get-contact', 'get-invoice', 'get-order', 'list-contact-addresses']);
    for (const name of names) {
      const recorded = load(name);
      expect(recorded.source, name).toMatch(/github|https:\/\//);
      expect(recorded.note.length, name).toBeGreaterThan(40);
    }
  });
});

describe('our client reads every recorded sevDesk body', () => {
  it('a recorded contact, with its nulls, becomes a company customer', () => {
    const { body } = load('get-contact').response;
    const [contact] = parseSevdeskBody(objectsList(contactSchema), body, { method: 'GET', path: '/Contact/54317047' }).objects;
    expect(fromVendorContact(contact)).toEqual({
      id: '54317047',
      kind: 'company',
      companyName: 'Odonien',
      customerNumber: '1012',
      updatedAt: Date.parse('2022-11-10T12:32:19+01:00'),
    });
  });

  it('a recorded address list, with string ids', () => {
    const { body } = load('list-contact-addresses').response;
    const [address] = parseSevdeskBody(objectsList(contactAddressSchema), body, { method: 'GET', path: '/ContactAddress' }).objects;
    expect(address).toMatchObject({ id: '42713244', street: 'Deutz-Mülheimer Str. 204', zip: '51063', city: 'Köln', country: { id: '1' } });
  });

  it('the documented create-contact answer', () => {
    const { body } = load('create-contact').response;
    expect(parseSevdeskBody(contactSchema, body, { method: 'POST', path: '/Contact' })).toMatchObject({ id: '0', surename: 'John', familyname: 'Snow' });
  });

  it('the saveInvoice answer wrapped in objects, and the documented invoice read', () => {
    const saved = parseSevdeskBody(saveInvoiceResultSchema, load('create-invoice').response.body, { method: 'POST', path: '/Invoice/Factory/saveInvoice' });
    expect(saved.invoice).toMatchObject({ id: '1', status: '100', sumGross: '119' });
    const [invoice] = parseSevdeskBody(objectsList(invoiceSchema), load('get-invoice').response.body, { method: 'GET', path: '/Invoice/1' }).objects;
    expect(fromVendorInvoice(invoice)).toMatchObject({
      id: '1',
      status: 'draft',
      number: 'RE-1000',
      date: '2024-04-08',
      totals: { net: '100.00', tax: '19.00', gross: '119.00' },
    });
  });

  it("a recorded estimate (order type AN) becomes an open quotation with sevDesk's sums", () => {
    const [order] = parseSevdeskBody(objectsList(orderSchema), load('get-order').response.body, { method: 'GET', path: '/Order/14456802' }).objects;
    expect(fromVendorOrder(order)).toEqual({
      id: '14456802',
      kind: 'quotation',
      status: 'open',
      number: 'Vinaturel GmbH AN-1021',
      date: '2023-12-13',
      currency: 'EUR',
      totals: { net: '260.00', tax: '49.40', gross: '309.40' },
    });
  });

  it("the validation error as a validation ProviderError with sevDesk's message", () => {
    const { status, body } = load('error-currency-missing').response;
    const error = classifySevdesk({ status, headers: {}, body: Buffer.from(JSON.stringify(body)) } as never);
    expect(error).toMatchObject({ kind: 'validation', detail: { provider: 'sevdesk', status: 422 } });
    expect(error.message).toContain('Currency is required.');
  });
});

describe('the sevDesk sandbox answers the recorded calls in the recorded shape', () => {
  it('GET /Contact/{id}', async () => {
    const recorded = load('get-contact');
    const id = await createContact('Bäckerei Hölzl & Söhne Großhandel GmbH');
    const answer = await call('GET', `/Contact/${id}`);
    expect(answer.status).toBe(recorded.response.status);
    expect(compareShape(recorded.response.body, answer.body)).toEqual([]);
  });

  it('GET /ContactAddress?contact[id]=', async () => {
    const recorded = load('list-contact-addresses');
    const contactId = await createContact('Website-Relaunch und Wartung Müller GmbH');
    const address = {
      contact: { id: Number(contactId), objectName: 'Contact' },
      street: 'Deutz-Mülheimer Str. 204',
      zip: '51063',
      city: 'Köln',
      country: { id: 1, objectName: 'StaticCountry' },
      category: { id: 47, objectName: 'Category' },
    };
    expect((await call('POST', '/ContactAddress', address)).status).toBe(201);
    const answer = await call('GET', recorded.request.path.replace('53420059', contactId));
    expect(answer.status).toBe(recorded.response.status);
    expect(answer.body.objects).toHaveLength(1);
    expect(compareShape(recorded.response.body, answer.body)).toEqual([]);
  });

  it('POST /Contact', async () => {
    const recorded = load('create-contact');
    const answer = await call('POST', '/Contact', recorded.request.body);
    expect(answer.status).toBe(recorded.response.status);
    expect(answer.body).toMatchObject({ surename: 'John', familyname: 'Snow', titel: 'Commander', name2: 'Targaryen' });
    const problems = shapeAgainstExample(recorded.response.body, answer.body, {
      // The runtime leaves `parent` out when there is none and has dropped `taxSet` (get-contact.json).
      optionalKeys: ['$.parent', '$.taxSet'],
      extraKeys: ['$.defaultShowVat'], // a runtime field the documentation does not list (get-contact.json)
    });
    expect(problems).toEqual([]);
  });

  it('POST /Invoice/Factory/saveInvoice', async () => {
    const recorded = load('create-invoice');
    const contactId = await createContact('Bäckerei Hölzl & Söhne Großhandel GmbH');
    const answer = await call('POST', '/Invoice/Factory/saveInvoice', withSandboxIds(recorded.request.body, contactId));
    expect(answer.status).toBe(recorded.response.status);
    const problems = shapeAgainstExample(recorded.response.body, answer.body, {
      looseTypes: ['$.objects.invoicePos[].quantity'], // typed boolean in the published spec (note in the file)
      // Position sums the runtime sends (recorded OrderPos in TomDixon63/OrderManager2 front/src/app/model/order.ts).
      extraKeys: ['$.objects.invoicePos[].sumNet', '$.objects.invoicePos[].sumTax', '$.objects.invoicePos[].sumGross'],
    });
    expect(problems).toEqual([]);
  });

  it('GET /Invoice/{id}', async () => {
    const recorded = load('get-invoice');
    const contactId = await createContact('Website-Relaunch und Wartung Müller GmbH');
    const created = await call('POST', '/Invoice/Factory/saveInvoice', withSandboxIds(load('create-invoice').request.body, contactId));
    const answer = await call('GET', `/Invoice/${created.body.objects.invoice.id}`);
    expect(answer.status).toBe(recorded.response.status);
    expect(shapeAgainstExample(recorded.response.body, answer.body)).toEqual([]);
  });

  it('POST /Invoice/Factory/saveInvoice without a currency', async () => {
    const recorded = load('error-currency-missing');
    const contactId = await createContact('Bäckerei Hölzl & Söhne Großhandel GmbH');
    const answer = await call('POST', '/Invoice/Factory/saveInvoice', withSandboxIds(recorded.request.body, contactId));
    expect(answer.status).toBe(recorded.response.status);
    expect(answer.body.error.message).toBe(recorded.response.body.error.message);
    expect(compareShape(recorded.response.body, answer.body)).toEqual([]);
  });

  it('GET /Order/{id} of an estimate the order factory made', async () => {
    const recorded = load('get-order');
    const contactId = await createContact('Bäckerei Hölzl & Söhne Großhandel GmbH');
    const draft = {
      kind: 'quotation' as const,
      customerId: contactId,
      currency: 'EUR',
      priceBasis: 'net' as const,
      date: '2027-02-01',
      title: 'Angebot Website-Relaunch und Wartung Müller GmbH 2027',
      introduction: 'Gerne unterbreiten wir Ihnen das gewünschte Angebot.',
      closingText: 'Für Rückfragen stehen wir gerne zur Verfügung.',
      lines: [{ name: 'Würfeleis 5x 40 Kg Box', quantity: '200', unitPrice: '1.3', taxRatePercent: '19' }],
      reference: 'APIUP-1-2',
      finalize: false,
    };
    const created = await call(
      'POST',
      '/Order/Factory/saveOrder',
      toVendorOrder(draft, { contactPersonId: sandbox.store.user.id, ids: defaultSevdeskAccountIds }),
    );
    expect(created.status).toBe(201);
    const answer = await call('GET', `/Order/${created.body.objects.order.id}`);
    expect(answer.status).toBe(recorded.response.status);
    // Set in the recorded account's web app; an order made through the API without an address has them null.
    const webAppOnly = ['addressName', 'address', 'sendDate', 'sendType'].map((k) => `$.objects[].${k}`);
    expect(compareShape(recorded.response.body, answer.body, { looseTypes: [...webAppOnly, '$.objects[].customerInternalNote'] })).toEqual([]);
  });
});
