/** Every vendor, wired once: its provider factory, the zod schema of its credentials and its unsettled rounding rules. */
import { z } from 'zod';
import { createbexioProvider } from './bexio/provider';
import { bexioCredentialsSchema } from './bexio/schemas';
import { bexioRoundingChoices } from './bexio/totals';
import { createlexofficeProvider } from './lexoffice/provider';
import { lexofficeCredentialsSchema } from './lexoffice/schemas';
import { lexofficeRoundingChoices } from './lexoffice/totals';
import type { ProviderFactory, ProviderId } from './provider';
import { createqontoProvider } from './qonto/provider';
import { qontoCredentialsSchema } from './qonto/schemas';
import { qontoRoundingChoices } from './qonto/totals';
import { roundingSchemaOf, type RoundingChoice } from './rounding';
import { createsevdeskProvider } from './sevdesk/provider';
import { sevdeskCredentialsSchema } from './sevdesk/schemas';
import { sevdeskRoundingChoices } from './sevdesk/totals';

export interface ProviderEntry {
  factory: ProviderFactory;
  credentials: z.ZodType<Record<string, string>>;
  /** Shown in the settings page. */
  label: string;
  /** The rounding rules the vendor leaves unsettled (money.md §9); the portal picks a reading of each. */
  roundingChoices: readonly RoundingChoice[];
}

export const providers = {
  lexoffice: { factory: createlexofficeProvider, credentials: lexofficeCredentialsSchema, label: 'Lexware Office', roundingChoices: lexofficeRoundingChoices },
  sevdesk: { factory: createsevdeskProvider, credentials: sevdeskCredentialsSchema, label: 'sevDesk', roundingChoices: sevdeskRoundingChoices },
  bexio: { factory: createbexioProvider, credentials: bexioCredentialsSchema, label: 'bexio', roundingChoices: bexioRoundingChoices },
  qonto: { factory: createqontoProvider, credentials: qontoCredentialsSchema, label: 'Qonto', roundingChoices: qontoRoundingChoices },
} satisfies Record<ProviderId, ProviderEntry>; // a new id will not compile until it is wired

/**
 * The invoice setting `roundingRules`: per vendor id, the chosen reading of each unsettled rule. Only the
 * vendors' own options and readings pass (`{ bexio: { precision: 'cent-positions' } }`).
 */
export const RoundingRulesSchema = z
  .object(Object.fromEntries(Object.entries(providers).map(([id, entry]) => [id, roundingSchemaOf(entry.roundingChoices).optional()])) as Record<ProviderId, z.ZodOptional<ReturnType<typeof roundingSchemaOf>>>)
  .strict();
