import { z } from 'zod';

/** Per-portal contact and company sync rules. */
export const SyncSettingsSchema = z.object({
  hubspotToAccounting: z.boolean().default(true),
  accountingToHubspot: z.boolean().default(true),
  /** What a deletion on one side does on the other. */
  deletion: z.object({ fromHubspot: z.enum(['mirror', 'ignore']).default('ignore'), fromAccounting: z.enum(['mirror', 'ignore']).default('ignore') }).default({ fromHubspot: 'ignore', fromAccounting: 'ignore' }),
  /** Per field, which side always wins; fields not listed: the newer change wins. */
  fieldOwners: z.record(z.string(), z.enum(['hubspot', 'accounting'])).default({}),
  /** Polling interval for vendors without webhooks. */
  pollIntervalMinutes: z.number().int().min(1).max(1440).default(15),
  /** A cycle deleting more than this share of linked records pauses and asks. */
  massDeleteShare: z.number().min(0).max(1).default(0.2),
});
export type SyncSettings = z.infer<typeof SyncSettingsSchema>;
