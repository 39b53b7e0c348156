import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLexofficeProvider } from '../../src/accounting/lexoffice/provider';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createlexofficeSandbox, type lexofficeSandbox } from '../../src/sandboxes/lexoffice/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

// Time is scaled: 2 requests per 40 ms on both sides keeps the vendor's shape without waiting seconds.
const rateLimit = { requests: 2, perMs: 40 };

function makeProvider(
  url: string,
  apiKey: string,
  overrides: { maxAttempts?: number; rateLimit?: { requests: number; perMs: number } } = {},
): AccountingProvider {
  return createLexofficeProvider({ baseUrl: url, credentials: { apiKey }, log: silentLogger(), limiters: new RateLimiterRegistry(), rateLimit, ...overrides });
}

let seq = 0;
function makeDraft(customerId: string, overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'invoice',
    customerId,
    currency: 'EUR',
    priceBasis: 'net',
    date: '2026-03-10',
    title: 'Rechnung',
    lines: [
      { name: 'Beratung', quantity: '7', unitPrice: '12.35', taxRatePercent: '19', discountPercent: '10', unit: 'Stunde' },
      { name: 'Buch', quantity: '3', unitPrice: '4.99', taxRatePercent: '7' },
      { name: 'Porto', quantity: '1', unitPrice: '10.00', taxRatePercent: '0' },
    ],
    reference: `apiup:test:${++seq}`,
    finalize: true,
    ...overrides,
  };
}

describe('lexoffice provider against the sandbox', () => {
  let sandbox: lexofficeSandbox;
  let running: RunningSandbox;
  let provider: AccountingProvider;

  beforeAll(async () => {
    sandbox = createlexofficeSandbox({ rateLimit });
    running = await listenSandbox(sandbox.app, 0);
    provider = makeProvider(running.url, sandbox.credentials.apiKey);
  });
  afterAll(() => running.close());
  afterEach(() => sandbox.faults.reset());

  it('creates, finds and updates customers, and invoices one end to end with the vendor totals', async () => {
    const company = await provider.createCustomer({
      kind: 'company',
      companyName: 'Muster & Söhne GmbH',
      email: 'info@muster.de',
      address: { street: 'Hauptstr. 5', zip: '12345', city: 'Musterort', countryCode: 'DE' },
    });
    const person = await provider.createCustomer({ kind: 'person', firstName: 'Inge', lastName: 'Musterfrau', email: 'inge@example.com' });
    expect(company.customerNumber).toMatch(/^\d+$/);

    expect((await provider.findCustomers({ kind: 'company', name: 'Muster & Söhne' })).map((c) => c.id)).toEqual([company.id]);
    expect((await provider.findCustomers({ kind: 'person', firstName: 'Inge', lastName: 'Musterfrau' })).map((c) => c.id)).toEqual([person.id]);

    const updated = await provider.updateCustomer(
      person.id,
      { kind: 'person', firstName: 'Inge', lastName: 'Musterfrau-Beispiel', email: 'inge@example.com' },
      person.version,
    );
    expect(updated.version).toBe(person.version! + 1);
    expect((await provider.getCustomer(person.id))?.lastName).toBe('Musterfrau-Beispiel');
    await expect(provider.updateCustomer(person.id, { kind: 'person', lastName: 'Alt' }, person.version)).rejects.toMatchObject({ kind: 'conflict' });
    expect(await provider.deleteCustomer(person.id)).toBe('unsupported');

    const invoice = await provider.createDocument(makeDraft(company.id));
    // Lexware per-rate rule by hand: 19 %: r2(86.45 × 0.9) = 77.81 → 14.78; 7 %: 14.97 → 1.05; 0 %: 10.00.
    expect(invoice.totals).toEqual({ net: '102.78', tax: '15.83', gross: '118.61' });
    expect(invoice).toMatchObject({ status: 'open', date: '2026-03-10', currency: 'EUR' });
    expect(invoice.number).toMatch(/^RE\d+$/);
    expect(await provider.finalizeDocument(invoice.id, 'invoice')).toEqual(invoice);

    const pdf = await provider.fetchPdf(invoice.id, 'invoice');
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    expect(await provider.getPayment(invoice.id)).toEqual({ isPaid: false, openAmount: '118.61' });
    sandbox.markPaid(invoice.id, '2026-03-20');
    expect(await provider.getPayment(invoice.id)).toEqual({ isPaid: true, paidDate: '2026-03-20', openAmount: '0.00' });
    expect((await provider.getDocument(invoice.id, 'invoice')).status).toBe('paid');
  });

  it('links a person to a company through its contact person, by e-mail, and never replaces a contact person the company has', async () => {
    const company = await provider.createCustomer({
      kind: 'company',
      companyName: 'Stadtwerke Bad Säckingen GmbH',
      email: 'info@stadtwerke-saeckingen.example',
    });
    const person = await provider.createCustomer({
      kind: 'person',
      firstName: 'Jürgen',
      lastName: 'Weißenbühler',
      email: 'juergen@stadtwerke-saeckingen.example',
      parentCompanyId: company.id,
    });
    expect(person.parentCompanyId).toBe(company.id);
    expect((await provider.getCustomer(person.id))?.parentCompanyId).toBe(company.id);
    expect((await provider.getCustomer(company.id))?.personIds).toEqual([person.id]);
    expect(sandbox.store.contacts.get(company.id)!.company!.contactPersons).toEqual([
      expect.objectContaining({ firstName: 'Jürgen', lastName: 'Weißenbühler', emailAddress: 'juergen@stadtwerke-saeckingen.example', primary: true }),
    ]);
    // A second person cannot join: the API keeps one contact person, and the first stays.
    const other = await provider.createCustomer({
      kind: 'person',
      firstName: 'Änne',
      lastName: 'Größ',
      email: 'aenne@stadtwerke-saeckingen.example',
      parentCompanyId: company.id,
    });
    expect(other.parentCompanyId).toBeUndefined();
    expect(sandbox.store.contacts.get(company.id)!.company!.contactPersons?.map((p: { lastName: string }) => p.lastName)).toEqual(['Weißenbühler']);
    // Without an e-mail there is nothing to link by.
    const noEmail = await provider.createCustomer({ kind: 'person', firstName: 'Sepp', lastName: 'Ohnemail', parentCompanyId: company.id });
    expect(noEmail.parentCompanyId).toBeUndefined();
  });

  it('refuses to finalize a draft later, since lexoffice finalizes only at creation', async () => {
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Entwurf AG' });
    const draft = await provider.createDocument(makeDraft(customer.id, { finalize: false }));
    expect(draft.status).toBe('draft');
    await expect(provider.finalizeDocument(draft.id, 'invoice')).rejects.toMatchObject({ kind: 'validation' });
    await expect(provider.fetchPdf(draft.id, 'invoice')).rejects.toMatchObject({ kind: 'conflict', detail: { status: 409 } });
    expect(await provider.getPayment(draft.id)).toEqual({ isPaid: false });
  });

  it('creates quotations and reads them back', async () => {
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Angebot KG' });
    const quotation = await provider.createDocument(makeDraft(customer.id, { kind: 'quotation' }));
    expect(quotation).toMatchObject({ kind: 'quotation', status: 'open', totals: { gross: '118.61' } });
    expect((await provider.fetchPdf(quotation.id, 'quotation')).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('rejects a non-EUR draft before calling the vendor', async () => {
    await expect(provider.createDocument(makeDraft('x', { currency: 'CHF' }))).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('lexoffice client-side rate limit', () => {
  it('creates 50 concurrent documents within the limit, each exactly once', async () => {
    // 2 per 100 ms: Lexware's 2 per second with time scaled down 10×. How starts are spaced (also after a
    // Retry-After) is pinned with a fake clock in rate-limit.test.ts; here, against the sandbox's own limit,
    // every document is created once, and a rare 429 from a busy machine's jitter is retried, not duplicated.
    const limit = { requests: 2, perMs: 100 };
    const sandbox = createlexofficeSandbox({ rateLimit: limit });
    const running = await listenSandbox(sandbox.app, 0);
    try {
      const provider = makeProvider(running.url, sandbox.credentials.apiKey, { rateLimit: limit });
      const customer = await provider.createCustomer({ kind: 'company', companyName: 'Lastspitzen Großhandel GmbH' });
      const documents = await Promise.all(Array.from({ length: 50 }, () => provider.createDocument(makeDraft(customer.id))));
      expect(new Set(documents.map((d) => d.number)).size).toBe(50);
      expect(sandbox.store.vouchers.size).toBe(50);
    } finally {
      await running.close();
    }
  });
});
