/** The lexoffice emulator as sandbox mode and the tests reach it (registry.ts). */
import { defineVendorSandbox } from '../types';
import { createLexofficeSandbox } from './app';

export const lexofficeSandboxEntry = defineVendorSandbox({
  id: 'lexoffice',
  create: createLexofficeSandbox,
  documents: (sandbox) => [...sandbox.store.vouchers.values()],
  documentLines: (sandbox, documentId) =>
    (sandbox.store.vouchers.get(documentId)?.body.lineItems ?? [])
      .filter((l: any) => l.type !== 'text')
      .map((l: any) => ({ text: [l.name, l.description].filter(Boolean).join(' '), taxRate: Number(l.unitPrice.taxRatePercentage) })),
  accountVatRates: { standard: '19', reduced: '7' },
  webhookPublicKeyPem: (sandbox) => sandbox.publicKeyPem,
});
