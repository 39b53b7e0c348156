/**
 * HubSpot contact and company properties ↔ the neutral sync content. `country` is free text in
 * HubSpot; only a two-letter code or a known country name maps to a code (as invoicing/gather.ts does).
 * VAT id and customer number have no HubSpot default property: they go to our own
 * `apiup_vat_id` / `apiup_customer_number` (created by hubspot-properties.ts).
 */
import type { Content, ObjectType, SyncField } from './content';
import { cleanContent } from './content';
import { countryCodeOf } from '../lib/country';

export const customProperties = { vatId: 'apiup_vat_id', customerNumber: 'apiup_customer_number' } as const;
/** Company-only properties for e-invoices: the buyer reference (Leitweg-ID, BT-10) and our supplier number at that customer. */
export const eInvoiceProperties = { buyerReference: 'apiup_buyer_reference', vendorNumberAtCustomer: 'apiup_vendor_number_at_customer' } as const;

/** Neutral field → HubSpot property, per object type. A field missing here is not synced for that type. */
export const propertyOf: Record<ObjectType, Partial<Record<SyncField, string>>> = {
  contact: {
    firstName: 'firstname',
    lastName: 'lastname',
    companyName: 'company',
    email: 'email',
    phone: 'phone',
    street: 'address',
    zip: 'zip',
    city: 'city',
    countryCode: 'country',
    vatId: customProperties.vatId,
    customerNumber: customProperties.customerNumber,
  },
  company: {
    companyName: 'name',
    phone: 'phone',
    street: 'address',
    zip: 'zip',
    city: 'city',
    countryCode: 'country',
    vatId: customProperties.vatId,
    customerNumber: customProperties.customerNumber,
  },
};

/** HubSpot's record modification time property (contacts differ from other objects). */
export const modifiedProperty: Record<ObjectType, string> = { contact: 'lastmodifieddate', company: 'hs_lastmodifieddate' };

export const hubspotTypeOf: Record<ObjectType, 'contacts' | 'companies'> = { contact: 'contacts', company: 'companies' };

export function propertiesToRead(objectType: ObjectType): string[] {
  return [...Object.values(propertyOf[objectType]), modifiedProperty[objectType]];
}

/** A known country as its code; other free text is kept as written (the vendor's field takes text too). */
function countryCode(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  return v ? (countryCodeOf(v) ?? v) : undefined;
}

export function contentFromHubspot(objectType: ObjectType, properties: Record<string, string | null | undefined>): Content {
  const raw: Partial<Record<SyncField, string | null | undefined>> = {};
  for (const [field, property] of Object.entries(propertyOf[objectType]) as Array<[SyncField, string]>) raw[field] = properties[property];
  raw.countryCode = countryCode(raw.countryCode);
  return cleanContent(raw);
}

/** HubSpot properties for the given fields; an absent value clears the property (''). */
export function hubspotProperties(objectType: ObjectType, content: Content, fields: readonly SyncField[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of fields) {
    const property = propertyOf[objectType][field];
    if (property) out[property] = content[field] ?? '';
  }
  return out;
}

export function modifiedAtOf(objectType: ObjectType, properties: Record<string, string | null | undefined>): number | undefined {
  const raw = properties[modifiedProperty[objectType]];
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The fields synced for this object type. */
export function fieldsOf(objectType: ObjectType): SyncField[] {
  return Object.keys(propertyOf[objectType]) as SyncField[];
}

/** Content restricted to the fields synced for the type (a vendor's e-mail on a company is not compared). */
export function projectContent(objectType: ObjectType, content: Content): Content {
  const out: Content = {};
  for (const field of fieldsOf(objectType)) if (content[field] !== undefined) out[field] = content[field];
  return out;
}
