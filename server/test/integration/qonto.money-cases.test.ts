/**
 * Issue 12, Qonto: each money case gives Qonto's exact amount, computed by hand from money.md §6.2 and
 * read back from the sandbox, or a refusal with its reason before anything is sent — never a changed amount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingProvider, DocumentDraft } from '../../src/accounting/provider';
import { createQontoProvider } from '../../src/accounting/qonto/provider';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { silentLogger } from '../../src/logger';
import { createqontoSandbox, type qontoSandbox } from '../../src/sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from '../../src/sandboxes/server';

type Line = DocumentDraft['lines'][number];
const line = (name: string, quantity: string, unitPrice: string, taxRatePercent: string, discountPercent?: string): Line => ({
  name,
  quantity,
  unitPrice,
  taxRatePercent,
  ...(discountPercent ? { discountPercent } : {}),
});

describe('Qonto money cases of issue 12 (provider → sandbox → read-back)', () => {
  let sandbox: qontoSandbox;
  let running: RunningSandbox;
  let qonto: AccountingProvider;
  let clientId: string;

  const draft = (lines: Line[], extra: Partial<DocumentDraft> = {}): DocumentDraft => ({
    kind: 'invoice',
    customerId: clientId,
    currency: 'EUR',
    priceBasis: 'net',
    date: '2026-03-01',
    finalize: false,
    title: 'Website-Relaunch und Wartung Müller GmbH 2027',
    reference: `apiup:12:${Math.random().toString(36).slice(2)}`,
    lines,
    ...extra,
  });
  const raw = async (body: Record<string, unknown>) => {
    const res = await fetch(`${running.url}/v2/client_invoices`, {
      method: 'POST',
      headers: { authorization: `${sandbox.credentials.login}:${sandbox.credentials.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: clientId,
        issue_date: '2026-03-01',
        due_date: '2026-03-31',
        currency: 'EUR',
        payment_methods: { iban: 'DE89370400440532013000' },
        ...body,
      }),
    });
    return { status: res.status, body: (await res.json()) as { errors?: Array<{ code: string; source?: { pointer?: string } }> } };
  };
  const item = (price: string, extra: Record<string, unknown> = {}) => ({
    title: 'Gutschrift Rabatt Bäckerei Hölzl & Söhne',
    quantity: '1',
    unit_price: { value: price, currency: 'EUR' },
    vat_rate: '0.19',
    ...extra,
  });

  /** Creates through the provider; the read-back totals must be the hand-computed ones and the prediction. */
  async function expectExact(d: DocumentDraft, totals: { net: string; tax: string; gross: string }) {
    expect(qonto.predictTotals(d)).toEqual(totals);
    const created = await qonto.createDocument(d);
    expect(created.totals).toEqual(totals);
    expect((await qonto.getDocument(created.id, 'invoice')).totals).toEqual(totals);
  }

  /** Refused before sending: the reason names the problem and the sandbox never saw an invoice. */
  async function expectRefused(d: DocumentDraft, reason: RegExp) {
    const before = sandbox.store.invoices.size;
    await expect(qonto.createDocument(d)).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(reason) });
    expect(sandbox.store.invoices.size).toBe(before);
  }

  beforeAll(async () => {
    sandbox = createqontoSandbox({ now: () => Date.parse('2026-03-02T09:00:00Z') });
    running = await listenSandbox(sandbox.app, 0);
    qonto = createQontoProvider({
      baseUrl: running.url,
      credentials: sandbox.credentials,
      log: silentLogger(),
      limiters: new RateLimiterRegistry(),
      rateLimit: { requests: 1_000, perMs: 1_000 },
      timeoutMs: 5_000,
    });
    const client = await qonto.createCustomer({
      kind: 'company',
      companyName: 'Bäckerei Hölzl & Söhne Großhandel GmbH',
      address: { street: 'Königstraße 12', zip: '70173', city: 'Stuttgart', countryCode: 'DE' },
    });
    clientId = client.id;
  });

  afterAll(() => running.close());

  it('refuses 4-decimal prices (1000 × 0.0125 is 12.50, never the 11.90 of a cent-rounded price) and 3-decimal quantities', async () => {
    await expectRefused(draft([line('Etiketten Thermodruck Rolle 40 × 30 mm', '1000', '0.0125', '19')]), /0\.0125 has more than 2 decimals/);
    await expectRefused(draft([line('Schrauben Edelstahl Größe M4 (Stück)', '3', '2.4999', '19')]), /2\.4999 has more than 2 decimals/);
    await expectRefused(draft([line('Heizöl Lieferung Hölzl Süd (m³)', '2.125', '845.00', '19')]), /quantity 2\.125 has more than 2 decimals/);
  });

  it('sends 2-decimal quantities exactly: 12.75 h × 96.40 = 1229.10, VAT 233.53, total 1462.63', async () => {
    await expectExact(draft([line('Beratungsstunden Großhandel Süßwaren Köln', '12.75', '96.40', '19')]), { net: '1229.10', tax: '233.53', gross: '1462.63' });
  });

  it('takes a percentage discount of the exact q × p on a fractional quantity: 1.5 × 12.35 = 18.525 → 18.53 − r2(9.2625) = 9.27', async () => {
    // The discount of the rounded 18.53 would be 9.27 and leave 9.26 (total 11.02): Q-R2 gives 9.27 net, 1.76 VAT, 11.03.
    await expectExact(draft([line('Wartung Onlineshop Bäckerei Hölzl & Söhne (Std.)', '1.5', '12.35', '19', '50')]), {
      net: '9.27',
      tax: '1.76',
      gross: '11.03',
    });
  });

  it('sends a HubSpot unit discount as the exact reduced price (3 × (19.99 − 2.50) = 52.47, HubSpot amount 52.47) and refuses one that leaves 17.995', async () => {
    await expectExact(draft([line('Druckerpatronen Großpackung Schwarz', '3', '17.49', '19')]), { net: '52.47', tax: '9.97', gross: '62.44' });
    await expectRefused(draft([line('Druckerpatronen Großpackung Farbe', '2', '17.995', '19')]), /17\.995 has more than 2 decimals/);
  });

  it('keeps a 100 % discount line at zero beside a paid line: 2 × 49.00 free + 1 × 120.00 → 120.00, VAT 22.80, total 142.80', async () => {
    await expectExact(
      draft([
        line('Einrichtungspauschale Kassensystem (geschenkt)', '2', '49.00', '19', '100'),
        line('Jahreslizenz Kassensystem Filiale Süd', '1', '120.00', '19'),
      ]),
      { net: '120.00', tax: '22.80', gross: '142.80' },
    );
  });

  it('refuses a negative line (a rebate) with the reason, and the sandbox refuses a negative unit price as Qonto does', async () => {
    await expectRefused(
      draft([line('Website-Relaunch Konzeption Müller GmbH 2027', '1', '1500.00', '19'), line('Treuerabatt Stammkunde', '1', '-150.00', '19')]),
      /negative or zero lines; issue a credit note/,
    );
    const { status, body } = await raw({ items: [item('-150.00')] });
    expect(status).toBe(422);
    expect(body.errors?.[0].source?.pointer).toBe('/items/0/unit_price/value');
  });

  it('refuses a currency Qonto does not invoice in (JPY), and the sandbox answers a non-EUR body with not_in_list on /currency', async () => {
    await expectRefused(draft([line('Lizenz Kassensystem Tokio', '1', '120000', '10')], { currency: 'JPY' }), /only in EUR; this deal is in JPY/);
    const { status, body } = await raw({ currency: 'USD', items: [item('100.00')] });
    expect(status).toBe(422);
    expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'not_in_list', source: { pointer: '/currency' } })]));
  });

  it('sends gross prices whose net price is exact (2 × 11.90 @ 19 + 21.40 @ 7 = 45.20 as agreed) and refuses 59.90 @ 19 (money.md ex. 5)', async () => {
    await expectExact(
      draft([line('Brotkorb Leinen handgenäht', '2', '11.90', '19'), line('Kochbuch „Brot aus Großmutters Backstube“', '1', '21.40', '7')], {
        priceBasis: 'gross',
      }),
      { net: '40.00', tax: '5.20', gross: '45.20' },
    );
    await expectRefused(
      draft([line('Jahreslizenz Kassensystem Filiale Süd', '2', '59.90', '19')], { priceBasis: 'gross' }),
      /59\.90 incl\. 19 % VAT has no exact net price in cents/,
    );
  });

  it('checks each gross line against the agreed amount: 1.5 × 11.90 @ 19 is exact (17.85), 3 × 1.19 @ 19 at 50 % is not (1.78 agreed, 1.79 at Qonto)', async () => {
    // Net 10.00: 1.5 × 10.00 = 15.00, VAT 2.85 → 17.85 = r2(1.5 × 11.90).
    await expectExact(draft([line('Brotkorb Leinen (halbe Lieferung)', '1.5', '11.90', '19')], { priceBasis: 'gross' }), {
      net: '15.00',
      tax: '2.85',
      gross: '17.85',
    });
    // Net 1.00: Qonto 3.00 − 1.50 = 1.50, VAT r2(0.285) = 0.29 → 1.79; agreed 3.57 − r2(1.785) = 1.78.
    await expectRefused(draft([line('Brötchen Dinkel (Stück)', '3', '1.19', '19', '50')], { priceBasis: 'gross' }), /gross line 1\.78 would become 1\.79/);
  });
});
