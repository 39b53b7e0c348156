/**
 * Qonto's documented client field limits (docs.qonto.com create-a-client / update-a-client): the
 * provider declares them, the sandbox enforces them with Qonto's 422 body, and a value exactly at
 * the provider's limit goes through our provider while one character more is refused by the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider } from '../../src/accounting/provider';
import { createQontoProvider, qontoFieldLimits } from '../../src/accounting/qonto/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const limits = qontoFieldLimits.customer;
const filled = (base: string, length: number) => base.padEnd(length, ' Großhandel Müller & Söhne').slice(0, length);

describe('qonto field limits', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;
  let qonto: AccountingProvider;

  const postClient = async (body: Record<string, unknown>) => {
    const res = await fetch(`${running.url}/v2/clients`, {
      method: 'POST',
      headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { errors?: Array<{ code: string; source?: { pointer?: string } }> } };
  };

  beforeAll(async () => {
    sandbox = createqontoSandbox();
    running = await listenSandbox(sandbox.app, 0);
    qonto = createQontoProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: { requests: 1_000, perMs: 1_000 },
      timeoutMs: 5_000,
    });
  });

  afterAll(() => running.close());

  it('declares the documented client limits and none for the invoice texts, which Qonto does not document', () => {
    expect(qontoFieldLimits).toEqual({
      document: {},
      customer: { companyName: 250, firstName: 60, lastName: 60, street: 250, city: 50, vatId: 20 },
    });
  });

  it('creates a company whose name, street, city and VAT id are exactly at the limits', async () => {
    const customer = await qonto.createCustomer({
      kind: 'company',
      companyName: filled('Bäckerei Hölzl & Söhne', limits.companyName!),
      vatId: 'DE'.padEnd(limits.vatId!, '1'),
      address: { street: filled('Königsallee', limits.street!), zip: '40212', city: filled('Düsseldorf', limits.city!), countryCode: 'DE' },
    });
    expect(customer).toMatchObject({ kind: 'company' });
    expect(customer.kind === 'company' && customer.companyName).toHaveLength(limits.companyName!);
  });

  it('creates a person whose first and last names are exactly at the limits', async () => {
    const customer = await qonto.createCustomer({
      kind: 'person',
      firstName: filled('Jörg-Günther', limits.firstName!),
      lastName: filled('Schäfer', limits.lastName!),
    });
    expect(customer.kind === 'person' && customer.lastName).toHaveLength(limits.lastName!);
  });

  it.each([
    ['name', { kind: 'company', name: filled('Bäckerei', limits.companyName! + 1) }, '/name'],
    ['first_name', { kind: 'individual', first_name: filled('Jörg', limits.firstName! + 1), last_name: 'Schäfer' }, '/first_name'],
    ['last_name', { kind: 'individual', first_name: 'Jörg', last_name: filled('Schäfer', limits.lastName! + 1) }, '/last_name'],
    ['vat_number', { kind: 'company', name: 'Müller GmbH', vat_number: 'DE'.padEnd(limits.vatId! + 1, '1') }, '/vat_number'],
    [
      'billing_address.street_address',
      { kind: 'company', name: 'Müller GmbH', billing_address: { street_address: filled('Königsallee', limits.street! + 1), country_code: 'DE' } },
      '/billing_address/street_address',
    ],
    [
      'billing_address.city',
      { kind: 'company', name: 'Müller GmbH', billing_address: { city: filled('Düsseldorf', limits.city! + 1), country_code: 'DE' } },
      '/billing_address/city',
    ],
  ])('the sandbox refuses %s one character over the limit with a 422 naming the field', async (_field, body, pointer) => {
    const { status, body: answer } = await postClient(body);
    expect(status).toBe(422);
    expect(answer.errors).toEqual([expect.objectContaining({ code: 'too_long', source: { pointer } })]);
  });
});
