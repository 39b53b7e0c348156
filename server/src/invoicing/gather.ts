/**
 * Reads what an invoice needs from HubSpot: the deal, its line items (one batch call), the primary
 * company (else the first contact) with address, whether a quote is associated, and each line's tax
 * rate from the portal's tax rate library.
 */
import type { CustomerInput } from '../accounting/provider';
import { associatedIds, associationGroup } from '../hubspot/associations';
import type { HubspotClients } from '../hubspot/client';
import type { TaxRateCache } from '../hubspot/tax-rates';
import { customProperties, eInvoiceProperties } from '../sync/hubspot-mapping';
import type { DealData, HubspotParty, LineItemData } from './deal-data';
import { countryCodeOf } from '../lib/country';

const dealProperties = ['dealname', 'amount', 'deal_currency_code', 'closedate', 'dealstage', 'pipeline'];
const lineItemProperties = [
  'name',
  'description',
  'hs_sku',
  'hs_product_id',
  'quantity',
  'price',
  'discount',
  'hs_discount_percentage',
  'hs_tax_rate_group_id',
];
/** HubSpot has no VAT id property of its own: ours (`apiup_vat_id`) is the one the sync keeps on contacts and companies. */
const vatId = customProperties.vatId;
const companyProperties = [
  'name',
  'address',
  'zip',
  'city',
  'country',
  'domain',
  'phone',
  vatId,
  'hs_country_code',
  eInvoiceProperties.buyerReference,
  eInvoiceProperties.vendorNumberAtCustomer,
];
const contactProperties = ['firstname', 'lastname', 'email', 'phone', 'address', 'zip', 'city', 'country', 'company', vatId];

/**
 * The v3 `type` of the primary deal→company association (type id 5). The primary company is listed twice,
 * as `deal_to_company` and `deal_to_company_unlabeled` (hubspot.md §6.1); the type name's upper-case
 * spelling is tolerated.
 */
const isPrimaryCompany = (type: string) => type.toLowerCase() === 'deal_to_company';

export class DealNotFound extends Error {
  constructor(readonly dealId: string) {
    super(`deal ${dealId} not found in HubSpot`);
  }
}

/** The deal's primary company, else its first associated one. */
export function primaryCompanyId(associations: unknown): string | undefined {
  const companies = associationGroup(associations, 'companies')?.results ?? [];
  return (companies.find((r) => isPrimaryCompany(r.type)) ?? companies[0])?.id;
}

export async function gatherDeal(hubspot: HubspotClients, taxRates: TaxRateCache, portalId: string, dealId: string): Promise<DealData> {
  const deal = await hubspot
    .call(portalId, (c) => c.crm.deals.basicApi.getById(dealId, dealProperties, undefined, ['line_items', 'companies', 'contacts', 'quotes']), {
      idempotent: true,
    })
    .catch((error: { status?: number }) => {
      if (error.status === 404) throw new DealNotFound(dealId);
      throw error;
    });
  const p = deal.properties;
  const companyId = primaryCompanyId(deal.associations);
  const contactId = associationGroup(deal.associations, 'contacts')?.results[0]?.id;
  const lineItemIds = await associatedIds(
    hubspot,
    portalId,
    { objectType: 'deals', id: dealId },
    associationGroup(deal.associations, 'line_items'),
    'line_items',
  );

  const [lineItems, company, contact] = await Promise.all([
    readLineItems(hubspot, taxRates, portalId, lineItemIds),
    companyId ? readCompany(hubspot, portalId, companyId) : undefined,
    contactId ? readContact(hubspot, portalId, contactId) : undefined,
  ]);
  return {
    dealId,
    name: p.dealname ?? `Deal ${dealId}`,
    amount: p.amount || undefined,
    currency: p.deal_currency_code || undefined,
    closeDate: p.closedate || undefined,
    stageId: p.dealstage || undefined,
    pipelineId: p.pipeline || undefined,
    lineItems,
    company,
    contact,
    hasQuote: (associationGroup(deal.associations, 'quotes')?.results.length ?? 0) > 0,
  };
}

async function readLineItems(hubspot: HubspotClients, taxRates: TaxRateCache, portalId: string, ids: string[]): Promise<LineItemData[]> {
  const items: LineItemData[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100);
    const response = await hubspot.call(
      portalId,
      (c) => c.crm.lineItems.batchApi.read({ inputs: batch.map((id) => ({ id })), properties: lineItemProperties, propertiesWithHistory: [] }),
      { idempotent: true },
    );
    for (const item of response.results) {
      const q = item.properties;
      const taxGroup = q.hs_tax_rate_group_id || undefined;
      items.push({
        id: item.id,
        name: q.name || `Position ${item.id}`,
        description: q.description || undefined,
        sku: q.hs_sku || undefined,
        productId: q.hs_product_id || undefined,
        quantity: q.quantity || undefined,
        price: q.price || undefined,
        discountPercent: q.hs_discount_percentage || undefined,
        discountPerUnit: q.discount || undefined,
        taxRatePercent: taxGroup ? await taxRates.percentage(portalId, taxGroup) : undefined,
      });
    }
  }
  // Keep HubSpot's association order stable for the document.
  return items.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
}

async function readCompany(hubspot: HubspotClients, portalId: string, id: string): Promise<HubspotParty> {
  const company = await hubspot.call(portalId, (c) => c.crm.companies.basicApi.getById(id, companyProperties), { idempotent: true });
  const q = company.properties;
  const eInvoice = {
    buyerReference: q[eInvoiceProperties.buyerReference]?.trim() || undefined,
    vendorNumberAtCustomer: q[eInvoiceProperties.vendorNumberAtCustomer]?.trim() || undefined,
  };
  return { id, objectType: 'company', customer: companyToCustomer(q), eInvoice };
}

async function readContact(hubspot: HubspotClients, portalId: string, id: string): Promise<HubspotParty> {
  const contact = await hubspot.call(portalId, (c) => c.crm.contacts.basicApi.getById(id, contactProperties), { idempotent: true });
  return { id, objectType: 'contact', customer: contactToCustomer(contact.properties) };
}

export function companyToCustomer(q: Record<string, string | null>): CustomerInput {
  return {
    kind: 'company',
    companyName: q.name ?? undefined,
    phone: q.phone || undefined,
    vatId: q[vatId] || undefined,
    address: address(q),
  };
}

export function contactToCustomer(q: Record<string, string | null>): CustomerInput {
  return {
    kind: 'person',
    firstName: q.firstname || undefined,
    lastName: q.lastname || undefined,
    email: q.email || undefined,
    phone: q.phone || undefined,
    vatId: q[vatId] || undefined,
    address: address(q),
  };
}

function address(q: Record<string, string | null>): CustomerInput['address'] {
  const result = {
    street: q.address || undefined,
    zip: q.zip || undefined,
    city: q.city || undefined,
    countryCode: countryCodeOf(q.hs_country_code ?? q.country),
  };
  return Object.values(result).some(Boolean) ? result : undefined;
}
