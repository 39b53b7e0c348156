/**
 * Issue 12, end to end through HubSpot's and every vendor's sandbox: a won deal either becomes an
 * invoice whose read-back totals are the figures computed by hand below from each vendor's own rules
 * (docs/reference/money.md), or it is refused with the reason on the deal (`apiup_invoice_reason`)
 * and on the card — never an invoice with a changed amount.
 *
 * EUR vendors invoice at 19 %; bexio in CHF at the Swiss 8.1 % (money.md BX-R6), its amount due
 * rounded to 5 Rappen after cents (BX-R1, §9). Line rates come from a product rule on the SKU, so a
 * line without SKU is a line without a tax rate. Whether a vendor holds a value is its `moneyRules`
 * (money.md §0); the expectation names the rule that makes it refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, type MoneyRules, type ProviderId } from '../../src/accounting/provider';
import { startTestApiup, type TestApiup } from '../helpers/apiup';
import { HubspotUser } from '../helpers/hubspot-user';
import { vendorProbe } from '../helpers/vendors';

type Totals = { net: string; tax: string; gross: string };
/** Hand-computed totals per currency setup; bexio's tax is read back unrounded (BX-R3), so only its amount due is compared. */
type Expected = { eur: Totals; chf: Pick<Totals, 'gross'> };

interface MoneyCase {
  name: string;
  lineItems: Array<Record<string, string>>;
  currency?: string;
  settings?: Record<string, unknown>;
  /** The money reason code when the vendor's rules refuse the deal, else undefined. */
  refusedBy?: (rules: MoneyRules, provider: ProviderId) => string | undefined;
  expected?: Expected;
}

const sku = 'MWST-NORMAL';
const company = { name: 'Bäckerei Hölzl & Söhne Großhandel GmbH', address: 'Königsallee 27', zip: '40212', city: 'Düsseldorf', country: 'DE' };
const reasonProperties = ['apiup_invoice_status', 'apiup_invoice_reason'];

const cases: MoneyCase[] = [
  {
    // 2.125 × 14.1234 = 30.012225 → 30.01; 19 %: 5.7019 → 5.70; 35.71.
    // CHF: 30.012225 + 2.430990225 = 32.443215 → 32.44 → 32.45 (cent-first: 30.01 + 2.43 = 32.44 → 32.45).
    name: '4-decimal price and 3-decimal quantity',
    lineItems: [{ name: 'Edelstahlschrauben Größe M4 für Backofenmontage (Kilogramm)', quantity: '2.125', price: '14.1234', hs_sku: sku }],
    refusedBy: (r) => (r.unitPriceDecimals < 4 ? 'unit_price_too_precise' : r.quantityDecimals < 3 ? 'quantity_too_precise' : undefined),
    expected: { eur: { net: '30.01', tax: '5.70', gross: '35.71' }, chf: { gross: '32.45' } },
  },
  {
    // 2.5 × 33.33 = 83.325, −12.5 % = 72.909375 → 72.91 (Qonto: 83.33 − r2(10.415625) = 72.91); 19 %: 13.8529 → 13.85; 86.76.
    // CHF: 72.909375 + 5.905659 = 78.815034 → 78.82 → 78.80.
    name: 'percentage discount on a fractional quantity',
    lineItems: [
      { name: 'Beratungsstunden Filialplanung Süßwarenabteilung Köln-Mülheim', quantity: '2.5', price: '33.33', hs_discount_percentage: '12.5', hs_sku: sku },
    ],
    expected: { eur: { net: '72.91', tax: '13.85', gross: '86.76' }, chf: { gross: '78.80' } },
  },
  {
    // HubSpot unit discount 2.00 on 19.995 → 17.995 per unit; 4 × 17.995 = 71.98; 19 %: 13.6762 → 13.68; 85.66.
    // CHF: 71.98 + 5.83038 = 77.81038 → 77.81 → 77.80.
    name: 'unit discount leaving a 3-decimal price',
    lineItems: [{ name: 'Teigknetmaschine Wartungspaket „Großbäckerei Überlingen“', quantity: '4', price: '19.995', discount: '2.00', hs_sku: sku }],
    refusedBy: (r) => (r.unitPriceDecimals < 3 ? 'unit_price_too_precise' : undefined),
    expected: { eur: { net: '71.98', tax: '13.68', gross: '85.66' }, chf: { gross: '77.80' } },
  },
  {
    // 1 × 120 + 2 × 45.50 at 100 % = 0 → 120.00; 19 %: 22.80; 142.80. CHF: 120 + 9.72 = 129.72 → 129.70.
    name: 'a 100 % discount line',
    lineItems: [
      { name: 'Jahreswartung Kühlzelle Filiale Mönchengladbach', quantity: '1', price: '120', hs_sku: sku },
      { name: 'Anfahrtspauschale (Kulanz für Stammkunden, kostenlos)', quantity: '2', price: '45.50', hs_discount_percentage: '100', hs_sku: sku },
    ],
    expected: { eur: { net: '120.00', tax: '22.80', gross: '142.80' }, chf: { gross: '129.70' } },
  },
  {
    // 250 − 25 = 225.00; per line 47.50 − 4.75 = per rate 42.75; 267.75. CHF: 225 + 18.225 = 243.225 → 243.23 → 243.25.
    name: 'a negative line (credit)',
    lineItems: [
      { name: 'Backstubenplanung und Ausführungszeichnungen Hölzl Süd', quantity: '1', price: '250', hs_sku: sku },
      { name: 'Gutschrift Treuerabatt Rahmenvertrag 2027', quantity: '1', price: '-25.00', hs_sku: sku },
    ],
    refusedBy: (r) => (r.negativeLines ? undefined : 'negative_line_not_supported'),
    expected: { eur: { net: '225.00', tax: '42.75', gross: '267.75' }, chf: { gross: '243.25' } },
  },
  {
    // 3 × 1500 JPY = 4500; 19 %: 855; 5355 — whole yen, no rounding anywhere.
    name: 'a currency the vendor may not take (JPY)',
    currency: 'JPY',
    lineItems: [{ name: 'Lizenz Kassensystem Filiale Tokio-Shibuya (Monat)', quantity: '3', price: '1500', hs_sku: sku }],
    // bexio takes any currency the account has set up (moneyRules `any`); this Swiss account has no JPY, which bexio's
    // currency list (GET /3.0/currencies) tells the preview and the run before any document is sent.
    refusedBy: (r, provider) =>
      r.currencies === 'any'
        ? provider === 'bexio'
          ? 'currency_not_in_account'
          : undefined
        : r.currencies.includes('JPY')
          ? undefined
          : 'currency_not_supported',
    expected: { eur: { net: '4500.00', tax: '855.00', gross: '5355.00' }, chf: { gross: '5355.00' } },
  },
  {
    // No deal currency: the HubSpot account's company currency (EUR; CHF for the Swiss bexio portal). 100 → 19.00 → 119.00; CHF 108.10.
    name: 'a deal without currency',
    currency: '',
    lineItems: [{ name: 'Hygieneschulung Backstube nach HACCP, Tagessatz', quantity: '1', price: '100', hs_sku: sku }],
    expected: { eur: { net: '100.00', tax: '19.00', gross: '119.00' }, chf: { gross: '108.10' } },
  },
  {
    // The line without SKU takes the default rate (19 % / 8.1 %): 1 × 80 → 15.20 → 95.20; CHF 80 + 6.48 = 86.48 → 86.50.
    name: 'a line without tax rate, default rate',
    lineItems: [{ name: 'Entkalkung Dampfbackofen Miwe Condo (ohne Steuersatz in HubSpot)', quantity: '1', price: '80' }],
    settings: { missingTaxRate: 'default' },
    expected: { eur: { net: '80.00', tax: '15.20', gross: '95.20' }, chf: { gross: '86.50' } },
  },
  {
    name: 'a line without tax rate, skip',
    lineItems: [{ name: 'Entkalkung Dampfbackofen Miwe Condo (ohne Steuersatz in HubSpot)', quantity: '1', price: '80' }],
    settings: { missingTaxRate: 'skip' },
    refusedBy: () => 'missing_tax_rate',
  },
  {
    // Gross 3 × 11.90 = 35.70; net 30.00 (exact, also as 10.00 net per unit for a vendor without gross mode), tax 5.70. CHF: 35.70 gross.
    name: 'gross prices that convert exactly',
    lineItems: [{ name: 'Brotkorb Weide geflochten, Präsentationsset', quantity: '3', price: '11.90', hs_sku: sku }],
    settings: { pricesIncludeVat: true },
    expected: { eur: { net: '30.00', tax: '5.70', gross: '35.70' }, chf: { gross: '35.70' } },
  },
  {
    // Gross 2 × 59.90 = 119.80; net r2(119.80 / 1.19) = 100.67, tax 19.13 (money.md example 5); CHF 119.80.
    // Without gross mode 59.90 / 1.19 = 50.3361… is no exact net price: refused rather than 119.81.
    name: 'gross prices that do not convert exactly',
    lineItems: [{ name: 'Kaffeevollautomat „Crema Süd“ für Verkaufsraum', quantity: '2', price: '59.90', hs_sku: sku }],
    settings: { pricesIncludeVat: true },
    refusedBy: (r) => (r.grossPrices ? undefined : 'gross_price_not_exact'),
    expected: { eur: { net: '100.67', tax: '19.13', gross: '119.80' }, chf: { gross: '119.80' } },
  },
];

const moneyCodes = new Set([
  'unit_price_too_precise',
  'quantity_too_precise',
  'discount_too_precise',
  'negative_line_not_supported',
  'currency_not_supported',
  'currency_not_in_account',
  'gross_price_not_exact',
  'gross_total_not_exact',
  'missing_tax_rate',
]);

/** Refusals that name the line; the others name the currency. */
const namesLine = new Set([
  'unit_price_too_precise',
  'quantity_too_precise',
  'discount_too_precise',
  'negative_line_not_supported',
  'gross_price_not_exact',
  'missing_tax_rate',
]);

function currencyOf(money: MoneyCase, isSwiss: boolean): string {
  return money.currency || (isSwiss ? 'CHF' : 'EUR');
}

describe.each(providerIds)('money is never changed silently: %s', (provider) => {
  let t: TestApiup;
  let user: HubspotUser;
  let pipeline: Awaited<ReturnType<HubspotUser['createPipeline']>>;
  const isSwiss = provider === 'bexio';
  const rate = isSwiss ? '8.1' : '19';
  // Money, not e-invoices, is under test here: the e-invoice pre-flight (einvoice.e2e.test.ts) stays out of the way.
  const baseSettings = {
    productTaxRates: { [sku]: rate },
    defaultTaxRatePercent: rate,
    missingTaxRate: 'default',
    pricesIncludeVat: false,
    language: 'de',
    eInvoiceForBusinessCustomers: false,
  };

  beforeAll(async () => {
    t = await startTestApiup({ QUEUE_BACKOFF_BASE_MS: '10', QUEUE_BACKOFF_MAX_MS: '20' });
    const hubspot = t.sandboxes!.hubspot;
    const hubspotUrl = t.sandboxes!.list()[0].url;
    user = new HubspotUser(hubspot, hubspotUrl, t.portalId, hubspot.installDemoPortal().accessToken);
    pipeline = await user.createPipeline('Großkunden Backwaren');
    await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' });
    await t.services.connections.connect(t.portalId, provider, vendorProbe(t.sandboxes!, provider).credentials);
    // A Swiss bexio user's HubSpot account keeps its amounts in CHF.
    const account = await fetch(`${hubspotUrl}/_sandbox/portals/${t.portalId}/account-details`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ companyCurrency: isSwiss ? 'CHF' : 'EUR' }),
    });
    expect(account.status).toBe(200);
    // The seller invoices Japanese customers too: an admin added JPY to the account's currencies.
    t.sandboxes!.hubspot.addCurrency(Number(t.portalId), 'JPY');
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, money) => {
    const rules = (await t.services.connections.providerFor(t.portalId))!.provider.moneyRules;
    const saved = await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: { ...baseSettings, ...money.settings } } });
    expect(saved.status).toBe(200);
    const currency = money.currency ?? (isSwiss ? 'CHF' : 'EUR');
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: `Lieferung ${money.name} – ${company.name}`,
      currency,
      lineItems: money.lineItems,
      company,
    });
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
    const documentsBefore = vendorProbe(t.sandboxes!, provider).documentCount();
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 60_000);

    const properties = await user.dealProperties(deal.dealId, reasonProperties);
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    const refusal = money.refusedBy?.(rules, provider);
    if (refusal) {
      // The preview said so before anything was sent.
      expect(preview.skip?.code).toBe(refusal);
      // Totals the vendor would never compute are not shown; a deal skipped by a rule still shows its figures.
      if (refusal !== 'missing_tax_rate') expect(preview.totals).toBeNull();
      // The account's own currencies are named, so the user sees what to set up.
      if (refusal === 'currency_not_in_account') expect(preview.skip.message).toMatch(/JPY.*CHF, EUR/);
      expect(properties.apiup_invoice_status, JSON.stringify(properties)).toBe('skipped');
      expect(card.invoice.reason.code).toBe(refusal);
      expect(moneyCodes.has(card.invoice.reason.code)).toBe(true);
      expect(properties.apiup_invoice_reason).toBe(card.invoice.reason.message);
      if (namesLine.has(refusal))
        expect(
          money.lineItems.some((l) => properties.apiup_invoice_reason!.includes(l.name)),
          properties.apiup_invoice_reason!,
        ).toBe(true);
      else expect(properties.apiup_invoice_reason).toContain(currencyOf(money, isSwiss));
      expect(vendorProbe(t.sandboxes!, provider).documentCount()).toBe(documentsBefore);
      return;
    }
    expect(properties.apiup_invoice_status, JSON.stringify({ properties, reason: card.invoice?.reason })).toMatch(/^(created|sent)$/);
    const record = (await t.services.invoicing.records.get(t.portalId, deal.dealId))!;
    const readBack = await (await t.services.connections.providerFor(t.portalId))!.provider.getDocument(record.documentId!, 'invoice');
    const expectedCurrency = currency || (isSwiss ? 'CHF' : 'EUR');
    expect(readBack.currency).toBe(expectedCurrency);
    const want = isSwiss && expectedCurrency === 'CHF' ? money.expected!.chf : money.expected!.eur;
    const got = isSwiss ? { gross: readBack.totals.gross } : readBack.totals;
    expect(numbers(got)).toEqual(numbers(want));
    expect(preview.skip).toBeNull();
    if (!isSwiss) expect(numbers(preview.totals)).toEqual(numbers(want));
    // Our prediction was the vendor's figure: no totals warning on the card.
    expect(card.invoice.warnings.filter((w: { code: string }) => w.code === 'totals_differ')).toEqual([]);
    if (money.settings?.missingTaxRate === 'default') {
      expect(preview.lines[0]).toMatchObject({ taxRatePercent: rate, taxRateSource: 'default' });
      expect(record.defaultTaxRateLines).toEqual([{ line: 1, name: money.lineItems[0].name, ratePercent: rate }]);
      expect(card.invoice.warnings).toContainEqual({ code: 'default_tax_rate_used', message: expect.stringContaining(money.lineItems[0].name) });
    }
  });

  it("takes the connected vendor's standard rate for a line without one while the portal sets no default of its own", async () => {
    const { defaultTaxRatePercent: _own, ...withoutOwnDefault } = baseSettings;
    expect((await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: withoutOwnDefault } })).status).toBe(200);
    const settings = await (await t.signedFetch('/api/v1/settings')).json();
    expect(settings.rules.invoice.defaultTaxRatePercent).toBeUndefined();
    expect(settings.vendorRules).toMatchObject({ provider, defaultTaxRatePercent: rate });
    const lineItems = [{ name: 'Entkalkung Dampfbackofen Miwe Condo (ohne Steuersatz in HubSpot)', quantity: '1', price: '80' }];
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: `Standardsatz – ${company.name}`,
      currency: isSwiss ? 'CHF' : 'EUR',
      lineItems,
      company,
    });
    const preview = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice/preview`, { locale: 'de' })).json();
    expect(preview.lines[0]).toMatchObject({ taxRatePercent: rate, taxRateSource: 'default' });
    expect(preview.notices).toContainEqual(expect.objectContaining({ code: 'default_tax_rate_used', message: expect.stringContaining(`${rate} %`) }));
  });

  it.runIf(provider === 'lexoffice')('shows vendor totals that differ from the prediction on the card and in the activity log', async () => {
    await t.signedFetch('/api/v1/settings/rules', { method: 'PUT', body: { invoice: baseSettings } });
    const lineItems = [{ name: 'Ladenbau Theke Eiche massiv, Filiale Würzburg', quantity: '1', price: '1000', hs_sku: sku }];
    const deal = await user.createDeal({
      pipelineId: pipeline.pipelineId,
      stageId: pipeline.wonStageId,
      name: 'Ladenbau Würzburg – Bäckerei Hölzl',
      currency: 'EUR',
      lineItems,
      company,
    });
    await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { method: 'POST' });
    await t.queue.waitFor(`invoice:${t.portalId}:${deal.dealId}`, ['succeeded', 'dead'], 60_000);
    const records = t.services.invoicing.records;
    expect(await records.get(t.portalId, deal.dealId)).toMatchObject({ predictedGross: '1190.00', totalGross: expect.stringMatching(/^1190(\.0+)?$/) });
    // As if the vendor had computed another total than we predicted for the draft we sent.
    await records.patch(t.portalId, deal.dealId, { predictedNet: '1000.01', predictedTax: '190.00', predictedGross: '1190.01' });
    const card = await (await t.signedFetch(`/api/v1/deals/${deal.dealId}/invoice`, { locale: 'de' })).json();
    expect(card.invoice.warnings).toEqual([{ code: 'totals_differ', message: expect.stringContaining('brutto 1190.00 statt 1190.01 EUR') }]);
    const activity = await (await t.signedFetch('/api/v1/settings/activity', { locale: 'de' })).json();
    const job = activity.jobs.find((j: { name: string; payload: { dealId?: string } }) => j.name === 'invoice.process' && j.payload.dealId === deal.dealId);
    expect(job.warnings).toEqual(card.invoice.warnings);
  });
});

/** Decimal strings compared by value ("30.01" = "30.010000"); the vendors print different numbers of decimals. */
function numbers(totals: Partial<Totals>): Record<string, string> {
  return Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Number.isNaN(Number(v)) ? String(v) : canonical(String(v))]));
}

function canonical(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${whole}.${trimmed}` : whole;
}
