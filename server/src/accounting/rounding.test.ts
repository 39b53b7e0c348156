/**
 * The rounding rules each vendor leaves unsettled (money.md §9) are a portal setting: the factory takes the
 * portal's reading (`ProviderDeps.rounding`) and `predictTotals` uses it. Each case is a cart where the two
 * readings give different totals, worked by hand below; nothing is sent, so no sandbox is needed.
 */
import { describe, expect, it } from 'vitest';
import { roundingReadingLabels } from '../invoicing/messages';
import { silentLogger } from '../logger';
import type { DocumentDraft, ProviderId } from './provider';
import { RateLimiterRegistry } from '../lib/rate-limit';
import { providers, RoundingRulesSchema } from './registry';

const credentials: Record<ProviderId, Record<string, string>> = {
  lexoffice: { apiKey: 'lx-test-key' },
  sevdesk: { apiToken: '0123456789abcdef0123456789abcdef' },
  bexio: { accessToken: 'bx-test-token' },
  qonto: { login: 'baeckerei-hoelzl', secretKey: 'qonto-test-secret' },
};

function providerWith(id: ProviderId, rounding?: Record<string, string>) {
  return providers[id].factory({
    baseUrl: 'http://127.0.0.1:9',
    credentials: credentials[id],
    log: silentLogger(),
    limiters: new RateLimiterRegistry(),
    rounding,
  });
}

type Draft = Pick<DocumentDraft, 'lines' | 'priceBasis' | 'currency'>;

// money.md example 2: 7 × 12.35 at 10 %, pre-discount 86.45, exact 77.805.
const discounted: Draft = {
  currency: 'EUR',
  priceBasis: 'net',
  lines: [
    { name: 'Roggenmischbrot 1 kg, Wochenlieferung Filiale Köln-Mülheim', quantity: '7', unitPrice: '12.35', taxRatePercent: '19', discountPercent: '10' },
  ],
};

const cases: Array<{ vendor: ProviderId; option: string; draft: Draft; totals: Record<string, { net: string; tax: string; gross: string }> }> = [
  {
    // discountedLine: r2(77.805) = 77.81, 19 % 14.7839 → 14.78, 92.59; discountFirst: 86.45 − r2(8.645) = 77.80, 14.782 → 14.78, 92.58.
    vendor: 'lexoffice',
    option: 'discountRounding',
    draft: discounted,
    totals: { discountedLine: { net: '77.81', tax: '14.78', gross: '92.59' }, discountFirst: { net: '77.80', tax: '14.78', gross: '92.58' } },
  },
  {
    // SVREC3, 200 × 1.30 at 19 %: per position 260.00 × 0.19 = 49.40; per unit 0.247 → 0.25 × 200 = 50.00.
    vendor: 'sevdesk',
    option: 'vatRounding',
    draft: {
      currency: 'EUR',
      priceBasis: 'net',
      lines: [{ name: 'Brötchentüten bedruckt „Bäckerei Hölzl“, 1000er-Pack', quantity: '200', unitPrice: '1.30', taxRatePercent: '19' }],
    },
    totals: { perPosition: { net: '260.00', tax: '49.40', gross: '309.40' }, perUnit: { net: '260.00', tax: '50.00', gross: '310.00' } },
  },
  {
    // EUR rounds to 0.01. 1.5 × 33.33 = 49.995 at 8.1 %: docs keeps 49.995 + 4.049595 = 54.044595 → 54.04 (tax printed
    // 4.0496 → 4.05); cent-positions 50.00 + 50.00 × 0.081 = 4.05 → 54.05.
    vendor: 'bexio',
    option: 'precision',
    draft: {
      currency: 'EUR',
      priceBasis: 'net',
      lines: [{ name: 'Beratung Ladenbau Zürich-Oerlikon, Stunden', quantity: '1.5', unitPrice: '33.33', taxRatePercent: '8.1' }],
    },
    totals: { docs: { net: '50.00', tax: '4.05', gross: '54.04' }, 'cent-positions': { net: '50.00', tax: '4.05', gross: '54.05' } },
  },
  {
    // roundDiscount: 86.45 − r2(8.645) = 77.80, 14.78, 92.58; roundNet: r2(77.805) = 77.81, 14.78, 92.59.
    vendor: 'qonto',
    option: 'discountRounding',
    draft: discounted,
    totals: { roundDiscount: { net: '77.80', tax: '14.78', gross: '92.58' }, roundNet: { net: '77.81', tax: '14.78', gross: '92.59' } },
  },
];

describe('the portal chooses the reading of each unsettled rounding rule', () => {
  it.each(cases.map((c) => [c.vendor, c] as const))('%s predicts the totals of the chosen reading', (_vendor, c) => {
    const choice = providers[c.vendor].roundingChoices.find((ch) => ch.option === c.option)!;
    expect([...choice.values].sort()).toEqual(Object.keys(c.totals).sort());
    for (const [reading, totals] of Object.entries(c.totals)) {
      const provider = providerWith(c.vendor, { [c.option]: reading });
      expect(provider.rounding.readings[c.option]).toBe(reading);
      expect(provider.predictTotals(c.draft), `${c.vendor} ${reading}`).toEqual(totals);
    }
    // Nothing chosen: the first reading, the default.
    expect(providerWith(c.vendor).predictTotals(c.draft)).toEqual(c.totals[choice.values[0]]);
    expect(providerWith(c.vendor).rounding.readings[c.option]).toBe(choice.values[0]);
  });

  it("accepts only a vendor's own options and readings in the setting", () => {
    expect(RoundingRulesSchema.parse({ sevdesk: { vatRounding: 'perUnit' }, bexio: { precision: 'cent-positions' } })).toEqual({
      sevdesk: { vatRounding: 'perUnit' },
      bexio: { precision: 'cent-positions' },
    });
    expect(RoundingRulesSchema.safeParse({ sevdesk: { vatRounding: 'perRate' } }).success).toBe(false);
    expect(RoundingRulesSchema.safeParse({ lexoffice: { vatRounding: 'perLine' } }).success).toBe(false);
    expect(RoundingRulesSchema.safeParse({ datev: {} }).success).toBe(false);
    // A settled rule is no choice: bexio's taxes are not cent-rounded (money.md §5.3), so 'cent-first' is refused.
    expect(RoundingRulesSchema.safeParse({ bexio: { precision: 'cent-first' } }).success).toBe(false);
  });

  it('has words in German and English for every reading the preview and the settings page name', () => {
    const labels = roundingReadingLabels as Record<string, { de: string; en: string }>;
    for (const entry of Object.values(providers)) {
      for (const choice of entry.roundingChoices)
        for (const value of choice.values) expect(labels[`${choice.option}.${value}`], `${choice.option}.${value}`).toBeDefined();
    }
  });
});
