/** The Qonto emulator as sandbox mode and the tests reach it (registry.ts). */
import { defineVendorSandbox } from '../types';
import { createQontoSandbox } from './app';

export const qontoSandboxEntry = defineVendorSandbox({
  id: 'qonto',
  create: createQontoSandbox,
  documents: (sandbox) => [...sandbox.store.invoices.values()],
  // Qonto's vat_rate is a ratio ("0.19"); the line's rate is given in % like the other vendors'.
  documentLines: (sandbox, documentId) =>
    (sandbox.store.invoices.get(documentId) as any).invoice.items.map((i: any) => ({
      text: [i.title, i.description].filter(Boolean).join(' '),
      taxRate: Number((Number(i.vat_rate) * 100).toFixed(2)),
    })),
  accountVatRates: { standard: '19', reduced: '7' },
});
