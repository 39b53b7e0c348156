/**
 * Every accounting vendor's emulator, one line each. Sandbox mode starts one per vendor of the product's
 * registry (accounting/registry.ts) and fails at start when a vendor has none here.
 */
import { bexioSandboxEntry } from './bexio/entry';
import { lexofficeSandboxEntry } from './lexoffice/entry';
import { qontoSandboxEntry } from './qonto/entry';
import { sevdeskSandboxEntry } from './sevdesk/entry';
import type { VendorSandboxEntry } from './types';

export const vendorSandboxEntries: readonly VendorSandboxEntry[] = [lexofficeSandboxEntry, sevdeskSandboxEntry, bexioSandboxEntry, qontoSandboxEntry];
