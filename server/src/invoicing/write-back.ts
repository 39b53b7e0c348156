import { HubspotError, type HubspotClients } from '../hubspot/client';
import { dealProperties, ensureDealProperties } from '../hubspot/deal-properties';
import { HubspotRuleRefused, ruleRefusalOf } from '../hubspot/required-rules';
import { formatMessage } from './messages';
import type { InvoiceRecord } from './records';

/** The deal's `apiup_invoice_status` for our record's status. */
function dealStatus(record: InvoiceRecord): string {
  return record.status === 'creating' ? 'pending' : record.status;
}

/**
 * Business Plus: invoice number, date, status, link — and the payment date once paid — onto the deal.
 * If our properties are missing (setup not run yet, or deleted by a user), they are created first.
 */
export async function writeBackDocument(hubspot: HubspotClients, record: InvoiceRecord): Promise<void> {
  const properties: Record<string, string> = { [dealProperties.invoiceStatus]: dealStatus(record), [dealProperties.invoiceReason]: '' };
  if (record.documentNumber) properties[dealProperties.invoiceNumber] = record.documentNumber;
  if (record.documentDate) properties[dealProperties.invoiceDate] = record.documentDate;
  if (record.documentUrl) properties[dealProperties.documentUrl] = record.documentUrl;
  if (record.paidDate) properties[dealProperties.paymentDate] = record.paidDate;
  await updateDeal(hubspot, record, properties);
}

/**
 * Every plan: the run's status and, for skipped, failed and waiting runs, the reason in words (in the
 * portal's language), so HubSpot views, reports and workflows can act on it. A later success clears it.
 */
export async function writeOutcome(hubspot: HubspotClients, record: InvoiceRecord, language: 'de' | 'en'): Promise<void> {
  const reason = record.reasonCode ? formatMessage(record.reasonCode, language, reasonParams(record.reasonDetail)) : '';
  await updateDeal(hubspot, record, { [dealProperties.invoiceStatus]: dealStatus(record), [dealProperties.invoiceReason]: reason });
}

/** A reason's parameters: stored as JSON for skips, as a plain detail string otherwise. */
export function reasonParams(detail: string | null): Record<string, string | number> {
  if (!detail) return {};
  try {
    const parsed = JSON.parse(detail) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as Record<string, string | number>;
  } catch {
    // a plain detail string
  }
  return { detail };
}

async function updateDeal(hubspot: HubspotClients, record: InvoiceRecord, properties: Record<string, string>): Promise<void> {
  const update = () => hubspot.call(record.portalId, (c) => c.crm.deals.basicApi.update(record.dealId, { properties }), { idempotent: true });
  try {
    await update().catch((error: unknown) => {
      if (!(error instanceof HubspotError && error.status === 400 && JSON.stringify(error.body ?? error.message).includes('PROPERTY_DOESNT_EXIST'))) throw error;
      return ensureDealProperties(hubspot, record.portalId).then(update);
    });
  } catch (error) {
    // A portal rule (hubspot.md §6.1) can refuse even a write of our own properties, e.g. when an admin made a
    // field required whenever the invoice status has some value. Only the admin can change that: wait, then retry.
    const refusal = ruleRefusalOf(error);
    if (refusal) throw new HubspotRuleRefused(refusal, { cause: error });
    throw error;
  }
}
