/** Lexware Office (lexoffice) as the registry sees it (accounting.md §1). */
import { defineVendor } from '../manifest';
import { lexofficeBaseUrl, lexofficeRateLimit } from './client';
import { createLexofficeProvider, lexofficeCapabilities } from './provider';
import { lexofficeCredentialsSchema } from './schemas';
import { lexofficePublicKeyPem } from './webhooks';
import { lexofficeRoundingChoices } from './totals';

export const lexofficeManifest = defineVendor({
  id: 'lexoffice',
  label: 'Lexware Office',
  factory: createLexofficeProvider,
  credentials: lexofficeCredentialsSchema,
  credentialFields: [{ name: 'apiKey', secret: true, label: { de: 'API-Schlüssel', en: 'API key' } }],
  capabilities: lexofficeCapabilities,
  roundingChoices: lexofficeRoundingChoices,
  rateLimit: lexofficeRateLimit,
  config: {
    baseUrlEnv: 'LEXOFFICE_API_BASE_URL',
    liveBaseUrl: lexofficeBaseUrl,
    webhookPublicKey: { env: 'LEXOFFICE_WEBHOOK_PUBLIC_KEY', livePem: lexofficePublicKeyPem },
  },
});
