/**
 * Issue 12 for bexio: every cart either becomes bexio's exact amount or a visible refusal, never a
 * changed amount. Drafts go through our provider into the bexio sandbox (its own arithmetic, its own
 * validation); the expected figures are worked by hand from bexio's rules (docs/reference/money.md §5):
 * position_total = q × p × (100 − d)/100 kept at 6 decimals, tax per rate kept at 6 decimals,
 * total = the currency's round_factor applied to the cent-rounded sum (CHF 0.05, EUR 0.01).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/accounting/errors';
import type { AccountingProvider, DocumentDraft, DraftLine } from '../../src/accounting/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { createBexioProvider } from '../../src/accounting/bexio/provider';
import { silentLogger } from '../../src/logger';
import { createbexioSandbox, type bexioSandbox } from '../../src/sandboxes/bexio/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

const fast = { requests: 1000, perMs: 1000 };
let sandbox: bexioSandbox;
let running: RunningSandbox;
let provider: AccountingProvider;
let customerId: string;
let seq = 0;

beforeAll(async () => {
  sandbox = createbexioSandbox({ rateLimit: fast });
  running = await listenSandbox(sandbox.app, 0);
  provider = createBexioProvider({
    baseUrl: running.url,
    credentials: sandbox.credentials,
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rateLimit: fast,
  });
  const customer = await provider.createCustomer({
    kind: 'company',
    companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
    address: { street: 'Marktgasse 17', zip: '3011', city: 'Bern', countryCode: 'CH' },
  });
  customerId = customer.id;
});

afterAll(() => running.close());

function draft(lines: DraftLine[], overrides: Partial<DocumentDraft> = {}): DocumentDraft {
  return {
    kind: 'invoice',
    customerId,
    currency: 'CHF',
    priceBasis: 'net',
    date: '2026-03-02',
    title: 'Website-Relaunch und Wartung Müller GmbH 2027',
    lines,
    reference: `apiup:money-rules:${++seq}`,
    finalize: false,
    ...overrides,
  };
}

const line = (name: string, quantity: string, unitPrice: string, taxRatePercent: string, discountPercent?: string): DraftLine => ({
  name,
  quantity,
  unitPrice,
  taxRatePercent,
  ...(discountPercent === undefined ? {} : { discountPercent }),
});

/** Creates through the provider and checks the read-back against the hand-worked figures and `predictTotals`. */
async function expectExact(d: DocumentDraft, totals: { net: string; tax: string; gross: string }) {
  const created = await provider.createDocument(d);
  expect(created.totals).toEqual(totals);
  expect(provider.predictTotals(d)).toEqual(totals);
  return sandbox.store.documents.kb_invoice.get(Number(created.id))!;
}

describe('bexio money rules through our provider and the bexio sandbox', () => {
  it('keeps 4-decimal unit prices and 3-decimal quantities exactly', async () => {
    // 12.345 × 3.4567 = 42.6729615 → 42.672962; × 8.1 % = 3.456509922 → 3.456510.
    // 0.125 × 1999.9999 = 249.9999875 → 249.999988; × 2.6 % = 6.499999688 → 6.500000.
    // 292.672950 + 9.956510 = 302.629460 → 302.63 → 5 Rappen 302.65.
    const stored = await expectExact(
      draft([
        line('Druckbogen Sonderformat, Stückpreis nach Staffel', '12.345', '3.4567', '8.1'),
        line('Lizenz Bildarchiv, anteilig', '0.125', '1999.9999', '2.6'),
      ]),
      { net: '292.67', tax: '9.96', gross: '302.65' },
    );
    expect(stored.positions.map((p) => (p.type === 'KbPositionCustom' ? [p.amount, p.unit_price] : []))).toEqual([
      ['12.345', '3.4567'],
      ['0.125', '1999.9999'],
    ]);
  });

  it('predicts the tax bexio prints with four decimals (total_taxes), then shown to the cent', async () => {
    // 3 × 100.0204 = 300.0612; × 8.1 % = 24.3049572 → 24.304957, printed "24.3050" → 24.31 (not 24.30).
    // 300.0612 + 24.304957 = 324.366157 → 324.37 → 5 Rappen 324.35.
    await expectExact(draft([line('Massivholzplatte Nussbaum, zugeschnitten', '3', '100.0204', '8.1')]), { net: '300.06', tax: '24.31', gross: '324.35' });
  });

  it('takes a percentage discount of the exact quantity × price on a fractional quantity (EUR, cent rounding)', async () => {
    // 2.5 × 19.90 = 49.75; − 12.5 % = 43.53125; × 8.1 % = 3.52603125 → 3.526031; 47.057281 → 47.06.
    await expectExact(draft([line('Beratungsstunden Konzeption', '2.5', '19.90', '8.1', '12.5')], { currency: 'EUR' }), {
      net: '43.53',
      tax: '3.53',
      gross: '47.06',
    });
  });

  it('sends a HubSpot unit discount as the exact reduced unit price, not rounded to cents', async () => {
    // HubSpot price 18.50 with a unit discount of 0.505 → 17.995 per unit (the draft carries price − discount).
    // 3 × 17.995 = 53.985; × 8.1 % = 4.372785; 58.357785 → 58.36 → 5 Rappen 58.35 (18.00 would give 58.40).
    const stored = await expectExact(draft([line('Wartungspauschale mit Treuerabatt', '3', '17.995', '8.1')]), { net: '53.99', tax: '4.37', gross: '58.35' });
    expect(stored.positions[0]).toMatchObject({ unit_price: '17.995' });
  });

  it('keeps a 100 % discount line at zero beside a paid line', async () => {
    // 1 × 250 − 100 % = 0; 1 × 100 × 8.1 % = 8.10; 108.10.
    const created = await provider.createDocument(
      draft([line('Einrichtung (geschenkt)', '1', '250.00', '8.1', '100'), line('Hosting März', '1', '100.00', '8.1')]),
    );
    expect(created.totals).toEqual({ net: '100.00', tax: '8.10', gross: '108.10' });
    const shown = await fetch(`${running.url}/2.0/kb_invoice/${created.id}`, {
      headers: { authorization: `Bearer ${sandbox.credentials.accessToken}`, accept: 'application/json' },
    });
    const body = (await shown.json()) as { positions: Array<{ position_total: string; discount_in_percent: string }> };
    expect(body.positions[0]).toMatchObject({ position_total: '0.000000', discount_in_percent: '100.0000' });
  });

  it('refuses a negative line (rebate) before anything is sent', async () => {
    const before = sandbox.store.documents.kb_invoice.size;
    const error = await provider
      .createDocument(draft([line('Jahreslizenz', '1', '1200.00', '8.1'), line('Gutschrift Ausfall Februar', '1', '-150.00', '8.1')]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('validation');
    expect((error as ProviderError).message).toMatch(/line 2: a negative line/);
    expect(sandbox.store.documents.kb_invoice.size).toBe(before);
  });

  it('refuses a currency the account does not have, in our provider and in the sandbox', async () => {
    const error = await provider.createDocument(draft([line('Übersetzung Japanisch', '1', '12000', '0')], { currency: 'JPY' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toBe('currency JPY is not set up in bexio');

    const raw = await fetch(`${running.url}/2.0/kb_invoice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.credentials.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        contact_id: Number(customerId),
        user_id: 1,
        currency_id: 99,
        positions: [{ type: 'KbPositionCustom', amount: '1', unit_price: '12000', tax_id: 31 }],
      }),
    });
    expect(raw.status).toBe(422);
    expect(await raw.json()).toEqual({ error_code: 422, message: 'currency_id: unknown currency' });
  });

  it('refuses JPY while the account rounds it to 0.01 and invoices whole yen once it rounds to 1', async () => {
    // A newly added currency gets round_factor 0.01 like BRL and CNY in a live list (fetch-a-list-of-currencies.json@b68256a4).
    sandbox.store.currencies.push({ id: 9, name: 'JPY', round_factor: 0.01 });
    const yen = draft([line('Übersetzung Japanisch, Seiten', '3', '4999.5', '8.1')], { currency: 'JPY' });
    // A fresh connection: the provider caches the account's currency list per connection.
    const fresh = createBexioProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: fast,
    });
    const before = sandbox.store.documents.kb_invoice.size;
    const error = await fresh.createDocument(yen).catch((e: unknown) => e);
    expect(sandbox.store.documents.kb_invoice.size).toBe(before);
    expect((error as ProviderError).message).toMatch(/bexio rounds JPY totals to 0.01, finer than the currency's smallest unit 1/);

    const factors = createbexioSandbox({ rateLimit: fast });
    factors.store.currencies.push({ id: 9, name: 'JPY', round_factor: 1 });
    const second = await listenSandbox(factors.app, 0);
    try {
      const yenProvider = createBexioProvider({
        baseUrl: second.url,
        credentials: factors.credentials,
        log: silentLogger(),
        limiters: new RateLimiterRegistry(),
        rateLimit: fast,
      });
      const customer = await yenProvider.createCustomer({ kind: 'company', companyName: 'Kyōto Übersetzungsbüro Schäfer GmbH' });
      // 3 × 4999.5 = 14998.5; × 8.1 % = 1214.8785; 16213.3785 → 16213.38 → factor 1: 16213.
      const created = await yenProvider.createDocument({ ...yen, customerId: customer.id });
      expect(created).toMatchObject({ currency: 'JPY', totals: { net: '14999', tax: '1215', gross: '16213' } });
      expect(yenProvider.predictTotals(yen)).toEqual(created.totals);
    } finally {
      await second.close();
    }
  });

  it('sends gross prices in bexio’s gross mode: the customer pays the sum of the gross prices', async () => {
    // 3 × 33.35 = 100.05 gross at 8.1 %: contained tax 100.05 × 8.1/108.1 = 7.496947…; net 92.553053; total 100.05.
    const stored = await expectExact(draft([line('Kurs „Brot backen für Einsteiger“, Platz', '3', '33.35', '8.1')], { priceBasis: 'gross', currency: 'EUR' }), {
      net: '92.55',
      tax: '7.50',
      gross: '100.05',
    });
    expect(stored.fields).toMatchObject({ mwst_type: 0, mwst_is_net: false });
  });
});
