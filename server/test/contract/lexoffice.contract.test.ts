// Contract: specs/lexoffice/openapi.from-docs.json; quotation reads (GET /v1/quotations/{id}[/file]) are not in it, so those are checked with the zod schemas in accounting/lexoffice/schemas.ts (accounting.md §1.9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import { quotationSchema } from '../../src/accounting/lexoffice/schemas';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { fingerprint } from '../../src/accounting/http';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createlexofficeSandbox, type lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import type { Exchange } from '../../src/sandboxes/recorder';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { OpenApiContract } from '../helpers/openapi';

const rateLimit = { requests: 2, perMs: 40 };
const isQuotationRead = (e: Exchange) => e.method === 'GET' && /^\/v1\/quotations\/[^/]+(\/file)?$/.test(e.path);

describe('lexoffice contract (both directions)', () => {
  const contract = OpenApiContract.load('lexoffice/openapi.from-docs.json');
  let sandbox: lexofficeSandbox;
  let running: RunningSandbox;
  let provider: AccountingProvider;
  let clientExchangeCount = 0;

  beforeAll(async () => {
    sandbox = createlexofficeSandbox({ rateLimit });
    running = await listenSandbox(sandbox.app, 0);
    const limiters = new RateLimiterRegistry();
    provider = createLexofficeProvider({ baseUrl: running.url, credentials: sandbox.credentials, log: silentLogger(), limiters, rateLimit });
    // Hand-made calls share the provider's limiter, so the sandbox's bucket is never exceeded.
    const limiter = limiters.get(`lexoffice:${fingerprint(sandbox.credentials.apiKey)}`, rateLimit);
    sandbox.recorder.enabled = true;

    await provider.testConnection();
    const company = await provider.createCustomer({
      kind: 'company',
      companyName: 'Vertrag GmbH',
      firstName: 'Max',
      lastName: 'Muster',
      email: 'a@b.de',
      address: { city: 'Berlin', countryCode: 'DE' },
    });
    const person = await provider.createCustomer({ kind: 'person', firstName: 'Erika', lastName: 'Mustermann', phone: '030 1234' });
    await provider.findCustomers({ kind: 'company', name: 'Vertrag' });
    await provider.updateCustomer(person.id, { kind: 'person', firstName: 'Erika', lastName: 'Beispiel' }, person.version);
    await provider.updateCustomer(person.id, { kind: 'person', lastName: 'Stale' }, person.version).catch(() => undefined);
    await provider.listCustomers(null);
    const draft: DocumentDraft = {
      kind: 'invoice',
      customerId: company.id,
      currency: 'EUR',
      priceBasis: 'gross',
      date: '2026-07-01',
      reference: 'apiup:contract:1',
      finalize: true,
      paymentTerms: 'Zahlbar in 14 Tagen',
      paymentTermDays: 14,
      introduction: 'Hallo',
      closingText: 'Danke',
      lines: [
        { name: 'A', quantity: '2', unitPrice: '59.90', taxRatePercent: '19', discountPercent: '5' },
        { name: 'B', quantity: '1.5', unitPrice: '21.40', taxRatePercent: '7' },
      ],
    };
    const invoice = await provider.createDocument(draft);
    await provider.fetchPdf(invoice.id, 'invoice');
    await provider.getPayment(invoice.id);
    sandbox.markPaid(invoice.id);
    await provider.getPayment(invoice.id);
    await provider.findDocumentByReference(draft.reference, 'invoice');
    const open = await provider.createDocument({ ...draft, kind: 'quotation', reference: 'apiup:contract:2' });
    await provider.fetchPdf(open.id, 'quotation');
    const unfinished = await provider.createDocument({ ...draft, priceBasis: 'net', finalize: false, reference: 'apiup:contract:3' });
    await provider.getPayment(unfinished.id);
    await provider.fetchPdf(unfinished.id, 'invoice').catch(() => undefined);
    await provider.getCustomer('00000000-0000-4000-8000-000000000000');
    clientExchangeCount = sandbox.recorder.exchanges.length;
    // Error answers the client does not provoke itself: wrong key, invalid bodies in both error families.
    const call = (path: string, init: RequestInit, key = sandbox.credentials.apiKey) =>
      limiter.schedule(() =>
        fetch(`${running.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } }),
      );
    await call('/v1/profile', {}, 'wrong');
    await call('/v1/invoices', { method: 'POST', body: JSON.stringify({ voucherDate: '2026-01-01', lineItems: [] }) });
    await call('/v1/contacts', { method: 'POST', body: JSON.stringify({ version: 0, roles: { customer: {} }, company: { name: '' } }) });
    await call('/v1/voucherlist?voucherType=invoice', {});
    sandbox.recorder.enabled = false;
  });
  afterAll(() => running.close());

  it('records requests and responses that conform to the spec, errors included', () => {
    const statuses = new Set(sandbox.recorder.exchanges.map((e) => e.status));
    expect([...statuses]).toEqual(expect.arrayContaining([200, 201, 400, 401, 404, 406, 409]));
    const problems = contract.check(sandbox.recorder.exchanges, { skip: isQuotationRead });
    // The only problems are the two bodies we sent wrong on purpose: spec and sandbox reject the same input.
    expect(problems.map((p) => `${p.direction} ${p.operation}`)).toEqual(['request POST /v1/invoices', 'request POST /v1/contacts']);
    const clientSent = sandbox.recorder.exchanges.slice(0, clientExchangeCount);
    expect(contract.check(clientSent, { skip: isQuotationRead })).toEqual([]);
  });

  it('checks quotation reads, which the spec lacks, against the zod schema', () => {
    const reads = sandbox.recorder.exchanges.filter((e) => isQuotationRead(e) && !e.path.endsWith('/file'));
    expect(reads.length).toBeGreaterThan(0);
    for (const e of reads) expect(quotationSchema.safeParse(e.responseBody).success).toBe(true);
    expect(sandbox.recorder.exchanges.some((e) => isQuotationRead(e) && e.path.endsWith('/file') && e.responseContentType?.startsWith('application/pdf'))).toBe(
      true,
    );
  });

  it('rejects a wrong body, proving the validator is not vacuous', () => {
    const create = sandbox.recorder.exchanges.find((e) => e.method === 'POST' && e.path === '/v1/invoices' && e.status === 201)!;
    const wrong = { ...create, requestBody: { ...(create.requestBody as object), taxConditions: { taxType: 'brutto' } } };
    expect(contract.check([wrong])).toHaveLength(1);
    const invoiceRead = sandbox.recorder.exchanges.find((e) => e.method === 'GET' && /^\/v1\/invoices\/[^/]+$/.test(e.path))!;
    expect(contract.check([{ ...invoiceRead, responseBody: { ...(invoiceRead.responseBody as object), voucherStatus: 'done' } }])).toHaveLength(1);
    expect(quotationSchema.safeParse({ id: 'x' }).success).toBe(false);
  });
});
