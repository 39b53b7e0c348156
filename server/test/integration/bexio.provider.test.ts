import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createBexioProvider } from '../../src/accounting/bexio/provider';
import { silentLogger } from '../../src/logger';
import { createbexioSandbox, type bexioSandbox } from '../../src/sandboxes/bexio/app';
import { documentTotals } from '../../src/sandboxes/bexio/render';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const fast = { requests: 1000, perMs: 1000 };
let sandbox: bexioSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let seq = 0;

function makeProvider(credentials: unknown = sandbox.credentials): AccountingProvider {
  return createBexioProvider({ baseUrl: running.url, credentials, log: silentLogger(), limiters: new RateLimiterRegistry(), rateLimit: fast });
}

function makeDraft(customerId: string, overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'invoice',
    customerId,
    currency: 'CHF',
    priceBasis: 'net',
    date: '2026-03-02',
    title: 'Rechnung Projekt',
    introduction: 'Vielen Dank für Ihren Auftrag.',
    paymentTermDays: 30,
    lines: [{ name: 'Beratung', quantity: '1', unitPrice: '100.00', taxRatePercent: '8.1' }],
    reference: `apiup:1:${++seq}`,
    finalize: false,
    ...overrides,
  };
}

async function makeCompany(name = `Muster AG ${++seq}`) {
  return provider.createCustomer({
    kind: 'company',
    companyName: name,
    email: 'info@muster.example',
    address: { street: 'Bahnhofstrasse 1', zip: '8001', city: 'Zürich', countryCode: 'CH' },
  });
}

beforeAll(async () => {
  sandbox = createbexioSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
  provider = makeProvider();
});
afterAll(() => running.close());
beforeEach(() => sandbox.faults.reset());

describe('bexio provider against the bexio sandbox', () => {
  it('links a person to its company by a contact relation, reads it back everywhere and moves it without dropping the old relation', async () => {
    const first = await makeCompany('Schreinerei Hürlimann & Töchter GmbH');
    const second = await makeCompany('Hürlimann Holzbau Holding AG');
    const person = await provider.createCustomer({
      kind: 'person',
      firstName: 'Anna-Lena',
      lastName: 'Hürlimann',
      email: 'anna-lena@huerlimann.example',
      parentCompanyId: first.id,
    });
    expect(person.parentCompanyId).toBe(first.id);
    expect((await provider.getCustomer(person.id))?.parentCompanyId).toBe(first.id);
    expect(
      (await provider.findCustomers({ kind: 'person', firstName: 'Anna-Lena', lastName: 'Hürlimann' })).find((c) => c.id === person.id)?.parentCompanyId,
    ).toBe(first.id);
    const moved = await provider.updateCustomer(person.id, { kind: 'person', firstName: 'Anna-Lena', lastName: 'Hürlimann', parentCompanyId: second.id });
    expect(moved.parentCompanyId).toBe(second.id);
    const all = (await provider.listCustomers(null)).customers;
    expect(all.find((c) => c.id === person.id)?.parentCompanyId).toBe(second.id);
    expect(all.find((c) => c.id === first.id)?.parentCompanyId).toBeUndefined();
    const relations = [...sandbox.store.relations.values()].filter((r) => String(r.contact_sub_id) === person.id).map((r) => String(r.contact_id));
    expect(relations).toEqual([first.id, second.id]);
    // The same company again adds nothing.
    await provider.updateCustomer(person.id, { kind: 'person', firstName: 'Anna-Lena', lastName: 'Hürlimann', parentCompanyId: second.id });
    expect([...sandbox.store.relations.values()].filter((r) => String(r.contact_sub_id) === person.id)).toHaveLength(2);
  });

  it('creates a company and a person, finds each by name and updates one', async () => {
    const company = await makeCompany('Alpenblick Treuhand AG');
    const person = await provider.createCustomer({ kind: 'person', firstName: 'Anna', lastName: 'Zwicky', email: 'anna@zwicky.example' });

    const companies = await provider.findCustomers({ kind: 'company', name: 'Alpenblick Treuhand' });
    expect(companies.map((c) => c.id)).toEqual([company.id]);
    expect(companies[0].address).toEqual({ street: 'Bahnhofstrasse 1', zip: '8001', city: 'Zürich', countryCode: 'CH' });
    const people = await provider.findCustomers({ kind: 'person', firstName: 'Anna', lastName: 'Zwicky' });
    expect(people.map((c) => [c.id, c.kind, c.firstName, c.lastName])).toEqual([[person.id, 'person', 'Anna', 'Zwicky']]);

    const updated = await provider.updateCustomer(person.id, { kind: 'person', firstName: 'Anna', lastName: 'Zwicky-Meier', email: 'anna@zwicky.example' });
    expect(updated.lastName).toBe('Zwicky-Meier');
    expect((await provider.getCustomer(person.id))?.lastName).toBe('Zwicky-Meier');
  });

  it('lists customers changed since a time and hides a deleted one', async () => {
    const before = Date.now() - 1000;
    const company = await makeCompany();
    const page = await provider.listCustomers(before);
    expect(page.customers.map((c) => c.id)).toContain(company.id);
    await expect(provider.deleteCustomer(company.id)).resolves.toBe('archived');
    await expect(provider.getCustomer(company.id)).resolves.toBeNull();
    await expect(provider.deleteCustomer(company.id)).resolves.toBe('archived');
  });

  it('creates a three-rate invoice with a line discount whose totals are bexio’s, finalizes, renders a PDF and reads the payment date', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id, {
      lines: [
        { name: 'Lizenz', quantity: '2', unitPrice: '49.90', taxRatePercent: '8.1', discountPercent: '10' },
        { name: 'Handbuch', quantity: '3', unitPrice: '4.99', taxRatePercent: '2.6' },
        { name: 'Versand', quantity: '1', unitPrice: '10.03', taxRatePercent: '0' },
      ],
    });
    const created = await provider.createDocument(draft);
    // 89.82 + 14.97 + 10.03 = 114.82; tax 7.275420 (8.1 %) + 0.389220 (2.6 %) = 7.66464; 122.48464 → 122.48 → 5-Rappen 122.50.
    expect(created).toMatchObject({ kind: 'invoice', status: 'draft', currency: 'CHF', date: '2026-03-02' });
    expect(created.totals).toEqual({ net: '114.82', tax: '7.66', gross: '122.50' });
    const stored = sandbox.store.documents.kb_invoice.get(Number(created.id))!;
    expect(documentTotals(sandbox.store, stored).total.toFixed(2)).toBe(created.totals.gross);
    expect(stored.fields.api_reference).toBe(draft.reference);

    const finalized = await provider.finalizeDocument(created.id, 'invoice');
    expect(finalized.status).toBe('open');
    expect(finalized.number).toMatch(/^RE-\d{5}$/);
    await expect(provider.finalizeDocument(created.id, 'invoice')).resolves.toEqual(finalized);

    const pdf = await provider.fetchPdf(created.id, 'invoice');
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    await expect(provider.getPayment(created.id)).resolves.toEqual({ isPaid: false, paidDate: undefined, openAmount: '122.50' });
    const paid = await fetch(`${running.url}/_sandbox/documents/${created.id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paidDate: '2026-03-20' }),
    });
    expect(paid.status).toBe(204);
    await expect(provider.getPayment(created.id)).resolves.toEqual({ isPaid: true, paidDate: '2026-03-20', openAmount: '0.00' });
    expect((await provider.getDocument(created.id, 'invoice')).status).toBe('paid');
  });

  it('e-mails a finalized invoice with the network-link placeholder bexio requires', async () => {
    const company = await makeCompany();
    const created = await provider.createDocument(makeDraft(company.id, { finalize: true }));
    expect(created.status).toBe('open');
    await provider.sendByEmail(created.id, 'invoice', { to: 'kunde@example.ch', subject: 'Ihre Rechnung', message: 'Guten Tag' });
    expect(sandbox.store.documents.kb_invoice.get(Number(created.id))!.sentEmails).toEqual([{ recipient: 'kunde@example.ch', subject: 'Ihre Rechnung' }]);
  });

  it('creates a quotation and finds it again by its reference', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id, { kind: 'quotation', lines: [{ name: 'Offerte', quantity: '1', unitPrice: '99.99', taxRatePercent: '8.1' }] });
    const created = await provider.createDocument(draft);
    expect(created).toMatchObject({ kind: 'quotation', status: 'draft', totals: { net: '99.99', tax: '8.10', gross: '108.10' } });
    expect(created.number).toMatch(/^AN-\d{5}$/);
    await expect(provider.findDocumentByReference(draft.reference, 'quotation')).resolves.toEqual(created);
    expect((await provider.finalizeDocument(created.id, 'quotation')).status).toBe('open');
  });

  it('retries a burst of 429s transparently, waiting as RateLimit-Reset says', async () => {
    sandbox.faults.set({ rateLimitBurst: 2 });
    await expect(provider.testConnection()).resolves.toEqual({ accountName: 'bexio Sandbox AG' });
    expect(sandbox.faults.settings.rateLimitBurst).toBe(0);
  });

  it('rejects a tax rate the account has no active sales tax for, before calling bexio', async () => {
    const company = await makeCompany();
    const draft = makeDraft(company.id, { lines: [{ name: 'X', quantity: '1', unitPrice: '1', taxRatePercent: '5.5' }] });
    await expect(provider.createDocument(draft)).rejects.toMatchObject({ kind: 'validation' });
  });
});
