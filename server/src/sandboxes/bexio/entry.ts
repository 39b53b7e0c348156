/** The bexio emulator as sandbox mode and the tests reach it (registry.ts). */
import { defineVendorSandbox } from '../types';
import { createBexioSandbox } from './app';

export const bexioSandboxEntry = defineVendorSandbox({
  id: 'bexio',
  create: createBexioSandbox,
  documents: (sandbox) => [...sandbox.store.documents.kb_invoice.values(), ...sandbox.store.documents.kb_offer.values()],
  documentLines: (sandbox, documentId) => {
    const invoices = sandbox.store.documents.kb_invoice as Map<unknown, any>;
    return (invoices.get(Number(documentId)) ?? invoices.get(documentId)).positions
      .filter((p: any) => p.type === 'KbPositionCustom')
      .map((p: any) => ({ text: p.text, taxRate: Number((sandbox.store.taxes as any[]).find((t) => t.id === p.tax_id)?.value) }));
  },
  // A bexio account is Swiss: MWST 8.1 % and 2.6 % (accounting.md §3), no 19 / 7 %.
  accountVatRates: { standard: '8.1', reduced: '2.6' },
});
