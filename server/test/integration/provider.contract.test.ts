/**
 * The `AccountingProvider` contract (server/src/accounting/provider.ts), run against every vendor's
 * sandbox with the provider the registry builds. Each case states one promise of the contract that
 * shared code relies on (exactly-once by reference, retryable vs. not, totals read back equal the
 * prediction, capabilities that match behaviour). What only one vendor does stays in its own
 * `<vendor>.provider.test.ts`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/accounting/errors';
import { providerIds, type AccountingProvider, type DocumentDraft, type ProviderId } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { providers } from '../../src/accounting/registry';
import { silentLogger } from '../../src/logger';
import type { SandboxSet } from '../../src/sandbox-mode';
import { vendorSandboxEntries } from '../../src/sandboxes/registry';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import type { Sandbox } from '../../src/sandboxes/types';
import { vendorProbe, type VendorProbe } from '../helpers/vendors';

/** Time scaled down on both sides: the limiters still run, the tests do not wait seconds. */
const fast = { requests: 1_000, perMs: 1_000 };

type VendorSandbox = Sandbox & { markPaid(documentId: string, paidDate?: string): void };

/** Each vendor's emulator entry (server/src/sandboxes/<vendor>/entry.ts): how to start it, its account's VAT rates. */
const sandboxEntry = (id: ProviderId) => {
  const entry = vendorSandboxEntries.find((e) => e.id === id);
  if (!entry) throw new Error(`no sandbox entry for ${id}`);
  return entry;
};

const today = () => new Date().toISOString().slice(0, 10);

describe.each(providerIds)('the AccountingProvider contract: %s', (id) => {
  let sandbox: VendorSandbox;
  let running: RunningSandbox;
  let provider: AccountingProvider;
  let probe: VendorProbe;
  let seq = 0;

  const makeProvider = (credentials: unknown = sandbox.credentials) =>
    providers[id].factory({ baseUrl: running.url, credentials, log: silentLogger(), limiters: new RateLimiterRegistry(), rateLimit: fast, timeoutMs: 5_000 });

  const makeDraft = (customerId: string, overrides: Partial<DocumentDraft> = {}): DocumentDraft => {
    const { standard, reduced } = sandboxEntry(id).accountVatRates;
    return {
      kind: 'invoice',
      customerId,
      currency: 'EUR',
      priceBasis: 'net',
      date: today(),
      // Titles are short: shared code fits longer ones to `fieldLimits` before a provider sees them (invoicing/fit.ts).
      title: 'Rechnung Relaunch 2027',
      introduction: 'Website-Relaunch und Wartung Müller GmbH 2027. Vielen Dank für Ihren Auftrag.',
      paymentTermDays: 14,
      lines: [
        { name: 'Konzeption und Gestaltung', quantity: '7', unitPrice: '12.35', taxRatePercent: standard, discountPercent: '10' },
        { name: 'Fachbuch „Barrierefreie Websites“', quantity: '3', unitPrice: '4.99', taxRatePercent: reduced },
        { name: 'Hosting und Wartung', quantity: '12', unitPrice: '29.90', taxRatePercent: standard },
        { name: 'Schulung Redaktionssystem', quantity: '1.5', unitPrice: '95.00', taxRatePercent: standard },
      ],
      reference: `APIUP-4242001-${Date.now()}${++seq}`,
      finalize: !provider.capabilities.separateFinalize,
      ...overrides,
    };
  };

  const makeCompany = (name = `Bäckerei Hölzl & Söhne Großhandel GmbH ${++seq}`) =>
    provider.createCustomer({
      kind: 'company',
      companyName: name,
      email: 'rechnung@hoelzl.example',
      address: { street: 'Hauptstraße 12', zip: '80331', city: 'München', countryCode: 'DE' },
    });

  beforeAll(async () => {
    sandbox = sandboxEntry(id).create({ rateLimit: fast });
    running = await listenSandbox(sandbox.app, 0);
    provider = makeProvider();
    probe = vendorProbe({ vendors: { [id]: { sandbox, entry: sandboxEntry(id) } } } as unknown as SandboxSet, id);
  });
  afterAll(() => running.close());
  afterEach(() => sandbox.faults.reset());

  it('names the account behind the credentials', async () => {
    const { accountName } = await provider.testConnection();
    expect(accountName.trim()).not.toBe('');
  });

  it('turns wrong credentials into a ProviderError of kind auth that is not retried', async () => {
    // Reversed: the same characters and length, so the credentials schema accepts them and only the vendor can refuse.
    const wrong = Object.fromEntries(Object.entries(sandbox.credentials).map(([key, value]) => [key, key === 'login' ? value : [...value].reverse().join('')]));
    expect(wrong).not.toEqual(sandbox.credentials);
    const failure = await makeProvider(wrong)
      .testConnection()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ kind: 'auth', retryable: false, detail: { provider: id, status: 401 } });
  });

  it('retries a burst of 429 answers without the caller noticing', async () => {
    sandbox.faults.set({ rateLimitBurst: 2 });
    await expect(provider.testConnection()).resolves.toMatchObject({ accountName: expect.any(String) });
    expect(sandbox.faults.settings.rateLimitBurst).toBe(0);
  });

  it('creates a company and a person, finds each by name, reads and updates one', async () => {
    const company = await makeCompany('Möbelwerkstätten Großkreutz & Söhne GmbH');
    const person = await provider.createCustomer({ kind: 'person', firstName: 'Jürgen', lastName: 'Weißmüller', email: 'j.weissmueller@example.de' });

    expect((await provider.findCustomers({ kind: 'company', name: 'Möbelwerkstätten Großkreutz' })).map((c) => c.id)).toContain(company.id);
    expect((await provider.findCustomers({ kind: 'person', firstName: 'Jürgen', lastName: 'Weißmüller' })).map((c) => c.id)).toContain(person.id);
    expect(await provider.getCustomer(company.id)).toMatchObject({ id: company.id, kind: 'company', companyName: 'Möbelwerkstätten Großkreutz & Söhne GmbH' });

    await provider.updateCustomer(
      person.id,
      { kind: 'person', firstName: 'Jürgen', lastName: 'Weißmüller-Öztürk', email: 'j.weissmueller@example.de' },
      person.version,
    );
    expect((await provider.getCustomer(person.id))?.lastName).toBe('Weißmüller-Öztürk');
  });

  it('lists a new customer when listing everything, page by page', async () => {
    const company = await makeCompany();
    const seen: string[] = [];
    let page: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const result = await provider.listCustomers(null, page);
      seen.push(...result.customers.map((c) => c.id));
      page = result.nextPage;
      if (!page) break;
    }
    expect(page).toBeUndefined();
    expect(seen).toContain(company.id);
  });

  it('deletes a customer as capabilities.customerDeletion says', async () => {
    const company = await makeCompany();
    const expected = { delete: 'deleted', archive: 'archived', none: 'unsupported' }[provider.capabilities.customerDeletion];
    expect(await provider.deleteCustomer(company.id)).toBe(expected);
  });

  it('invoices four lines with the totals it predicted, finalizes, serves the PDF and reports the payment', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id);
    const created = await provider.createDocument(draft);
    // The vendor's figures are read back from the sandbox, whose money code is its own: the prediction must match them.
    expect(created.totals).toEqual(provider.predictTotals(draft));
    expect(created).toMatchObject({ kind: 'invoice', currency: 'EUR' });
    expect(await provider.getDocument(created.id, 'invoice')).toMatchObject({ id: created.id, totals: created.totals });

    const finalized = await provider.finalizeDocument(created.id, 'invoice');
    expect(finalized).toMatchObject({ id: created.id, status: 'open', totals: created.totals });
    expect(finalized.number).toBeTruthy();
    expect(await provider.finalizeDocument(created.id, 'invoice')).toMatchObject({ id: created.id, number: finalized.number, status: 'open' });
    expect((await provider.fetchPdf(created.id, 'invoice')).subarray(0, 4).toString('latin1')).toBe('%PDF');

    expect(await provider.getPayment(created.id)).toMatchObject({ isPaid: false });
    probe.markPaid(created.id, today());
    expect(await provider.getPayment(created.id)).toMatchObject({ isPaid: true, paidDate: today() });
  });

  it('reports a retryable error when the connection drops after the commit, and finds exactly that one document by reference', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id);
    const before = probe.documentCount();
    sandbox.faults.set({ dropAfterCommit: 1 });
    const failure = await provider.createDocument(draft).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).retryable).toBe(true);
    expect(probe.documentCount()).toBe(before + 1);

    const found = await provider.findDocumentByReference(draft.reference, 'invoice', { customerId: company.id });
    expect(found).not.toBeNull();
    expect(found!.totals).toEqual(provider.predictTotals(draft));
    expect(await provider.findDocumentByReference(`${draft.reference}9`, 'invoice', { customerId: company.id })).toBeNull();
  });

  it('creates quotations exactly when capabilities.quotations says so', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id, { kind: 'quotation' });
    if (!provider.capabilities.quotations) {
      await expect(provider.createDocument(draft)).rejects.toMatchObject({ kind: 'validation', retryable: false });
      return;
    }
    const created = await provider.createDocument(draft);
    expect(created).toMatchObject({ kind: 'quotation', totals: provider.predictTotals(draft) });
    expect(await provider.findDocumentByReference(draft.reference, 'quotation', { customerId: company.id })).toMatchObject({
      id: created.id,
      kind: 'quotation',
    });
  });
});
