/** Qonto as the registry sees it (accounting.md §4). */
import { defineVendor } from '../manifest';
import { qontoProductionUrl, qontoRateLimit } from './client';
import { createQontoProvider, qontoCapabilities } from './provider';
import { qontoCredentialsSchema } from './schemas';
import { qontoRoundingChoices } from './totals';

export const qontoManifest = defineVendor({
  id: 'qonto',
  label: 'Qonto',
  factory: createQontoProvider,
  credentials: qontoCredentialsSchema,
  // `stagingToken` and `iban` are optional and not asked for (schemas.ts).
  credentialFields: [
    { name: 'login', secret: false, label: { de: 'Organisations-Login', en: 'Organisation login' } },
    { name: 'secretKey', secret: true, label: { de: 'Geheimer Schlüssel', en: 'Secret key' } },
  ],
  capabilities: qontoCapabilities,
  roundingChoices: qontoRoundingChoices,
  rateLimit: qontoRateLimit,
  config: { baseUrlEnv: 'QONTO_API_BASE_URL', liveBaseUrl: qontoProductionUrl },
});
