/**
 * What a vendor folder tells the rest of APIUP about itself, in one object (`<vendor>/manifest.ts`):
 * everything that used to be a per-vendor list somewhere else — the config variables, the settings
 * page's provider list and credential fields, the documented rate limit, the database enum — is built
 * from the manifests in `registry.ts`.
 */
import type { z } from 'zod';
import type { RateLimit } from '../lib/rate-limit';
import type { ProviderCapabilities, ProviderFactory } from './provider';
import type { RoundingChoice } from './rounding';

/** A credential the settings page asks for; `name` is the key in the vendor's credentials schema. */
export interface CredentialField {
  name: string;
  /** Shown as a password field and never echoed back. */
  secret: boolean;
  label: { de: string; en: string };
}

export interface VendorManifest<Id extends string = string> {
  /** Lowercase id: stored in `accounting_connections.provider`, used in URLs and config names. */
  id: Id;
  /** The vendor's product name as users know it (settings page, cards). */
  label: string;
  factory: ProviderFactory;
  /** zod schema of the credentials a portal stores for this vendor. */
  credentials: z.ZodType<Record<string, string>>;
  /** The credentials the settings page asks for, in order (a subset of `credentials`' keys). */
  credentialFields: CredentialField[];
  /** The same object the provider reports; here so lists can be built without credentials. */
  capabilities: ProviderCapabilities;
  /** The rounding rules the vendor leaves unsettled (money.md §9); the portal picks a reading of each. */
  roundingChoices: readonly RoundingChoice[];
  /** The vendor's documented (or, where none is published, our chosen) request limit per credential. */
  rateLimit: RateLimit;
  config: {
    /** Environment variable that overrides the API base URL (sandbox mode sets it to the emulator). */
    baseUrlEnv: string;
    /** Production API base URL, used in live mode when the variable is unset. */
    liveBaseUrl: string;
    /** For a vendor that signs its webhooks with its own key pair: the variable and the published key. */
    webhookPublicKey?: { env: string; livePem: string };
  };
}

/** Keeps the id's literal type, so `ProviderId` can be derived from the registry. */
export function defineVendor<const Id extends string>(manifest: VendorManifest<Id>): VendorManifest<Id> {
  return manifest;
}
