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
  const invoiceDate = hubspotDate(record.documentDate);
  if (invoiceDate) properties[dealProperties.invoiceDate] = invoiceDate;
  if (record.documentUrl) properties[dealProperties.documentUrl] = record.documentUrl;
  const paymentDate = hubspotDate(record.paidDate);
  if (paymentDate) properties[dealProperties.paymentDate] = paymentDate;
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

/**
 * Every plan: the invoice was cancelled; the credit note's (or cancellation invoice's) number goes to the
 * deal, the invoice number stays, so both documents can be found from the deal.
 */
export async function writeCancellation(hubspot: HubspotClients, record: InvoiceRecord): Promise<void> {
  const properties: Record<string, string> = { [dealProperties.invoiceStatus]: 'cancelled', [dealProperties.invoiceReason]: '' };
  if (record.cancellationNumber) properties[dealProperties.creditNoteNumber] = record.cancellationNumber;
  await updateDeal(hubspot, record, properties);
}

/**
 * A value for a HubSpot `date` property: `YYYY-MM-DD`, which HubSpot reads as midnight UTC. HubSpot refuses
 * any other time of day with 400 INVALID_DATE "… not midnight!" and then stores none of the update
 * (hubspot.md §6.1, §6.4; github.com/HubSpot/hubspot-api-php/issues/74), so a vendor's date-time keeps its
 * calendar day and anything that is not a date is left out.
 */
export function hubspotDate(value: string | null | undefined): string | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value ?? '');
  if (!day) return undefined;
  const [, y, m, d] = day.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? day[0].slice(0, 10) : undefined;
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

/**
 * A 400 the property setup cures: one of our properties is missing, or our status property lacks an
 * option we write (INVALID_OPTION naming it). HubSpot stored nothing of the update, so it is sent again.
 */
function fixableBySetup(body: string): boolean {
  return body.includes('PROPERTY_DOESNT_EXIST') || (body.includes('INVALID_OPTION') && body.includes(dealProperties.invoiceStatus));
}

async function updateDeal(hubspot: HubspotClients, record: InvoiceRecord, properties: Record<string, string>): Promise<void> {
  const update = () => hubspot.call(record.portalId, (c) => c.crm.deals.basicApi.update(record.dealId, { properties }), { idempotent: true });
  try {
    await update().catch(async (error: unknown) => {
      if (!(error instanceof HubspotError && error.status === 400 && fixableBySetup(JSON.stringify(error.body ?? error.message)))) throw error;
      await ensureDealProperties(hubspot, record.portalId);
      return update();
    });
  } catch (error) {
    // A portal rule (hubspot.md §6.1) can refuse even a write of our own properties, e.g. when an admin made a
    // field required whenever the invoice status has some value. Only the admin can change that: wait, then retry.
    const refusal = ruleRefusalOf(error);
    if (refusal) throw new HubspotRuleRefused(refusal, { cause: error });
    throw error;
  }
}
