/** Per-vendor access to the sandboxes' stores, for end-to-end assertions (documents made, paying one). */
import type { ProviderId } from '../../src/accounting/provider';
import type { SandboxSet } from '../../src/sandbox-mode';

export interface VendorProbe {
  /** Invoices and quotations the vendor sandbox holds. */
  documentCount(): number;
  markPaid(documentId: string, paidDate: string): void;
  credentials: Record<string, string>;
}

export function vendorProbe(sandboxes: SandboxSet, id: ProviderId): VendorProbe {
  const sandbox = sandboxes.vendors[id].sandbox as any;
  const count: Record<ProviderId, () => number> = {
    lexoffice: () => sandbox.store.vouchers.size,
    sevdesk: () => sandbox.store.invoices.size,
    bexio: () => sandbox.store.documents.kb_invoice.size + sandbox.store.documents.kb_offer.size,
    qonto: () => sandbox.store.invoices.size,
  };
  return { documentCount: count[id], markPaid: (documentId, paidDate) => sandbox.markPaid(documentId, paidDate), credentials: sandbox.credentials };
}
