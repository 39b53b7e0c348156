/** The sevDesk emulator as sandbox mode and the tests reach it (registry.ts). */
import { defineVendorSandbox } from '../types';
import { createSevdeskSandbox } from './app';

export const sevdeskSandboxEntry = defineVendorSandbox({
  id: 'sevdesk',
  create: createSevdeskSandbox,
  documents: (sandbox) => [...sandbox.store.invoices.values()],
  documentLines: (sandbox, documentId) =>
    (sandbox.store.invoices.get(documentId) as any).positions.map((p: any) => ({
      text: [p.name, p.text].filter(Boolean).join(' '),
      taxRate: Number(p.taxRate),
    })),
  accountVatRates: { standard: '19', reduced: '7' },
});
