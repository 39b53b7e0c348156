import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createSevdeskProvider } from '../../src/accounting/sevdesk/provider';
import { computeSevdeskTotals } from '../../src/accounting/sevdesk/totals';
import { silentLogger } from '../../src/logger';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';
import { createsevdeskSandbox, type SevdeskSandbox } from '../../src/sandboxes/sevdesk/app';

const fast = { requests: 1000, perMs: 1000 };
let sandbox: SevdeskSandbox;
let running: RunningSandbox;

function makeProvider(apiToken = sandbox.credentials.apiToken, baseUrl = running.url): AccountingProvider {
  return createSevdeskProvider({ baseUrl, credentials: { apiToken }, log: silentLogger(), limiters: new RateLimiterRegistry(), rateLimit: fast });
}

function makeDraft(customerId: string, overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'invoice',
    customerId,
    currency: 'EUR',
    priceBasis: 'net',
    date: '2026-01-15',
    title: 'Rechnung',
    introduction: 'Vielen Dank für Ihren Auftrag.',
    paymentTermDays: 14,
    lines: [
      { name: 'Beratung', quantity: '7', unitPrice: '12.35', taxRatePercent: '19', discountPercent: '10' },
      { name: 'Fachbuch', quantity: '3', unitPrice: '4.99', taxRatePercent: '7' },
      { name: 'Porto', quantity: '1', unitPrice: '10.00', taxRatePercent: '0' },
    ],
    reference: `apiup:1:${Math.random().toString(36).slice(2)}`,
    finalize: false,
    ...overrides,
  };
}

beforeAll(async () => {
  sandbox = createsevdeskSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
});
afterAll(() => running.close());
afterEach(() => sandbox.faults.reset());

describe('sevDesk provider against the sandbox', () => {
  it('creates, finds and updates a company and a person', async () => {
    const provider = makeProvider();
    const company = await provider.createCustomer({
      kind: 'company',
      companyName: 'Muster Maschinenbau GmbH',
      email: 'rechnung@muster.example',
      address: { street: 'Hauptstr. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' },
    });
    const person = await provider.createCustomer({
      kind: 'person',
      firstName: 'Erika',
      lastName: 'Mustermann',
      parentCompanyId: company.id,
      phone: '+49 30 1234',
    });
    expect(company).toMatchObject({
      kind: 'company',
      companyName: 'Muster Maschinenbau GmbH',
      email: 'rechnung@muster.example',
      address: { city: 'Berlin', countryCode: 'DE' },
    });
    expect(person).toMatchObject({ kind: 'person', firstName: 'Erika', lastName: 'Mustermann', parentCompanyId: company.id, phone: '+49 30 1234' });

    expect((await provider.findCustomers({ kind: 'company', name: 'Muster Maschinenbau' })).map((c) => c.id)).toEqual([company.id]);
    expect((await provider.findCustomers({ kind: 'person', firstName: 'Erika', lastName: 'Mustermann' })).map((c) => c.id)).toEqual([person.id]);

    const updated = await provider.updateCustomer(company.id, {
      kind: 'company',
      companyName: 'Muster Maschinenbau AG',
      email: 'buchhaltung@muster.example',
      address: { street: 'Hauptstr. 2', zip: '10115', city: 'Berlin', countryCode: 'DE' },
    });
    expect(updated).toMatchObject({ companyName: 'Muster Maschinenbau AG', email: 'buchhaltung@muster.example', address: { street: 'Hauptstr. 2' } });
    expect([...sandbox.store.ways.values()].filter((w) => w.contactId === company.id)).toHaveLength(1);
  });

  it('lists only contacts changed since a time and deletes an unreferenced one', async () => {
    const provider = makeProvider();
    const before = Date.now() - 5_000;
    const fresh = await provider.createCustomer({ kind: 'company', companyName: 'Neu GmbH' });
    expect((await provider.listCustomers(before)).customers.map((c) => c.id)).toContain(fresh.id);
    expect((await provider.listCustomers(Date.now() + 60_000)).customers).toEqual([]);
    await expect(provider.deleteCustomer(fresh.id)).resolves.toBe('deleted');
    await expect(provider.getCustomer(fresh.id)).resolves.toBeNull();
    await expect(provider.deleteCustomer(fresh.id)).resolves.toBe('deleted');
  });

  it('invoices three rates with a line discount, finalizes, serves a PDF and reports the payment', async () => {
    const provider = makeProvider();
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Rechnungskunde GmbH' });
    const draft = makeDraft(customer.id);
    const created = await provider.createDocument(draft);
    expect(created).toMatchObject({ kind: 'invoice', status: 'draft', currency: 'EUR', date: '2026-01-15' });
    expect(created.number).toBeUndefined();
    // 77.81 @ 19 → 14.78; 14.97 @ 7 → 1.05; 10.00 @ 0 (money.md §7 examples 1 and 2, per position)
    expect(created.totals).toEqual({ net: '102.78', tax: '15.83', gross: '118.61' });
    const vendorOwn = computeSevdeskTotals({
      showNet: true,
      positions: draft.lines.map((l) => ({ quantity: l.quantity, price: l.unitPrice, taxRate: l.taxRatePercent, discountPercent: l.discountPercent })),
    });
    expect(created.totals.gross).toBe(vendorOwn.sumGross.toFixed(2));
    expect(sandbox.store.invoices.get(created.id)?.totals.sumGross.toFixed(2)).toBe('118.61');

    const pdfOfDraft = await provider.fetchPdf(created.id, 'invoice');
    expect(pdfOfDraft.subarray(0, 4).toString()).toBe('%PDF');
    expect(sandbox.store.invoices.get(created.id)?.status).toBe('100');

    const finalized = await provider.finalizeDocument(created.id, 'invoice');
    expect(finalized).toMatchObject({ status: 'open', number: expect.stringMatching(/^RE-\d+$/) });
    await expect(provider.finalizeDocument(created.id, 'invoice')).resolves.toEqual(finalized);
    expect((await provider.fetchPdf(created.id, 'invoice')).subarray(0, 4).toString()).toBe('%PDF');

    await expect(provider.getPayment(created.id)).resolves.toEqual({ isPaid: false, openAmount: '118.61' });
    sandbox.markPaid(created.id, '2026-02-03');
    await expect(provider.getPayment(created.id)).resolves.toEqual({ isPaid: true, paidDate: '2026-02-03', openAmount: '0.00' });
    expect((await provider.getDocument(created.id, 'invoice')).status).toBe('paid');
  });

  it('e-mails a draft invoice and opens it', async () => {
    const provider = makeProvider();
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Mail GmbH' });
    const created = await provider.createDocument(makeDraft(customer.id));
    await provider.sendByEmail(created.id, 'invoice', { to: 'kunde@mail.example', subject: 'Ihre Rechnung', message: 'Anbei.' });
    expect(sandbox.store.emails.at(-1)).toMatchObject({ invoiceId: created.id, to: 'kunde@mail.example' });
    expect((await provider.getDocument(created.id, 'invoice')).status).toBe('open');
  });

  it('turns a rate the tax rule does not allow into a validation error', async () => {
    const provider = makeProvider();
    const customer = await provider.createCustomer({ kind: 'company', companyName: 'Steuer GmbH' });
    const draft = makeDraft(customer.id, { lines: [{ name: 'Alt', quantity: '1', unitPrice: '10', taxRatePercent: '16' }] });
    await expect(provider.createDocument(draft)).rejects.toMatchObject({ kind: 'validation', detail: { status: 422 } });
  });

  it("enforces its own per-token limit with sevDesk's error body, and never for control routes", async () => {
    const strict = createsevdeskSandbox({ rateLimit: { requests: 2, perMs: 60_000 } });
    const server = await listenSandbox(strict.app, 0);
    try {
      const get = () => fetch(`${server.url}/SevUser`, { headers: { authorization: strict.credentials.apiToken } });
      expect([(await get()).status, (await get()).status]).toEqual([200, 200]);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ error: { message: 'Too Many Requests', exceptionUUID: expect.any(String) } });
      expect((await fetch(`${server.url}/_sandbox/faults`, { method: 'DELETE' })).status).toBe(204);
    } finally {
      await server.close();
    }
  });

  it('works with the real base path /api/v1', async () => {
    await expect(makeProvider(undefined, `${running.url}/api/v1`).testConnection()).resolves.toEqual({ accountName: 'APIUP Sandbox GmbH' });
  });
});
