/**
 * Our contact and company properties for the fields HubSpot has no default for (VAT id, customer
 * number), in the "APIUP" group; created once per portal and process, idempotently (a 409 from a
 * concurrent attempt is the state we want), as hubspot/deal-properties.ts does for deals.
 */
import { HubspotError, type HubspotClients } from '../hubspot/client';
import { propertyGroup } from '../hubspot/deal-properties';
import { customProperties, eInvoiceProperties } from './hubspot-mapping';

const definitions = [
  {
    name: customProperties.vatId,
    label: 'VAT id (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'VAT id, kept in sync with the accounting system.',
  },
  {
    name: customProperties.customerNumber,
    label: 'Customer number (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Customer number in the accounting system.',
  },
];

/** Companies only: what an e-invoice to a public body needs (invoicing/einvoice.ts). */
const companyDefinitions = [
  {
    name: eInvoiceProperties.buyerReference,
    label: 'Buyer reference / Leitweg-ID (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Buyer reference (Leitweg-ID for German public bodies) printed on e-invoices to this company.',
  },
  {
    name: eInvoiceProperties.vendorNumberAtCustomer,
    label: 'Our supplier number at this customer (APIUP)',
    type: 'string',
    fieldType: 'text',
    groupName: propertyGroup.name,
    description: 'Our supplier number at this customer; Lexware Office asks for it with the Leitweg-ID.',
  },
];

export class SyncPropertySetup {
  private readonly done = new Map<string, Promise<void>>();

  constructor(private readonly clients: HubspotClients) {}

  ensure(portalId: string): Promise<void> {
    let pending = this.done.get(portalId);
    if (!pending) {
      pending = Promise.all([this.ensureFor(portalId, 'contacts'), this.ensureFor(portalId, 'companies')]).then(() => undefined);
      pending.catch(() => this.done.delete(portalId));
      this.done.set(portalId, pending);
    }
    return pending;
  }

  private async ensureFor(portalId: string, objectType: 'contacts' | 'companies'): Promise<void> {
    await this.clients.call(portalId, (c) => c.crm.properties.groupsApi.create(objectType, { ...propertyGroup }), { idempotent: false }).catch(ignoreConflict);
    const existing = await this.clients.call(portalId, (c) => c.crm.properties.coreApi.getAll(objectType), { idempotent: true });
    const have = new Set(existing.results.map((p) => p.name));
    const missing = [...definitions, ...(objectType === 'companies' ? companyDefinitions : [])].filter((d) => !have.has(d.name));
    if (missing.length === 0) return;
    await this.clients
      .call(portalId, (c) => c.crm.properties.batchApi.create(objectType, { inputs: missing as never }), { idempotent: false })
      .catch(ignoreConflict);
  }
}

function ignoreConflict(error: unknown): void {
  if (error instanceof HubspotError && error.status === 409) return;
  throw error;
}
