/**
 * Our provider's `fieldLimits` against what the lexoffice sandbox enforces from its own reading of the
 * docs (API FAQ text limits, 300 line items): a value at the provider's limit goes through, one
 * character (or line) more is the vendor's 406. Two independent readings of the docs that must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createlexofficeSandbox, type lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const prose =
  'Website-Relaunch und Wartung für die Bäckerei Hölzl & Söhne Großhandel GmbH: Konzeption, Gestaltung, ' +
  'Umsetzung der Filialübersicht, Schulung der Mitarbeitenden und laufende Pflege über zwölf Monate. ';
const text = (length: number) => prose.repeat(Math.ceil(length / prose.length)).slice(0, length);

const voucherDate = '2027-02-01T00:00:00.000+01:00';
const line = (name = 'Wartungspauschale Februar 2027', description?: string) => ({
  type: 'custom',
  name,
  ...(description === undefined ? {} : { description }),
  quantity: 1,
  unitName: 'Monat',
  unitPrice: { currency: 'EUR', netAmount: 249.5, taxRatePercentage: 19 },
});

describe('lexoffice field limits: provider and sandbox agree', () => {
  let sandbox: lexofficeSandbox;
  let running: RunningSandbox;
  let provider: AccountingProvider;
  let contactId: string;

  async function call(method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${sandbox.credentials.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  const invoice = (overrides: Record<string, unknown>) =>
    call('POST', '/v1/invoices', {
      voucherDate,
      address: { contactId },
      lineItems: [line()],
      totalPrice: { currency: 'EUR', totalDiscountPercentage: 0 },
      taxConditions: { taxType: 'net' },
      shippingConditions: { shippingType: 'service', shippingDate: voucherDate },
      ...overrides,
    });

  beforeAll(async () => {
    sandbox = createlexofficeSandbox({ rateLimit: { requests: 1000, perMs: 1000 } });
    running = await listenSandbox(sandbox.app, 0);
    provider = createLexofficeProvider({
      baseUrl: running.url,
      credentials: { apiKey: sandbox.credentials.apiKey },
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
    });
    const contact = await call('POST', '/v1/contacts', { version: 0, roles: { customer: {} }, company: { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH' } });
    contactId = String(contact.body.id);
  });
  afterAll(() => running.close());

  const limits = () => provider.fieldLimits.document;
  const cases: { limit: 'title' | 'introduction' | 'lineName' | 'lineDescription'; field: string; body: (value: string) => Record<string, unknown> }[] = [
    { limit: 'title', field: 'title', body: (v) => ({ title: v }) },
    { limit: 'introduction', field: 'introduction', body: (v) => ({ introduction: v }) },
    { limit: 'lineName', field: 'lineItems[0].name', body: (v) => ({ lineItems: [line(v)] }) },
    { limit: 'lineDescription', field: 'lineItems[0].description', body: (v) => ({ lineItems: [line(undefined, v)] }) },
  ];

  for (const { limit, field, body } of cases) {
    it(`takes ${limit} at the provider's limit and refuses one character more with the vendor's 406 on ${field}`, async () => {
      const max = limits()[limit];
      expect(max).toBeGreaterThan(0);
      expect((await invoice(body(text(max!)))).status).toBe(201);
      const refused = await invoice(body(text(max! + 1)));
      expect(refused.status).toBe(406);
      expect(refused.body).toMatchObject({ status: 406, error: 'Not Acceptable', details: [{ violation: 'SIZE', field }] });
    });
  }

  it("takes the provider's maximum number of lines and refuses one more", async () => {
    const max = limits().maxLines!;
    const lines = (n: number) => Array.from({ length: n }, (_, i) => line(`Brötchen-Sortiment Filiale ${i + 1}`));
    expect((await invoice({ lineItems: lines(max) })).status).toBe(201);
    const refused = await invoice({ lineItems: lines(max + 1) });
    expect(refused.status).toBe(406);
    expect(refused.body).toMatchObject({ details: [{ violation: 'SIZE', field: 'lineItems' }] });
  });

  it('keeps the closing text plus our reference line inside the 2000-character remark', async () => {
    const max = limits().closingText!;
    const draft: DocumentDraft = {
      kind: 'invoice',
      customerId: contactId,
      currency: 'EUR',
      priceBasis: 'net',
      date: '2027-02-01',
      title: 'Rechnung Februar 2027',
      closingText: text(max),
      lines: [{ name: 'Wartungspauschale Februar 2027', quantity: '1', unitPrice: '249.50', taxRatePercent: '19' }],
      // The longest reference HubSpot ids can make: two 19-digit int64 ids.
      reference: 'APIUP-9223372036854775807-9223372036854775807',
      finalize: true,
    };
    const document = await provider.createDocument(draft);
    expect(document.totals.gross).toBe('296.91');
    expect((await invoice({ remark: text(2001) })).body).toMatchObject({ status: 406, details: [{ violation: 'SIZE', field: 'remark' }] });
  });

  it('refuses a contact salutation over 25 characters with the legacy 406, and sets no limit on names nobody documents', async () => {
    const person = { version: 0, roles: { customer: {} }, person: { salutation: text(26), firstName: 'Anneliese', lastName: 'Hölzl-Großkopf' } };
    expect(await call('POST', '/v1/contacts', person)).toMatchObject({
      status: 406,
      body: { IssueList: [{ i18nKey: 'invalid_value', source: 'person.salutation', type: 'validation_failure' }] },
    });
    expect(provider.fieldLimits.customer.companyName).toBeUndefined();
    const longName = { version: 0, roles: { customer: {} }, company: { name: text(300) } };
    expect((await call('POST', '/v1/contacts', longName)).status).toBe(200);
  });
});
