import { dealProperties } from '../hubspot/deal-properties';
import type { HubspotClients } from '../hubspot/client';
import type { InvoiceRecord } from './records';

/** Business Plus: invoice number, date, status, link — and the payment date once paid — onto the deal. */
export async function writeBackDocument(hubspot: HubspotClients, record: InvoiceRecord): Promise<void> {
  const properties: Record<string, string> = {
    [dealProperties.invoiceStatus]: record.status === 'creating' ? 'pending' : record.status,
  };
  if (record.documentNumber) properties[dealProperties.invoiceNumber] = record.documentNumber;
  if (record.documentDate) properties[dealProperties.invoiceDate] = record.documentDate;
  if (record.documentUrl) properties[dealProperties.documentUrl] = record.documentUrl;
  if (record.paidDate) properties[dealProperties.paymentDate] = record.paidDate;
  await hubspot.call(record.portalId, (c) => c.crm.deals.basicApi.update(record.dealId, { properties }), { idempotent: true });
}
