/**
 * Issue 12 "Money is never changed silently", Lexware column: each case goes through our provider to the
 * lexoffice sandbox, which prices it with its own arithmetic. Each gives the vendor's exact amount (worked
 * out by hand below from money.md §3.2) or a refusal before anything is sent, never a changed amount.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/accounting/errors';
import type { DocumentDraft, DraftLine } from '../../src/accounting/provider';
import { startLexofficeMoneyRig, type LexofficeMoneyRig } from '../helpers/lexoffice-money';

interface StoredLine {
  quantity: number;
  unitPrice: { currency: string; netAmount?: number; grossAmount?: number };
  discountPercentage: number;
  lineItemAmount: number;
}

describe('lexoffice money cases (issue 12)', () => {
  let rig: LexofficeMoneyRig;
  beforeAll(async () => {
    rig = await startLexofficeMoneyRig();
  });
  afterAll(() => rig.running.close());

  /** Creates through the provider; returns the read-back totals, the prediction and the stored lines. */
  async function create(draft: DocumentDraft) {
    const document = await rig.provider.createDocument(draft);
    const stored = (await rig.call('GET', `/v1/invoices/${document.id}`)).body as { lineItems: StoredLine[]; totalPrice: { currency: string } };
    return { totals: document.totals, predicted: rig.provider.predictTotals(draft), lines: stored.lineItems, currency: stored.totalPrice.currency };
  }

  it('4-decimal prices and 3-decimal quantities reach Lexware unchanged: 1000 × 0.0125 is 12.50, not 10.00 or 11.90', async () => {
    const result = await create(
      rig.draft([
        { name: 'Etiketten Thermodruck, Rolle à 1000 Stück', quantity: '1000', unitPrice: '0.0125', taxRatePercent: '19' },
        { name: 'Roggenmehl Type 1150, lose (kg)', quantity: '12.375', unitPrice: '3.4567', taxRatePercent: '7' },
      ]),
    );
    expect(result.lines.map((l) => [l.quantity, l.unitPrice.netAmount])).toEqual([
      [1000, 0.0125],
      [12.375, 3.4567],
    ]);
    // 12.50 @ 19 → 2.375 → 2.38; 12.375 × 3.4567 = 42.7766625 → 42.78 @ 7 → 2.9946 → 2.99.
    expect(result.lines.map((l) => l.lineItemAmount)).toEqual([12.5, 42.78]);
    expect(result.totals).toEqual({ net: '55.28', tax: '5.37', gross: '60.65' });
    expect(result.predicted).toEqual(result.totals);
  });

  it('a percentage discount on a fractional quantity is taken from the exact quantity × price', async () => {
    // 1.75 × 33.33 = 58.3275; −12.5 % = 51.0365625 → 51.04 (the discount rounded first, 7.29, gives the same);
    // tax 51.04 × 0.19 = 9.6976 → 9.70.
    const result = await create(
      rig.draft([
        { name: 'Schulung Warenwirtschaft für Filialleitungen (Stunden)', quantity: '1.75', unitPrice: '33.33', taxRatePercent: '19', discountPercent: '12.5' },
      ]),
    );
    expect(result.lines[0]).toMatchObject({ quantity: 1.75, discountPercentage: 12.5, lineItemAmount: 51.04 });
    expect(result.totals).toEqual({ net: '51.04', tax: '9.70', gross: '60.74' });
    expect(result.predicted).toEqual(result.totals);
  });

  it('a HubSpot unit discount arrives as the exact lower unit price: 7 × (19.995 − 2.00) is 125.97, not 7 × 18.00', async () => {
    // invoicing/draft.ts sends price − discount (money.md §2, H-1); HubSpot's amount is 7 × 19.995 − 7 × 2 = 125.965.
    const result = await create(
      rig.draft([{ name: 'Wartungspauschale Kassensystem Filiale Schwabing', quantity: '7', unitPrice: '17.995', taxRatePercent: '19' }]),
    );
    expect(result.lines[0].unitPrice.netAmount).toBe(17.995);
    // 125.965 → 125.97; tax 23.9343 → 23.93.
    expect(result.totals).toEqual({ net: '125.97', tax: '23.93', gross: '149.90' });
    expect(result.predicted).toEqual(result.totals);
  });

  it('a 100 % discount line costs nothing and leaves the other lines alone', async () => {
    const result = await create(
      rig.draft([
        { name: 'Montage Ladeneinrichtung Filiale Hölzl Pasing', quantity: '2', unitPrice: '120.00', taxRatePercent: '19' },
        { name: 'Anfahrt (entfällt aus Kulanz)', quantity: '1', unitPrice: '45.00', taxRatePercent: '19', discountPercent: '100' },
      ]),
    );
    expect(result.lines.map((l) => l.lineItemAmount)).toEqual([240, 0]);
    expect(result.totals).toEqual({ net: '240.00', tax: '45.60', gross: '285.60' });
    expect(result.predicted).toEqual(result.totals);
  });

  it('gross prices go in Lexware gross mode; the customer pays the sum of the gross prices', async () => {
    const result = await create(
      rig.draft(
        [
          { name: 'Präsentkorb „Hölzl Klassik“ mit Stollen', quantity: '2', unitPrice: '59.90', taxRatePercent: '19' },
          { name: 'Butterstollen 1 kg, handgewirkt', quantity: '3', unitPrice: '24.95', taxRatePercent: '7' },
        ],
        'gross',
      ),
    );
    expect(result.lines.map((l) => l.unitPrice.grossAmount)).toEqual([59.9, 24.95]);
    // 19 %: 119.80 / 1.19 = 100.6723 → 100.67, tax 19.13; 7 %: 74.85 / 1.07 = 69.9533 → 69.95, tax 4.90.
    expect(result.totals).toEqual({ net: '170.62', tax: '24.03', gross: '194.65' });
    expect(result.predicted).toEqual(result.totals);
  });

  it('VAT is taken once per rate (money.md §9 #1, settled): ten 0.03 lines at 19 % carry 0.06 tax, not 0.10', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => ({
      name: `Brezenpapier Bedruckt, Bündel ${i + 1}`,
      quantity: '1',
      unitPrice: '0.03',
      taxRatePercent: '19',
    }));
    const result = await create(rig.draft(lines));
    expect(result.totals).toEqual({ net: '0.30', tax: '0.06', gross: '0.36' });
    expect(result.predicted).toEqual(result.totals);
  });

  const refused: { what: string; lines: DraftLine[]; currency?: string; reason: RegExp }[] = [
    {
      what: 'a negative line (rebate)',
      lines: [{ name: 'Treuerabatt Stammkunde 2027', quantity: '1', unitPrice: '-25.00', taxRatePercent: '19' }],
      reason: /no negative lines/,
    },
    {
      what: 'a unit discount larger than the price',
      lines: [{ name: 'Brezen-Aktion', quantity: '10', unitPrice: '-0.05', taxRatePercent: '7' }],
      reason: /no negative lines/,
    },
    {
      what: 'an unsupported currency (CHF)',
      lines: [{ name: 'Beratung Filiale Zürich', quantity: '1', unitPrice: '100.00', taxRatePercent: '19' }],
      currency: 'CHF',
      reason: /only EUR, not CHF/,
    },
    { what: 'a 5-decimal price', lines: [{ name: 'Etiketten', quantity: '3', unitPrice: '2.49999', taxRatePercent: '19' }], reason: /more than 4 decimals/ },
  ];
  for (const { what, lines, currency, reason } of refused) {
    it(`refuses ${what} with a reason before anything is sent`, async () => {
      const before = rig.sandbox.store.vouchers.size;
      const attempt = rig.provider.createDocument(
        rig.draft([{ name: 'Brot', quantity: '1', unitPrice: '3.20', taxRatePercent: '7' }, ...lines], 'net', currency),
      );
      await expect(attempt).rejects.toBeInstanceOf(ProviderError);
      await expect(attempt).rejects.toMatchObject({ kind: 'validation', message: expect.stringMatching(reason) });
      expect(rig.sandbox.store.vouchers.size).toBe(before);
    });
  }

  it("the sandbox refuses another currency with the vendor's regular 406, naming both currency fields", async () => {
    const answer = await rig.call('POST', '/v1/invoices', {
      voucherDate: '2026-03-10T00:00:00.000+01:00',
      address: { contactId: rig.contactId },
      lineItems: [
        {
          type: 'custom',
          name: 'Beratung Filiale Zürich',
          quantity: 1,
          unitName: 'Stunde',
          unitPrice: { currency: 'CHF', netAmount: 100, taxRatePercentage: 19 },
        },
      ],
      totalPrice: { currency: 'CHF' },
      taxConditions: { taxType: 'net' },
      shippingConditions: { shippingType: 'service', shippingDate: '2026-03-10T00:00:00.000+01:00' },
    });
    expect(answer.status).toBe(406);
    expect(answer.body).toMatchObject({ status: 406, error: 'Not Acceptable', path: '/v1/invoices' });
    const fields = (answer.body.details as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['lineItems[0].unitPrice.currency', 'totalPrice.currency']);
  });
});
