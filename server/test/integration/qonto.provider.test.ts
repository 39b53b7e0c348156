import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { createQontoProvider } from '../../src/accounting/qonto/provider';
import { qontoInvoiceWebhookSchema, qontoSignatureHeader, verifyQontoWebhook } from '../../src/accounting/qonto/webhooks';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createLogger, silentLogger } from '../../src/logger';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const today = Date.parse('2026-03-02T09:00:00Z');
/** QD create-a-webhook-subscription: a secret has 32 to 128 characters. */
const webhookSecret = 'whsec-apiup-qonto-test-0123456789abcdef';

function makeProvider(url: string, credentials: unknown): AccountingProvider {
  return createQontoProvider({
    baseUrl: url,
    credentials,
    log: process.env.QDEBUG ? createLogger({ level: 'debug' }) : silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit: { requests: 1_000, perMs: 1_000 },
    timeoutMs: 5_000,
  });
}

export function makeQontoDraft(customerId: string, overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'invoice',
    customerId,
    currency: 'EUR',
    priceBasis: 'net',
    date: '2026-03-01',
    title: 'Rechnung',
    introduction: 'Vielen Dank für Ihren Auftrag.',
    paymentTerms: 'Zahlbar innerhalb von 14 Tagen',
    paymentTermDays: 14,
    closingText: 'Mit freundlichen Grüßen',
    reference: `apiup:42:${Math.random().toString(36).slice(2)}`,
    finalize: false,
    lines: [
      { name: 'Beratung', quantity: '7', unitPrice: '12.35', taxRatePercent: '19', discountPercent: '10', unit: 'hour' },
      { name: 'Fachbuch', quantity: '3', unitPrice: '4.99', taxRatePercent: '7' },
      { name: 'Versicherung', quantity: '1', unitPrice: '10.00', taxRatePercent: '0' },
    ],
    ...overrides,
  };
}

describe('qonto provider against the Qonto sandbox', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;
  let qonto: AccountingProvider;
  let companyId: string;

  beforeAll(async () => {
    sandbox = createqontoSandbox({ now: () => today });
    running = await listenSandbox(sandbox.app, 0);
    qonto = makeProvider(running.url, sandbox.credentials);
    const company = await qonto.createCustomer({
      kind: 'company',
      companyName: 'Müller Maschinenbau GmbH',
      email: 'rechnung@mueller.example',
      phone: '+49 30 1234567',
      vatId: 'DE123456789',
      address: { street: 'Hauptstr. 1', zip: '10115', city: 'Berlin', countryCode: 'DE' },
    });
    companyId = company.id;
  });

  afterAll(() => running.close());

  it('creates a company and a person, finds each by name, and updates one', async () => {
    const person = await qonto.createCustomer({
      kind: 'person',
      firstName: 'Jörg',
      lastName: 'Schäfer',
      email: 'js@example.org',
      address: { city: 'Köln', countryCode: 'DE' },
    });

    const companies = await qonto.findCustomers({ kind: 'company', name: 'müller maschinenbau' });
    expect(companies.map((c) => c.id)).toEqual([companyId]);
    expect(companies[0]).toMatchObject({ kind: 'company', companyName: 'Müller Maschinenbau GmbH', phone: '+49 301234567', vatId: 'DE123456789' });
    const people = await qonto.findCustomers({ kind: 'person', firstName: 'Jorg', lastName: 'Schafer' });
    expect(people.map((p) => p.id)).toEqual([person.id]);

    const updated = await qonto.updateCustomer(person.id, {
      kind: 'person',
      firstName: 'Jörg',
      lastName: 'Schäfer-Lang',
      email: 'jsl@example.org',
      address: { city: 'Köln', countryCode: 'DE' },
    });
    expect(updated).toMatchObject({ lastName: 'Schäfer-Lang', email: 'jsl@example.org' });
    expect(await qonto.getCustomer(person.id)).toMatchObject({ lastName: 'Schäfer-Lang' });
    expect(await qonto.deleteCustomer(person.id)).toBe('deleted');
    expect(await qonto.getCustomer(person.id)).toBeNull();
  });

  it('lists customers changed since a time, page by page', async () => {
    const page = await qonto.listCustomers(today - 60_000);
    expect(page.customers.map((c) => c.id)).toContain(companyId);
    expect((await qonto.listCustomers(today + 60_000)).customers).toEqual([]);
  });

  it('invoices three rates with a line discount, finalizes, serves the PDF and reports the payment date', async () => {
    const draft = makeQontoDraft(companyId);
    const created = await qonto.createDocument(draft);
    // Qonto per line: 77.80 (7 × 12.35 − 8.65) @19 → 14.78; 14.97 @7 → 1.05; 10.00 @0 → 0.00.
    expect(created).toMatchObject({ status: 'draft', currency: 'EUR', totals: { net: '102.77', tax: '15.83', gross: '118.60' } });
    expect(created.number).toBeUndefined();

    const finalized = await qonto.finalizeDocument(created.id, 'invoice');
    expect(finalized).toMatchObject({ status: 'open', number: 'INV-2026-001', date: '2026-03-01' });
    expect(await qonto.finalizeDocument(created.id, 'invoice')).toMatchObject({ number: 'INV-2026-001' });

    const pdf = await qonto.fetchPdf(created.id, 'invoice');
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

    await qonto.sendByEmail(created.id, 'invoice', { to: 'rechnung@mueller.example', subject: 'Rechnung INV-2026-001', message: 'Anbei.' });
    expect(await qonto.getPayment(created.id)).toEqual({ isPaid: false, paidDate: undefined, openAmount: '118.60' });

    const pay = await fetch(`${running.url}/_sandbox/documents/${created.id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ paidDate: '2026-03-01' }),
    });
    expect(pay.status).toBe(200);
    expect(await qonto.getPayment(created.id)).toEqual({ isPaid: true, paidDate: '2026-03-01', openAmount: '0.00' });
    expect(await qonto.getDocument(created.id, 'invoice')).toMatchObject({ status: 'paid', totals: { gross: '118.60' } });
  });

  it('creates a quote that is open at once, finds it by the reference in its terms, serves its PDF and invoices it with quote_id', async () => {
    const draft = makeQontoDraft(companyId, {
      kind: 'quotation',
      title: 'Angebot Website-Relaunch und Wartung Müller GmbH 2027',
      paymentTerms: 'Gültig 30 Tage.',
    });
    const quote = await qonto.createDocument(draft);
    expect(quote).toMatchObject({ kind: 'quotation', status: 'open', number: expect.stringMatching(/^Q-/) });
    expect(quote.totals).toEqual(qonto.predictTotals(draft));
    const stored = sandbox.store.quotes.get(quote.id)!;
    expect(stored.record).toMatchObject({ status: 'pending_approval', terms_and_conditions: `Gültig 30 Tage.\n\nRef. ${draft.reference}` });
    await expect(qonto.findDocumentByReference(draft.reference, 'quotation')).resolves.toEqual(quote);
    await expect(qonto.finalizeDocument(quote.id, 'quotation')).resolves.toEqual(quote);
    expect((await qonto.fetchPdf(quote.id, 'quotation')).subarray(0, 4).toString('latin1')).toBe('%PDF');
    const invoice = await qonto.createDocument({ ...draft, kind: 'invoice', fromQuotationId: quote.id });
    expect(invoice.totals).toEqual(quote.totals);
    expect(stored.invoiceIds).toEqual([invoice.id]);
  });

  it('refuses a quote that expires before it is issued, as Qonto validates expiry_date', async () => {
    const response = await fetch(`${running.url}/v2/quotes`, {
      method: 'POST',
      headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: companyId,
        issue_date: '2027-03-01',
        expiry_date: '2027-02-01',
        currency: 'EUR',
        items: [{ title: 'Beratung', quantity: '1', unit_price: { value: '100', currency: 'EUR' }, vat_rate: '0.19' }],
      }),
    });
    expect(response.status).toBe(422);
  });

  it('delivers a signed v1/client-invoices event when an invoice is paid', async () => {
    let resolvePaid!: (delivery: { raw: Buffer; signature?: string }) => void;
    const paidDelivery = new Promise<{ raw: Buffer; signature?: string }>((resolve) => (resolvePaid = resolve));
    const receiver = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.end();
        const raw = Buffer.concat(chunks);
        if (JSON.parse(raw.toString()).data.status === 'paid') resolvePaid({ raw, signature: req.headers[qontoSignatureHeader] as string | undefined });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const subscribed = await fetch(`${running.url}/v2/webhook_subscriptions`, {
        method: 'POST',
        headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          callback_url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/qonto`,
          types: ['v1/client-invoices'],
          secret: webhookSecret,
        }),
      });
      expect(subscribed.status).toBe(200);
      const doc = await qonto.createDocument(makeQontoDraft(companyId, { finalize: true }));
      sandbox.markPaid(doc.id, '2026-03-02');

      const { raw, signature } = await paidDelivery;
      expect(verifyQontoWebhook(raw, signature, webhookSecret, { nowMs: today })).toEqual({ ok: true });
      expect(verifyQontoWebhook(raw, signature, 'other-secret', { nowMs: today })).toEqual({ ok: false, reason: 'mismatch' });
      const event = qontoInvoiceWebhookSchema.parse(JSON.parse(raw.toString()));
      expect(event.data).toMatchObject({ id: doc.id, status: 'paid', paid_at: '2026-03-02T00:00:00.000Z' });
    } finally {
      receiver.closeAllConnections();
      receiver.close();
    }
  });
});
