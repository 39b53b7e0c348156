/** What every emulator (HubSpot and each accounting vendor) exposes, so sandbox mode and tests start them alike. */
import type { Express } from 'express';
import type { Faults } from './faults';
import type { ExchangeRecorder } from './recorder';

export interface SandboxOptions {
  /** Overrides the vendor's documented rate limit (tests and benchmarks scale time down). */
  rateLimit?: { requests: number; perMs: number };
  /** Clock for timestamps and token expiry; default Date.now. */
  now?: () => number;
}

export interface Sandbox {
  /** 'hubspot' or a ProviderId. */
  readonly name: string;
  readonly app: Express;
  readonly faults: Faults;
  readonly recorder: ExchangeRecorder;
  /** Working credentials for this sandbox, shown by `GET /sandbox` (sandbox mode only). */
  readonly credentials: Record<string, string>;
}

/** One priced line of a document as the emulator stores it: its text (name, or name and description) and tax rate in %. */
export interface SandboxDocumentLine {
  text: string;
  taxRate: number;
}

/**
 * How sandbox mode, tests and the chaos verifier reach one vendor emulator (`<vendor>/entry.ts`, listed
 * in `registry.ts`): start it, and read what it holds in the vendor's own store shapes.
 */
export interface VendorSandboxEntry<S extends Sandbox = Sandbox> {
  /** The vendor id, the same as the product's (sandboxes import nothing of the product, so it is repeated). */
  id: string;
  create(options: SandboxOptions): S & { markPaid(documentId: string, paidDate?: string): void };
  /** Every invoice and quotation the emulator holds, as stored (the chaos verifier searches them for references). */
  documents(sandbox: S): unknown[];
  /** The priced lines of one document (text lines left out), in document order. */
  documentLines(sandbox: S, documentId: string): SandboxDocumentLine[];
  /** The VAT rates the emulated account has, in % (a Swiss account has no 19 / 7 %). */
  accountVatRates: { standard: string; reduced: string };
  /** For a vendor that signs webhooks with its own key pair: the emulator's public key (PEM). */
  webhookPublicKeyPem?(sandbox: S): string;
}

/** Keeps the entry's sandbox type for its functions, and erases it for the registry's list. */
export function defineVendorSandbox<S extends Sandbox>(entry: VendorSandboxEntry<S>): VendorSandboxEntry {
  return entry as unknown as VendorSandboxEntry;
}
