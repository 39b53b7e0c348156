/**
 * What the user must see about a created document although it exists: the vendor's read-back totals
 * differ from our prediction, or lines carry the portal's default tax rate because HubSpot gave none.
 * Shown on the deal card (`invoice.warnings`) and in the activity log next to the invoice job.
 */
import { formatMessage } from './messages';
import { dec } from '../money/decimal';
import type { InvoiceRecord } from './records';

export interface InvoiceWarning {
  code: 'totals_differ' | 'default_tax_rate_used';
  message: string;
}

export function invoiceWarnings(record: InvoiceRecord, locale: 'de' | 'en'): InvoiceWarning[] {
  const warnings: InvoiceWarning[] = [];
  if (totalsDiffer(record)) {
    const params = {
      currency: record.currency ?? '',
      predictedNet: record.predictedNet ?? '',
      predictedTax: record.predictedTax ?? '',
      predictedGross: record.predictedGross ?? '',
      actualNet: record.totalNet ?? '',
      actualTax: record.totalTax ?? '',
      actualGross: record.totalGross ?? '',
    };
    warnings.push({ code: 'totals_differ', message: formatMessage('totals_differ', locale, params) });
  }
  for (const line of record.defaultTaxRateLines ?? []) {
    warnings.push({
      code: 'default_tax_rate_used',
      message: formatMessage('default_tax_rate_used', locale, { line: line.line, name: line.name, rate: line.ratePercent }),
    });
  }
  return warnings;
}

/** The vendor's read-back totals are not the ones we predicted for the draft we sent (the card and the activity log show it). */
export function totalsDiffer(
  record: Pick<InvoiceRecord, 'predictedNet' | 'predictedTax' | 'predictedGross' | 'totalNet' | 'totalTax' | 'totalGross'>,
): boolean {
  if (!record.predictedGross || !record.totalGross) return false;
  const same = (a: string | null, b: string | null) => a !== null && b !== null && dec(a).equals(dec(b));
  return !(same(record.predictedNet, record.totalNet) && same(record.predictedTax, record.totalTax) && same(record.predictedGross, record.totalGross));
}
