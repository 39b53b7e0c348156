/** Per-vendor access to the sandboxes' stores, for end-to-end assertions (documents made, their lines, paying one). */
import type { ProviderId } from '../../src/accounting/provider';
import type { SandboxSet } from '../../src/sandbox-mode';
import type { SandboxDocumentLine } from '../../src/sandboxes/types';
import { expect } from 'vitest';
import type { TestApiup } from './apiup';

/** One priced line of a document as the vendor stores it: its text (name, or name and description) and tax rate. */
export type VendorLine = SandboxDocumentLine;

export interface VendorProbe {
  /** Invoices and quotations the vendor sandbox holds. */
  documentCount(): number;
  /** The priced lines of the document with this id (text lines left out), in document order. */
  documentLines(documentId: string): VendorLine[];
  markPaid(documentId: string, paidDate: string): void;
  credentials: Record<string, string>;
}

/** Reads through the vendor's sandbox entry (server/src/sandboxes/<vendor>/entry.ts), so a new vendor needs nothing here. */
export function vendorProbe(sandboxes: SandboxSet, id: ProviderId): VendorProbe {
  const { sandbox, entry } = sandboxes.vendors[id];
  const payable = sandbox as typeof sandbox & { markPaid(documentId: string, paidDate?: string): void };
  return {
    documentCount: () => entry.documents(sandbox).length,
    documentLines: (documentId) => entry.documentLines(sandbox, documentId),
    markPaid: (documentId, paidDate) => payable.markPaid(documentId, paidDate),
    credentials: sandbox.credentials,
  };
}

/** Connects the test portal to this vendor's sandbox through the settings API, as its user would; the answer must be 200. */
export async function connectVendor(t: TestApiup, id: ProviderId): Promise<void> {
  const { credentials } = vendorProbe(t.sandboxes!, id);
  expect((await t.signedFetch('/api/v1/settings/connection', { method: 'PUT', body: { provider: id, credentials } })).status).toBe(200);
}

/** Activates the Business Plus package for the test portal (its trial); the answer must be 200. */
export async function activateBusinessPlus(t: TestApiup): Promise<void> {
  expect((await t.signedFetch('/api/v1/settings/packages/business_plus/activate', { method: 'POST' })).status).toBe(200);
}
