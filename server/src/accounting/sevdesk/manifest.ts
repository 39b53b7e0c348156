/** sevDesk as the registry sees it (accounting.md §2). */
import { defineVendor } from '../manifest';
import { sevdeskBaseUrl, sevdeskDefaultRateLimit } from './client';
import { createSevdeskProvider, sevdeskCapabilities } from './provider';
import { sevdeskCredentialsSchema } from './schemas';
import { sevdeskRoundingChoices } from './totals';

export const sevdeskManifest = defineVendor({
  id: 'sevdesk',
  label: 'sevDesk',
  factory: createSevdeskProvider,
  credentials: sevdeskCredentialsSchema,
  credentialFields: [{ name: 'apiToken', secret: true, label: { de: 'API-Token', en: 'API token' } }],
  capabilities: sevdeskCapabilities,
  roundingChoices: sevdeskRoundingChoices,
  rateLimit: sevdeskDefaultRateLimit,
  config: { baseUrlEnv: 'SEVDESK_API_BASE_URL', liveBaseUrl: sevdeskBaseUrl },
});
