import { HubspotError, type HubspotClients } from '../hubspot/client';
import { dealProperties, ensureDealProperties } from '../hubspot/deal-properties';
import type { InvoiceRecord } from './records';

/**
 * Business Plus: invoice number, date, status, link — and the payment date once paid — onto the deal.
 * If our properties are missing (setup not run yet, or deleted by a user), they are created first.
 */
export async function writeBackDocument(hubspot: HubspotClients, record: InvoiceRecord): Promise<void> {
  const properties: Record<string, string> = {
    [dealProperties.invoiceStatus]: record.status === 'creating' ? 'pending' : record.status,
  };
  if (record.documentNumber) properties[dealProperties.invoiceNumber] = record.documentNumber;
  if (record.documentDate) properties[dealProperties.invoiceDate] = record.documentDate;
  if (record.documentUrl) properties[dealProperties.documentUrl] = record.documentUrl;
  if (record.paidDate) properties[dealProperties.paymentDate] = record.paidDate;
  const update = () => hubspot.call(record.portalId, (c) => c.crm.deals.basicApi.update(record.dealId, { properties }), { idempotent: true });
  try {
    await update();
  } catch (error) {
    if (!(error instanceof HubspotError && error.status === 400 && JSON.stringify(error.body ?? error.message).includes('PROPERTY_DOESNT_EXIST'))) throw error;
    await ensureDealProperties(hubspot, record.portalId);
    await update();
  }
}
