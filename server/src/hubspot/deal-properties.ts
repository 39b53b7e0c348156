/**
 * The "APIUP" property group and deal properties we write back (invoice number, dates, status, link).
 * Created on install, idempotently: existing ones are read first and only missing ones are created.
 */
import type { HubspotClients } from './client';
import { HubspotError } from './client';

export const propertyGroup = { name: 'apiup', label: 'APIUP', displayOrder: -1 } as const;

export const invoiceStatuses = ['pending', 'created', 'sent', 'paid', 'skipped', 'failed', 'needs_attention', 'cancelled'] as const;

export const dealProperties = {
  invoiceNumber: 'apiup_invoice_number',
  invoiceDate: 'apiup_invoice_date',
  paymentDate: 'apiup_payment_date',
  invoiceStatus: 'apiup_invoice_status',
  documentUrl: 'apiup_document_url',
  invoiceReason: 'apiup_invoice_reason',
  creditNoteNumber: 'apiup_credit_note_number',
} as const;

type PropertyCreate = {
  name: string;
  label: string;
  type: 'string' | 'date' | 'enumeration';
  fieldType: 'text' | 'textarea' | 'date' | 'select';
  groupName: string;
  description: string;
  options?: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
};

export const dealPropertyDefinitions: PropertyCreate[] = [
  {
    name: dealProperties.invoiceNumber,
    label: 'Invoice number (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Number of the invoice APIUP created in the accounting system.',
  },
  // Date properties must be midnight UTC (hubspot.md §6.4); we write YYYY-MM-DD.
  {
    name: dealProperties.invoiceDate,
    label: 'Invoice date (APIUP)',
    type: 'date',
    fieldType: 'date',
    groupName: propertyGroup.name,
    description: 'Date of the invoice.',
  },
  {
    name: dealProperties.paymentDate,
    label: 'Payment date (APIUP)',
    type: 'date',
    fieldType: 'date',
    groupName: propertyGroup.name,
    description: 'Date the invoice was paid, as the accounting system reports it.',
  },
  {
    name: dealProperties.invoiceStatus,
    label: 'Invoice status (APIUP)',
    type: 'enumeration',
    fieldType: 'select',
    groupName: propertyGroup.name,
    description: 'Where the invoice for this deal stands.',
    options: invoiceStatuses.map((value, displayOrder) => ({ label: value.replace('_', ' '), value, displayOrder, hidden: false })),
  },
  {
    name: dealProperties.documentUrl,
    label: 'Invoice link (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Link to the document in the accounting system.',
  },
  {
    name: dealProperties.invoiceReason,
    label: 'Invoice status reason (APIUP)',
    type: 'string',
    fieldType: 'textarea',
    groupName: propertyGroup.name,
    description: 'Why the invoice was skipped, failed or needs attention; empty once the invoice exists.',
  },
  {
    name: dealProperties.creditNoteNumber,
    label: 'Credit note number (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Number of the credit note or cancellation invoice that cancelled the invoice, after the deal was lost or reopened.',
  },
];

/** Creates the group and any missing deal property; safe to repeat. Returns the names it created. */
export async function ensureDealProperties(hubspot: HubspotClients, portalId: string): Promise<string[]> {
  const groupExists = await hubspot
    .call(portalId, (c) => c.crm.properties.groupsApi.getByName('deals', propertyGroup.name), { idempotent: true })
    .then(() => true)
    .catch((error: unknown) => {
      if (error instanceof HubspotError && error.status === 404) return false;
      throw error;
    });
  if (!groupExists) {
    await hubspot.call(portalId, (c) => c.crm.properties.groupsApi.create('deals', { ...propertyGroup }), { idempotent: false }).catch(ignoreConflict);
  }
  // The spec requires `dataSensitivity` here, which the library's model would drop: send the body as is.
  const existing = await hubspot.call(
    portalId,
    async (c) => {
      const response = await c.apiRequest({
        method: 'POST',
        path: '/crm/v3/properties/deals/batch/read',
        body: { archived: false, dataSensitivity: 'non_sensitive', inputs: dealPropertyDefinitions.map((p) => ({ name: p.name })) },
      });
      if (!response.ok) throw new HubspotError(response.status, `property batch read answered ${response.status}`, await response.text());
      return (await response.json()) as { results: ExistingProperty[] };
    },
    { idempotent: true },
  );
  const have = new Set(existing.results.map((p) => p.name));
  const missing = dealPropertyDefinitions.filter((p) => !have.has(p.name));
  if (missing.length > 0) {
    await hubspot.call(portalId, (c) => c.crm.properties.batchApi.create('deals', { inputs: missing as never }), { idempotent: false }).catch(ignoreConflict);
  }
  await addMissingOptions(hubspot, portalId, existing.results);
  return missing.map((p) => p.name);
}

interface ExistingProperty {
  name: string;
  options?: Array<{ label: string; value: string; displayOrder?: number; hidden?: boolean }>;
}

/**
 * HubSpot refuses a whole update when one enumeration value is not among the property's options (400
 * INVALID_OPTION, hubspot.md §6.1), so an existing status property (made by an older version, or edited
 * in HubSpot) gets the options we write added; options the portal has are kept as they are.
 */
async function addMissingOptions(hubspot: HubspotClients, portalId: string, existing: ExistingProperty[]): Promise<void> {
  for (const definition of dealPropertyDefinitions) {
    const current = existing.find((p) => p.name === definition.name);
    if (!current || !definition.options) continue;
    const values = new Set((current.options ?? []).map((o) => o.value));
    const lacking = definition.options.filter((o) => !values.has(o.value));
    if (lacking.length === 0) continue;
    const options = [...(current.options ?? []), ...lacking.map((o, i) => ({ ...o, displayOrder: (current.options?.length ?? 0) + i }))];
    await hubspot.call(portalId, (c) => c.crm.properties.coreApi.update('deals', definition.name, { options: options as never }), { idempotent: true });
  }
}

/** 409: another attempt created it first — that is the state we want. */
function ignoreConflict(error: unknown): void {
  if (error instanceof HubspotError && error.status === 409) return;
  throw error;
}
