import { z } from 'zod';
import { syncFields, type SyncField } from './content';

/** Keys the settings page stored before owners were keyed by sync field; read as their field. */
const legacyOwnerKeys: Record<string, SyncField> = { name: 'companyName', address: 'street', country: 'countryCode', vat_id: 'vatId' };

const fieldOwners = z.preprocess(
  (value) => (value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [legacyOwnerKeys[k] ?? k, v])) : value),
  z.partialRecord(z.enum(syncFields), z.enum(['hubspot', 'accounting'])),
);

/** What a HubSpot privacy deletion of a contact does to its accounting customer (sync/privacy-deletion.ts). */
export const gdprVendorActions = ['keep', 'anonymise', 'delete'] as const;
export type GdprVendorAction = (typeof gdprVendorActions)[number];

/** Per-portal contact and company sync rules. */
export const SyncSettingsSchema = z.object({
  hubspotToAccounting: z.boolean().default(true),
  accountingToHubspot: z.boolean().default(true),
  /** What a deletion on one side does on the other. */
  deletion: z
    .object({ fromHubspot: z.enum(['mirror', 'ignore']).default('ignore'), fromAccounting: z.enum(['mirror', 'ignore']).default('ignore') })
    .default({ fromHubspot: 'ignore', fromAccounting: 'ignore' }),
  /** Per field, which side always wins; fields not listed: the newer change wins. */
  fieldOwners: fieldOwners.default({}),
  /** Polling interval for vendors without webhooks. */
  pollIntervalMinutes: z.number().int().min(1).max(1440).default(15),
  /** A cycle deleting more than this share of linked records pauses and asks. */
  massDeleteShare: z.number().min(0).max(1).default(0.2),
  /**
   * After a GDPR deletion in HubSpot: keep the accounting customer (default; issued invoices are records
   * the seller must keep, §147 AO), anonymise it, or delete it where the vendor can (else anonymise).
   */
  gdprVendorAction: z.enum(gdprVendorActions).default('keep'),
});
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;
