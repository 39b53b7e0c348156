/**
 * Every accounting vendor, one line each. `ProviderId`, the config variables (config.ts), the settings
 * page's provider list, the database enum and the sandbox start (sandbox-mode.ts, which pairs each
 * manifest with `sandboxes/registry.ts`) are built from this list; adding a vendor is its folder plus
 * one line here.
 */
import { z } from 'zod';
import { bexioManifest } from './bexio/manifest';
import { lexofficeManifest } from './lexoffice/manifest';
import type { CredentialField, VendorManifest } from './manifest';
import { qontoManifest } from './qonto/manifest';
import { roundingSchemaOf } from './rounding';
import { sevdeskManifest } from './sevdesk/manifest';

export const vendorManifests = [lexofficeManifest, sevdeskManifest, bexioManifest, qontoManifest] as const;

export type ProviderId = (typeof vendorManifests)[number]['id'];

/** The ids of a list of manifests, in registry order. */
export function vendorIds<Id extends string>(manifests: readonly VendorManifest<Id>[]): Id[] {
  return manifests.map((m) => m.id);
}

export const providerIds = vendorIds(vendorManifests) as [ProviderId, ...ProviderId[]];

/** The manifests by id. */
export const providers = Object.fromEntries(vendorManifests.map((m) => [m.id, m])) as { [Id in ProviderId]: VendorManifest<Id> };

/** The vendor's name as users know it; the raw id for one the registry no longer lists. */
export function providerLabel(id: string): string {
  return vendorManifests.find((m) => m.id === id)?.label ?? id;
}

/** One entry of the provider list the settings page shows (`GET /api/v1/settings` → `providers`). */
export interface ProviderListEntry {
  id: string;
  label: string;
  credentialFields: CredentialField[];
}

/** The provider list served to the HubSpot UI, so that it names no vendor itself. */
export function providerList(manifests: readonly VendorManifest[] = vendorManifests): ProviderListEntry[] {
  return manifests.map((m) => ({ id: m.id, label: m.label, credentialFields: m.credentialFields }));
}

/**
 * The invoice setting `roundingRules`: per vendor id, the chosen reading of each rounding rule the vendor leaves
 * unsettled (money.md §9; the manifest's `roundingChoices`). Only the vendors' own options and readings pass
 * (`{ bexio: { precision: 'cent-positions' } }`).
 */
export const RoundingRulesSchema = z
  .object(
    Object.fromEntries(vendorManifests.map((m) => [m.id, roundingSchemaOf(m.roundingChoices).optional()])) as Record<
      ProviderId,
      z.ZodOptional<ReturnType<typeof roundingSchemaOf>>
    >,
  )
  .strict();
