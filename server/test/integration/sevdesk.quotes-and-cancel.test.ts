/** sevDesk quotations (orders of type AN), the invoice made from one, and cancelling an invoice, against the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createSevdeskProvider } from '../../src/accounting/sevdesk/provider';
import { silentLogger } from '../../src/logger';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { createsevdeskSandbox, type SevdeskSandbox } from '../../src/sandboxes/sevdesk/app';

const fast = { requests: 1000, perMs: 1000 };
let sandbox: SevdeskSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let customerId: string;

function quotationDraft(overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'quotation',
    customerId,
    currency: 'EUR',
    priceBasis: 'net',
    date: '2027-03-01',
    title: 'Angebot Website-Relaunch und Wartung Müller GmbH 2027',
    introduction: 'Gerne unterbreiten wir Ihnen folgendes Angebot für die Bäckerei Hölzl & Söhne Großhandel GmbH.',
    closingText: 'Wir freuen uns auf Ihre Rückmeldung.',
    lines: [
      { name: 'Konzeption und Informationsarchitektur', quantity: '12.5', unitPrice: '95.00', taxRatePercent: '19' },
      { name: 'Gestaltung Startseite und 14 Unterseiten', quantity: '1', unitPrice: '4250.00', taxRatePercent: '19', discountPercent: '5' },
      { name: 'Fachbuch „Barrierefreie Webseiten“', quantity: '2', unitPrice: '39.90', taxRatePercent: '7' },
      { name: 'Wartungsvertrag Hosting (12 Monate)', quantity: '12', unitPrice: '49.00', taxRatePercent: '19' },
    ],
    reference: `APIUP-4711-${Math.floor(Math.random() * 1e9)}`,
    finalize: true,
    ...overrides,
  };
}

beforeAll(async () => {
  sandbox = createsevdeskSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
  provider = createSevdeskProvider({
    baseUrl: running.url,
    credentials: { apiToken: sandbox.credentials.apiToken },
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit: fast,
  });
  customerId = (
    await provider.createCustomer({
      kind: 'company',
      companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      address: { street: 'Münchner Straße 12', zip: '80331', city: 'München', countryCode: 'DE' },
    })
  ).id;
});
afterAll(() => running.close());

describe('sevDesk quotations', () => {
  it('creates an estimate (order type AN) with sevDesk totals, finds it by reference and finalizes it', async () => {
    const draft = quotationDraft();
    const quote = await provider.createDocument(draft);
    // Tax per position, each to the cent (money.md §4): 225.625 → 225.63, 767.125 → 767.13, 111.72, 5.586 → 5.59.
    expect(quote).toMatchObject({
      kind: 'quotation',
      status: 'draft',
      number: `AN-${draft.reference.slice('APIUP-'.length)}`,
      totals: { net: '5892.80', tax: '1110.07', gross: '7002.87' },
    });
    expect(provider.predictTotals(draft)).toEqual(quote.totals);
    const stored = sandbox.store.orders.get(quote.id)!;
    expect(stored).toMatchObject({ orderType: 'AN', customerInternalNote: draft.reference, header: draft.title });
    await expect(provider.findDocumentByReference(draft.reference, 'quotation')).resolves.toEqual(quote);
    await expect(provider.findDocumentByReference(draft.reference, 'invoice')).resolves.toBeNull();
    expect((await provider.finalizeDocument(quote.id, 'quotation')).status).toBe('open');
    expect((await provider.fetchPdf(quote.id, 'quotation')).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  it('makes the invoice from the quotation, linked through origin, with the same positions and totals', async () => {
    const draft = quotationDraft();
    const quote = await provider.createDocument(draft);
    const invoice = await provider.createDocument({ ...draft, kind: 'invoice', title: 'Rechnung Website-Relaunch', fromQuotationId: quote.id });
    expect(invoice).toMatchObject({ kind: 'invoice', status: 'draft', totals: quote.totals });
    const stored = sandbox.store.invoices.get(invoice.id)!;
    expect(stored.origin).toEqual({ id: quote.id, objectName: 'Order' });
    expect(stored.positions.map((p) => p.name)).toEqual(draft.lines.map((l) => l.name));
    expect(sandbox.store.orders.get(quote.id)!.status).toBe('1000');
    await expect(provider.findDocumentByReference(draft.reference, 'invoice')).resolves.toMatchObject({ id: invoice.id });
    await expect(provider.createDocument({ ...draft, kind: 'invoice', fromQuotationId: quote.id })).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('sevDesk invoice cancellation', () => {
  it('cancels a sent invoice once with a paid cancellation invoice (SR) and returns the same one when asked again', async () => {
    const draft = quotationDraft({ kind: 'invoice', title: 'Rechnung Wartung 2027' });
    const invoice = await provider.finalizeDocument((await provider.createDocument(draft)).id, 'invoice');
    expect(invoice.number).toMatch(/^RE-/);
    const cancellation = await provider.cancelInvoice!(invoice.id, { date: '2027-03-05', reason: 'Deal verloren' });
    expect(cancellation).toMatchObject({ kind: 'cancellation_invoice', id: expect.any(String), number: expect.stringMatching(/^RE-/) });
    const stored = sandbox.store.invoices.get(cancellation.id!)!;
    expect(stored).toMatchObject({ invoiceType: 'SR', status: '1000', origin: { id: invoice.id, objectName: 'Invoice' } });
    expect(stored.totals.sumGross.toFixed(2)).toBe(`-${invoice.totals.gross}`);
    await expect(provider.cancelInvoice!(invoice.id, { date: '2027-03-05', reason: 'Deal verloren' })).resolves.toEqual(cancellation);
    expect([...sandbox.store.invoices.values()].filter((i) => i.origin?.id === invoice.id)).toHaveLength(1);
    await expect(provider.findDocumentByReference(draft.reference, 'invoice')).resolves.toMatchObject({ id: invoice.id });
  });

  it('is refused by sevDesk for a draft', async () => {
    const draft = await provider.createDocument(quotationDraft({ kind: 'invoice' }));
    await expect(provider.cancelInvoice!(draft.id, { date: '2027-03-05', reason: 'Deal verloren' })).rejects.toMatchObject({ kind: 'validation' });
  });
});
