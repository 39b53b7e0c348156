import { describe, expect, it } from 'vitest';
import type { InvoiceRecord } from './records';
import { invoiceWarnings, totalsDiffer } from './warnings';

const record = (overrides: Partial<InvoiceRecord> = {}): InvoiceRecord => ({
  portalId: '1',
  dealId: '2',
  status: 'created',
  reasonCode: null,
  reasonDetail: null,
  retryable: null,
  provider: 'qonto',
  kind: 'invoice',
  reference: 'APIUP-1-2',
  customerId: 'c1',
  documentId: 'd1',
  documentNumber: 'RE-2027-0042',
  documentDate: '2027-01-15',
  documentUrl: null,
  currency: 'EUR',
  totalNet: '12.50',
  totalTax: '2.38',
  totalGross: '14.88',
  predictedNet: '12.5',
  predictedTax: '2.38',
  predictedGross: '14.88',
  defaultTaxRateLines: null,
  finalizedAt: null,
  eInvoiceXml: null,
  emailSentAt: null,
  emailAttemptedAt: null,
  paidDate: null,
  writtenBackAt: null,
  quotationId: null,
  quotationNumber: null,
  cancelRequestedAt: null,
  cancellationKind: null,
  cancellationId: null,
  cancellationNumber: null,
  cancelledAt: null,
  cancelledCount: 0,
  history: [],
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

describe('invoice warnings', () => {
  it('sees no difference where the vendor totals equal the prediction as decimals', () => {
    expect(totalsDiffer(record())).toBe(false);
    expect(invoiceWarnings(record(), 'de')).toEqual([]);
  });

  it('warns with both figures when the vendor totals differ from the prediction', () => {
    const differs = record({ totalNet: '10.00', totalTax: '1.90', totalGross: '11.90' });
    expect(totalsDiffer(differs)).toBe(true);
    expect(invoiceWarnings(differs, 'en')).toEqual([
      {
        code: 'totals_differ',
        message:
          'The accounting system computed other totals than predicted: gross 11.90 instead of 14.88 EUR (net 10.00 instead of 12.5, tax 1.90 instead of 2.38). Please check the invoice in the accounting system.',
      },
    ]);
  });

  it('names each line that carries the default tax rate', () => {
    const warnings = invoiceWarnings(record({ defaultTaxRateLines: [{ line: 2, name: 'Anfahrtspauschale Großraum München', ratePercent: '19' }] }), 'de');
    expect(warnings).toEqual([
      {
        code: 'default_tax_rate_used',
        message: 'Position 2 „Anfahrtspauschale Großraum München“ hat in HubSpot keinen Steuersatz; es gilt der Standardsatz 19 %.',
      },
    ]);
  });
});
