/** bexio as the registry sees it (accounting.md §3). */
import { defineVendor } from '../manifest';
import { bexioBaseUrl, bexioDefaultRateLimit } from './client';
import { bexioCapabilities, createBexioProvider } from './provider';
import { bexioCredentialsSchema } from './schemas';
import { bexioRoundingChoices } from './totals';

export const bexioManifest = defineVendor({
  id: 'bexio',
  label: 'bexio',
  factory: createBexioProvider,
  credentials: bexioCredentialsSchema,
  credentialFields: [{ name: 'accessToken', secret: true, label: { de: 'Zugriffstoken (Personal Access Token)', en: 'Access token (personal access token)' } }],
  capabilities: bexioCapabilities,
  roundingChoices: bexioRoundingChoices,
  rateLimit: bexioDefaultRateLimit,
  config: { baseUrlEnv: 'BEXIO_API_BASE_URL', liveBaseUrl: bexioBaseUrl },
});
