/**
 * The neutral content the sync compares and hashes: one flat record of the mapped fields, the same
 * for HubSpot and the accounting side. Values are trimmed; an empty value is absent. Hashes never
 * contain customer data in clear (the link table stores only hashes, STYLE.md "Logging").
 */
import { createHash } from 'node:crypto';
import type { CustomerInput } from '../accounting/provider';

export const syncFields = [
  'firstName',
  'lastName',
  'companyName',
  'email',
  'phone',
  'street',
  'zip',
  'city',
  'countryCode',
  'vatId',
  'customerNumber',
] as const;
export type SyncField = (typeof syncFields)[number];
export type Content = Partial<Record<SyncField, string>>;
export type ObjectType = 'contact' | 'company';
export type FieldHashes = Partial<Record<SyncField, string>>;

export function cleanContent(raw: Partial<Record<SyncField, string | null | undefined>>): Content {
  const out: Content = {};
  for (const field of syncFields) {
    const value = raw[field]?.trim();
    if (value) out[field] = value;
  }
  return out;
}

export function contentFromCustomer(c: CustomerInput): Content {
  return cleanContent({
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    email: c.email,
    phone: c.phone,
    street: c.address?.street,
    zip: c.address?.zip,
    city: c.address?.city,
    countryCode: c.address?.countryCode,
    vatId: c.vatId,
    customerNumber: c.customerNumber,
  });
}

export function customerFromContent(objectType: ObjectType, c: Content, parentCompanyId?: string): CustomerInput {
  const address = { street: c.street, zip: c.zip, city: c.city, countryCode: c.countryCode };
  return {
    kind: objectType === 'company' ? 'company' : 'person',
    companyName: c.companyName,
    firstName: objectType === 'contact' ? c.firstName : undefined,
    lastName: objectType === 'contact' ? c.lastName : undefined,
    email: c.email,
    phone: c.phone,
    address: Object.values(address).some(Boolean) ? address : undefined,
    vatId: c.vatId,
    customerNumber: c.customerNumber,
    ...(parentCompanyId ? { parentCompanyId } : {}),
  };
}

export const objectTypeOfKind = (kind: CustomerInput['kind']): ObjectType => (kind === 'company' ? 'company' : 'contact');

function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 22);
}

/**
 * The form a value is compared in. Vendors reformat phone numbers ("+49 30 1234567" comes back
 * from Qonto as "+49 301234567"): the same number must not look like a change, or every write
 * would echo once.
 */
function comparable(field: SyncField, value: string | undefined): string | undefined {
  return field === 'phone' && value !== undefined ? value.replace(/[\s\-/().]/g, '') : value;
}

/** Hash of the whole content, field order fixed: equal content gives an equal hash on either side. */
export function contentHash(c: Content): string {
  return hashText(JSON.stringify(syncFields.map((f) => comparable(f, c[f]) ?? null)));
}

/** One hash per present field: the base of the per-field three-way merge (merge.ts). */
export function fieldHashes(c: Content): FieldHashes {
  const out: FieldHashes = {};
  for (const field of syncFields) if (c[field] !== undefined) out[field] = hashText(`${field}:${comparable(field, c[field])}`);
  return out;
}

export function fieldHash(field: SyncField, value: string | undefined): string | undefined {
  return value === undefined ? undefined : hashText(`${field}:${comparable(field, value)}`);
}

export function displayName(objectType: ObjectType, c: Content): string {
  return objectType === 'company' ? (c.companyName ?? '') : [c.firstName, c.lastName].filter(Boolean).join(' ');
}
