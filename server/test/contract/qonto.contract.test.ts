// Qonto's spec file has paths only (SOURCES.md): methods+paths are checked with OpenApiContract.findOperation, payloads with the zod schemas in accounting/qonto/schemas.ts (accounting.md §4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQontoProvider } from '../../src/accounting/qonto/provider';
import { qontoErrorBodySchema, qontoInvoiceCreateSchema, qontoOperationContracts } from '../../src/accounting/qonto/schemas';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import createInvoiceFixture from '../../src/sandboxes/qonto/fixtures/createClientInvoice.json';
import type { Exchange } from '../../src/sandboxes/recorder';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { OpenApiContract } from '../helpers/openapi';

const spec = OpenApiContract.load('qonto/openapi.assembled.json');
/** Operations the assembled file names as real but could not include (its `info.x-not-covered`). */
const notCovered: Array<{ method: string; pattern: RegExp; template: string }> = (spec.doc.info['x-not-covered'] as string[]).flatMap((entry) => {
  const [methods, template] = entry.split(' ');
  const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return methods.split('|').map((method) => ({ method, pattern, template }));
});

function templateOf(method: string, path: string): string | undefined {
  return spec.findOperation(method, path) ?? notCovered.find((op) => op.method === method && op.pattern.test(path))?.template;
}

interface Problem {
  operation: string;
  direction: 'request' | 'response';
  errors: string;
}

function check(exchanges: Exchange[]): Problem[] {
  const problems: Problem[] = [];
  for (const e of exchanges) {
    const operation = `${e.method} ${e.path}`;
    const template = templateOf(e.method, e.path);
    const contract = template ? qontoOperationContracts[`${e.method} ${template}`] : undefined;
    if (!template || !contract) {
      problems.push({ operation, direction: 'request', errors: 'no such operation in the Qonto contract' });
      continue;
    }
    const auth = String(e.requestHeaders.authorization ?? '');
    if (!/^[^:\s]+:\S+$/.test(auth)) problems.push({ operation, direction: 'request', errors: 'Authorization is not "{login}:{secret-key}"' });
    if (e.method === 'POST' && template === '/v2/client_invoices' && !e.requestHeaders['x-qonto-idempotency-key']) {
      problems.push({ operation, direction: 'request', errors: 'X-Qonto-Idempotency-Key missing' });
    }
    const requestErrors = contract.request ? issues(contract.request, e.requestBody) : e.requestBody === undefined ? null : 'operation takes no body';
    if (requestErrors) problems.push({ operation, direction: 'request', errors: requestErrors });
    const responseSchema = e.status >= 400 ? qontoErrorBodySchema : contract.response;
    if (e.status === 204 || !responseSchema) continue;
    const responseErrors = issues(responseSchema, e.responseBody);
    if (responseErrors) problems.push({ operation, direction: 'response', errors: `${e.status}: ${responseErrors}` });
  }
  return problems;
}

function issues(
  schema: { safeParse(data: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  data: unknown,
): string | null {
  const result = schema.safeParse(data);
  return result.success ? null : result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

describe('Qonto contract (client ↔ sandbox)', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;
  const call = (path: string, init: { method: string; body?: unknown; auth?: string }) =>
    fetch(`${running.url}${path}`, {
      method: init.method,
      headers: {
        authorization: init.auth ?? `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });

  beforeAll(async () => {
    sandbox = createqontoSandbox({ now: () => Date.parse('2026-03-02T09:00:00Z') });
    running = await listenSandbox(sandbox.app, 0);
  });
  afterAll(() => running.close());

  it('records a full provider scenario whose requests and responses all match the contract', async () => {
    sandbox.recorder.enabled = true;
    const qonto = createQontoProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: { requests: 1_000, perMs: 1_000 },
    });
    await qonto.testConnection();
    const company = await qonto.createCustomer({
      kind: 'company',
      companyName: 'Acme SAS',
      address: { street: '1 rue de la Paix', zip: '75002', city: 'Paris', countryCode: 'FR' },
    });
    const person = await qonto.createCustomer({
      kind: 'person',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0000',
      address: { countryCode: 'GB' },
    });
    await qonto.findCustomers({ kind: 'company', name: 'Acme' });
    await qonto.updateCustomer(person.id, { kind: 'person', firstName: 'Ada', lastName: 'King', address: { countryCode: 'GB' } });
    await qonto.listCustomers(null);
    await qonto.listCustomers(Date.parse('2026-03-01T00:00:00Z'));
    await qonto.deleteCustomer(person.id);
    const doc = await qonto.createDocument({
      kind: 'invoice',
      customerId: company.id,
      currency: 'EUR',
      priceBasis: 'gross',
      date: '2026-03-01',
      reference: 'apiup:1:contract',
      finalize: true,
      lines: [
        { name: 'A', quantity: '2', unitPrice: '11.90', taxRatePercent: '19', discountPercent: '5' },
        { name: 'B', quantity: '1', unitPrice: '21.40', taxRatePercent: '7' },
        { name: 'C', quantity: '1', unitPrice: '10', taxRatePercent: '0' },
      ],
    });
    await qonto.findDocumentByReference('apiup:1:contract', 'invoice');
    await qonto.fetchPdf(doc.id, 'invoice');
    await qonto.sendByEmail(doc.id, 'invoice', { to: 'billing@acme.example', subject: 'Invoice', message: 'Hello' });
    await qonto.getPayment(doc.id);
    sandbox.recorder.enabled = false;

    expect(sandbox.recorder.exchanges.length).toBeGreaterThan(15);
    expect(check(sandbox.recorder.exchanges)).toEqual([]);
  });

  it('answers wrong requests with Qonto error bodies, and the request validator flags each wrong body', async () => {
    sandbox.recorder.exchanges.length = 0;
    sandbox.recorder.enabled = true;
    expect((await call('/v2/organization', { method: 'GET', auth: 'Bearer not-an-api-key' })).status).toBe(401);
    expect((await call('/v2/clients', { method: 'POST', body: { kind: 'company' } })).status).toBe(422);
    const percentVat = { ...createInvoiceFixture.request, items: [{ ...createInvoiceFixture.request.items[0], vat_rate: '19' }] };
    expect((await call('/v2/client_invoices', { method: 'POST', body: percentVat })).status).toBe(422);
    const [finalized] = [...sandbox.store.invoices.keys()];
    const emptySend = await call(`/v2/client_invoices/${finalized}/send`, { method: 'POST' });
    expect([emptySend.status, await emptySend.json()]).toMatchObject([422, { errors: [{ code: 'invalid_body', detail: 'EOF' }] }]);
    expect((await call('/v2/clients/nope', { method: 'GET' })).status).toBe(404);
    sandbox.recorder.enabled = false;

    const problems = check(sandbox.recorder.exchanges);
    expect(problems.filter((p) => p.direction === 'response')).toEqual([]);
    expect(problems.map((p) => [p.operation.replace(/[0-9a-f-]{36}/, '{id}'), p.errors])).toEqual([
      ['GET /v2/organization', 'Authorization is not "{login}:{secret-key}"'],
      ['POST /v2/clients', expect.stringMatching(/^name: name is required/)],
      ['POST /v2/client_invoices', 'X-Qonto-Idempotency-Key missing'],
      ['POST /v2/client_invoices', expect.stringMatching(/^items\.0\.vat_rate: must be a ratio/)],
      ['POST /v2/client_invoices/{id}/send', expect.stringMatching(/expected object/)],
    ]);
    const body = sandbox.recorder.exchanges[2].responseBody as { errors: Array<{ source: { pointer: string } }> };
    expect(body.errors[0].source.pointer).toBe('/items/0/vat_rate');
  });

  it('rejects a percent VAT rate and an unknown field, and accepts the documented sample', () => {
    expect(qontoInvoiceCreateSchema.safeParse(createInvoiceFixture.request).success).toBe(true);
    expect(
      qontoInvoiceCreateSchema.safeParse({ ...createInvoiceFixture.request, items: [{ ...createInvoiceFixture.request.items[0], vat_rate: '19' }] }).success,
    ).toBe(false);
    expect(qontoInvoiceCreateSchema.safeParse({ ...createInvoiceFixture.request, client_invoice: {} }).success).toBe(false);
  });

  it('knows only Qonto paths: the invented /invoices endpoint is not an operation', () => {
    expect(templateOf('POST', '/v2/client_invoices/abc/finalize')).toBe('/v2/client_invoices/{id}/finalize');
    expect(templateOf('GET', '/v2/attachments/abc')).toBe('/v2/attachments/{id}');
    expect(templateOf('POST', '/v2/invoices')).toBeUndefined();
  });
});
