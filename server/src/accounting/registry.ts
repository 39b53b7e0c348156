/** Every vendor, wired once: its provider factory and the zod schema of its credentials. */
import type { z } from 'zod';
import { createbexioProvider } from './bexio/provider';
import { bexioCredentialsSchema } from './bexio/schemas';
import { createlexofficeProvider } from './lexoffice/provider';
import { lexofficeCredentialsSchema } from './lexoffice/schemas';
import type { ProviderFactory, ProviderId } from './provider';
import { createqontoProvider } from './qonto/provider';
import { qontoCredentialsSchema } from './qonto/schemas';
import { createsevdeskProvider } from './sevdesk/provider';
import { sevdeskCredentialsSchema } from './sevdesk/schemas';

export interface ProviderEntry {
  factory: ProviderFactory;
  credentials: z.ZodType<Record<string, string>>;
  /** Shown in the settings page. */
  label: string;
}

export const providers = {
  lexoffice: { factory: createlexofficeProvider, credentials: lexofficeCredentialsSchema, label: 'Lexware Office' },
  sevdesk: { factory: createsevdeskProvider, credentials: sevdeskCredentialsSchema, label: 'sevDesk' },
  bexio: { factory: createbexioProvider, credentials: bexioCredentialsSchema, label: 'bexio' },
  qonto: { factory: createqontoProvider, credentials: qontoCredentialsSchema, label: 'Qonto' },
} satisfies Record<ProviderId, ProviderEntry>; // a new id will not compile until it is wired
