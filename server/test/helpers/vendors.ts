/** Per-vendor access to the sandboxes' stores, for end-to-end assertions (documents made, their lines, paying one). */
import type { ProviderId } from '../../src/accounting/provider';
import type { SandboxSet } from '../../src/sandbox-mode';

/** One priced line of a document as the vendor stores it: its text (name, or name and description) and tax rate. */
export interface VendorLine {
  text: string;
  taxRate: number;
}

export interface VendorProbe {
  /** Invoices and quotations the vendor sandbox holds. */
  documentCount(): number;
  /** The priced lines of the document with this id (text lines left out), in document order. */
  documentLines(documentId: string): VendorLine[];
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
  // Qonto's vat_rate is a ratio ("0.19"); the others store percentages.
  const lines: Record<ProviderId, (documentId: string) => VendorLine[]> = {
    lexoffice: (docId) =>
      sandbox.store.vouchers
        .get(docId)
        .body.lineItems.filter((l: any) => l.type !== 'text')
        .map((l: any) => ({ text: [l.name, l.description].filter(Boolean).join(' '), taxRate: Number(l.unitPrice.taxRatePercentage) })),
    sevdesk: (docId) => sandbox.store.invoices.get(docId).positions.map((p: any) => ({ text: [p.name, p.text].filter(Boolean).join(' '), taxRate: Number(p.taxRate) })),
    bexio: (docId) =>
      (sandbox.store.documents.kb_invoice.get(Number(docId)) ?? sandbox.store.documents.kb_invoice.get(docId)).positions
        .filter((p: any) => p.type === 'KbPositionCustom')
        .map((p: any) => ({ text: p.text, taxRate: Number(sandbox.store.taxes.find((t: any) => t.id === p.tax_id)?.value) })),
    qonto: (docId) =>
      sandbox.store.invoices.get(docId).invoice.items.map((i: any) => ({ text: [i.title, i.description].filter(Boolean).join(' '), taxRate: Number((Number(i.vat_rate) * 100).toFixed(2)) })),
  };
  return { documentCount: count[id], documentLines: lines[id], markPaid: (documentId, paidDate) => sandbox.markPaid(documentId, paidDate), credentials: sandbox.credentials };
}
