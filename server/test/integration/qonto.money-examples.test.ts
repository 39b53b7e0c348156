/**
 * The worked examples of docs/reference/money.md §7, Qonto column: each is sent to the Qonto sandbox
 * as Qonto's own request (ratio VAT, cent prices, POST /v2/client_invoices) and its totals must be
 * money.md's; then our provider must predict the same figures and read them back unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { createQontoProvider } from '../../src/accounting/qonto/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const today = Date.parse('2026-03-02T09:00:00Z');

interface VendorItem {
  title: string;
  quantity: string;
  unit_price: { value: string; currency: 'EUR' };
  vat_rate: string;
  vat_exemption_reason?: string;
  discount?: { type: 'percentage' | 'absolute'; value: string };
}

const item = (title: string, quantity: string, price: string, vatRate: string, extra: Partial<VendorItem> = {}): VendorItem => ({
  title,
  quantity,
  unit_price: { value: price, currency: 'EUR' },
  vat_rate: vatRate,
  ...(vatRate === '0' ? { vat_exemption_reason: 'N1' } : {}),
  ...extra,
});

/** money.md §7, Qonto rows: the vendor's request and the totals money.md states for it. */
const examples: Array<{ name: string; items: VendorItem[]; vat: string; total: string; lineSubtotals?: string[] }> = [
  {
    name: 'example 1, mixed rates: per-line VAT 1.90 + 3.71 + 1.05 + 0 = 6.66, total 61.12',
    items: [
      item('Domain „müller-bäckerei.de“ Jahresgebühr', '1', '9.99', '0.19'),
      item('Website-Relaunch Konzeption Müller GmbH 2027', '1', '19.50', '0.19'),
      item('Fachbuch „Barrierefreies Webdesign“', '3', '4.99', '0.07'),
      item('Versicherungspauschale Hosting', '1', '10.00', '0'),
    ],
    vat: '6.66',
    total: '61.12',
    lineSubtotals: ['9.99', '19.50', '14.97', '10.00'],
  },
  {
    name: 'example 2, 10 % line discount: 86.45 − r2(8.645) = 77.80, VAT 14.78, total 92.58',
    items: [item('Wartung und Pflege Onlineshop Bäckerei Hölzl & Söhne', '7', '12.35', '0.19', { discount: { type: 'percentage', value: '0.1' } })],
    vat: '14.78',
    total: '92.58',
    lineSubtotals: ['77.80'],
  },
  {
    name: 'example 3, fractional quantity: 1.5 × 33.33 = 49.995 → 50.00, VAT 9.50, total 59.50',
    items: [item('Beratungsstunden Großhandel Süßwaren Köln', '1.5', '33.33', '0.19')],
    vat: '9.50',
    total: '59.50',
    lineSubtotals: ['50.00'],
  },
  {
    name: 'example 4 at cents (the 2.4999 of the example is refused): 3 × 2.50 = 7.50, VAT 1.425 → 1.43, total 8.93',
    items: [item('Schrauben Edelstahl Größe M4 (Stück)', '3', '2.50', '0.19')],
    vat: '1.43',
    total: '8.93',
    lineSubtotals: ['7.50'],
  },
  {
    name: 'example 5, gross prices converted to cent nets: 2 × 50.34 and 20.00 → 141.21, not 141.20',
    items: [item('Jahreslizenz Kassensystem Filiale Süd', '2', '50.34', '0.19'), item('Kochbuch „Brot aus Großmutters Backstube“', '1', '20.00', '0.07')],
    vat: '20.53',
    total: '141.21',
    lineSubtotals: ['100.68', '20.00'],
  },
  {
    name: 'example 5, workaround of one line at the exact net: 1 × 100.67 → 119.80, total 141.20',
    items: [
      item('Jahreslizenz Kassensystem Filiale Süd (2 Stück)', '1', '100.67', '0.19'),
      item('Kochbuch „Brot aus Großmutters Backstube“', '1', '20.00', '0.07'),
    ],
    vat: '20.53',
    total: '141.20',
  },
  {
    name: 'example 6a, Qonto support article at 20 %: 169.998 → 170.00 plus 5.15, total 1 050.89',
    items: [item('Laptop Geschäftsausstattung Büro Straßburg', '1', '849.99', '0.2'), item('Funkmaus ergonomisch', '1', '25.75', '0.2')],
    vat: '175.15',
    total: '1050.89',
  },
  {
    name: 'example 6b, absolute discount: 59.97 − 5.00 = 54.97, VAT 10.994 → 10.99, total 65.96',
    items: [item('Druckerpatronen Großpackung Schwarz', '3', '19.99', '0.2', { discount: { type: 'absolute', value: '5.00' } })],
    vat: '10.99',
    total: '65.96',
    lineSubtotals: ['54.97'],
  },
];

describe('money.md §7 worked examples through the Qonto sandbox and our Qonto provider', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;
  let qonto: AccountingProvider;
  let clientId: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${running.url}${path}`, {
      method,
      headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const invoiceBody = (items: VendorItem[]) => ({
    client_id: clientId,
    issue_date: '2026-03-01',
    due_date: '2026-03-31',
    currency: 'EUR',
    payment_methods: { iban: 'DE89370400440532013000' },
    status: 'draft',
    items,
  });

  beforeAll(async () => {
    sandbox = createqontoSandbox({ now: () => today });
    running = await listenSandbox(sandbox.app, 0);
    qonto = createQontoProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: { requests: 1_000, perMs: 1_000 },
      timeoutMs: 5_000,
    });
    const client = await call('POST', '/v2/clients', {
      kind: 'company',
      name: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      currency: 'EUR',
      locale: 'de',
      billing_address: { street_address: 'Königstraße 12', city: 'Stuttgart', zip_code: '70173', country_code: 'DE' },
    });
    expect(client.status).toBe(200);
    clientId = client.body.client.id;
  });

  afterAll(() => running.close());

  it.each(examples)('the sandbox computes $name', async ({ items, vat, total, lineSubtotals }) => {
    const { status, body } = await call('POST', '/v2/client_invoices', invoiceBody(items));
    expect(status).toBe(200);
    const invoice = body.client_invoice;
    expect(invoice.vat_amount).toEqual({ value: vat, currency: 'EUR' });
    expect(invoice.total_amount).toEqual({ value: total, currency: 'EUR' });
    expect(invoice.total_amount_cents).toBe(Math.round(Number(total) * 100));
    if (lineSubtotals) expect(invoice.items.map((i: { subtotal: { value: string } }) => i.subtotal.value)).toEqual(lineSubtotals);
  });

  it('reports the discount of example 2 as its own cent amount, 8.65', async () => {
    const { body } = await call('POST', '/v2/client_invoices', invoiceBody(examples[1].items));
    expect(body.client_invoice.items[0].discount).toEqual({ type: 'percentage', value: '0.1', amount: { value: '8.65', currency: 'EUR' } });
  });

  it.each([
    ['example 4 as given, 3 × 2.4999', '3', '2.4999'],
    ['money.md §9 test 13, 40 × 0.1234', '40', '0.1234'],
  ])('refuses a unit price finer than a cent (%s) with a 422 on the field', async (_name, quantity, price) => {
    const { status, body } = await call('POST', '/v2/client_invoices', invoiceBody([item('Kleinteile Sortiment Größe S', quantity, price, '0.19')]));
    expect(status).toBe(422);
    expect(body.errors).toEqual([expect.objectContaining({ code: 'invalid', source: { pointer: '/items/0/unit_price/value' } })]);
    expect(typeof body.trace_id).toBe('string');
  });

  it('refuses a percentage discount sent as a percent ("10") instead of a ratio (money.md Q-R6: the docs samples send "0.1")', async () => {
    const { status, body } = await call(
      'POST',
      '/v2/client_invoices',
      invoiceBody([item('Wartung', '7', '12.35', '0.19', { discount: { type: 'percentage', value: '10' } })]),
    );
    expect(status).toBe(422);
    expect(body.errors[0].source).toEqual({ pointer: '/items/0/discount/value' });
  });

  it('refuses a VAT rate sent as a percentage ("19") instead of a ratio', async () => {
    const { status, body } = await call('POST', '/v2/client_invoices', invoiceBody([item('Beratung', '1', '100.00', '19')]));
    expect(status).toBe(422);
    expect(body.errors[0].source).toEqual({ pointer: '/items/0/vat_rate' });
  });

  const line = (name: string, quantity: string, unitPrice: string, taxRatePercent: string, discountPercent?: string) => ({
    name,
    quantity,
    unitPrice,
    taxRatePercent,
    ...(discountPercent ? { discountPercent } : {}),
  });

  /** The same examples as our model has them (percent rates, HubSpot prices), with money.md's Qonto totals. */
  const drafts: Array<{ name: string; priceBasis: 'net' | 'gross'; lines: DocumentDraft['lines']; net: string; tax: string; gross: string }> = [
    {
      name: 'example 1',
      priceBasis: 'net',
      lines: [
        line('Domain', '1', '9.99', '19'),
        line('Konzeption', '1', '19.50', '19'),
        line('Fachbuch', '3', '4.99', '7'),
        line('Versicherung', '1', '10.00', '0'),
      ],
      net: '54.46',
      tax: '6.66',
      gross: '61.12',
    },
    { name: 'example 2', priceBasis: 'net', lines: [line('Wartung', '7', '12.35', '19', '10')], net: '77.80', tax: '14.78', gross: '92.58' },
    { name: 'example 3', priceBasis: 'net', lines: [line('Beratung', '1.5', '33.33', '19')], net: '50.00', tax: '9.50', gross: '59.50' },
    { name: 'example 4 at cents (3 × 2.50)', priceBasis: 'net', lines: [line('Schrauben', '3', '2.50', '19')], net: '7.50', tax: '1.43', gross: '8.93' },
    {
      name: 'example 6a',
      priceBasis: 'net',
      lines: [line('Laptop', '1', '849.99', '20'), line('Maus', '1', '25.75', '20')],
      net: '875.74',
      tax: '175.15',
      gross: '1050.89',
    },
  ];

  it('refuses example 4 as given (3 × 2.4999) and example 5 (gross 59.90 at 19 %) before sending: no 8.93-for-7.4997, no 141.21-for-141.20', async () => {
    const create = (priceBasis: 'net' | 'gross', lines: DocumentDraft['lines']) =>
      qonto.createDocument({
        kind: 'invoice',
        customerId: clientId,
        currency: 'EUR',
        priceBasis,
        date: '2026-03-01',
        reference: `apiup:7:${Math.random().toString(36).slice(2)}`,
        finalize: false,
        lines,
      });
    const before = sandbox.store.invoices.size;
    await expect(create('net', [line('Schrauben', '3', '2.4999', '19')])).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('2.4999 has more than 2 decimals'),
    });
    await expect(create('gross', [line('Lizenz', '2', '59.90', '19'), line('Kochbuch', '1', '21.40', '7')])).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('59.90 incl. 19 % VAT'),
    });
    expect(sandbox.store.invoices.size).toBe(before);
  });

  it.each(drafts)('our provider predicts money.md for $name and Qonto reads back the same', async ({ priceBasis, lines, net, tax, gross }) => {
    expect(qonto.predictTotals({ lines, priceBasis, currency: 'EUR' })).toEqual({ net, tax, gross });
    const created = await qonto.createDocument({
      kind: 'invoice',
      customerId: clientId,
      currency: 'EUR',
      priceBasis,
      date: '2026-03-01',
      reference: `apiup:7:${Math.random().toString(36).slice(2)}`,
      finalize: false,
      lines,
    });
    expect(created.totals).toEqual({ net, tax, gross });
  });
});
