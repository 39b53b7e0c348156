/**
 * Backend answers shaped like docs/api.md and server/src/http/routes/{deal-card,settings}.ts return
 * them (recorded from those handlers' `res.json` shapes). Factories take overrides.
 */
export const features = { invoicing: true, sync: true, writeBack: false, conditions: true, texts: true };
export const noFeatures = { invoicing: false, sync: false, writeBack: false, conditions: false, texts: false };
export const connection = { provider: 'lexoffice', accountName: 'Muster GmbH', connectedAt: 1_767_225_600_000 };

type Invoice = Record<string, unknown>;

export function makeInvoice(overrides: Invoice = {}): Invoice {
  return {
    status: 'created',
    kind: 'invoice',
    provider: 'lexoffice',
    providerLabel: 'Lexware Office',
    number: 'RE-2026-0042',
    date: '2026-03-31',
    currency: 'EUR',
    totals: { net: '1000.00', tax: '190.00', gross: '1190.00' },
    paidDate: null,
    documentUrl: 'https://app.lexware.de/permalink/invoices/view/abc',
    pdfUrl: 'https://api.apiup.app/files/pdf?token=t1',
    reason: null,
    history: [{ at: 1_774_915_200_000, status: 'created', code: null }],
    warnings: [],
    updatedAt: 1_774_915_200_000,
    ...overrides,
  };
}

export function makeDealInvoice(overrides: Record<string, unknown> = {}, invoice: Invoice | null = makeInvoice()) {
  return {
    dealId: '123',
    portal: { status: 'active' },
    connection,
    features,
    invoice,
    job: { state: 'succeeded', attempts: 1, lastError: null },
    ...overrides,
  };
}

export const skippedInvoice = makeInvoice({
  status: 'skipped',
  number: null,
  date: null,
  totals: null,
  documentUrl: null,
  pdfUrl: null,
  reason: { code: 'condition_currency', retryable: false, message: 'Condition not met: currency is USD, EUR is required.' },
});

export const failedInvoice = makeInvoice({
  status: 'failed',
  number: null,
  date: null,
  totals: null,
  documentUrl: null,
  pdfUrl: null,
  reason: { code: 'vendor_failed', retryable: true, message: 'The accounting system rejected the request: contact name missing' },
});

export function makePreview(overrides: Record<string, unknown> = {}) {
  return {
    customer: { name: 'Beispiel AG', action: 'create' },
    currency: 'EUR',
    priceBasis: 'net',
    lines: [
      { name: 'Beratung', quantity: '10', unitPrice: '100.00', taxRatePercent: '19', net: '1000.00', taxRateSource: 'hubspot' },
      { name: 'Buch', quantity: '2', unitPrice: '25.00', taxRatePercent: '7', net: '50.00', taxRateSource: 'product_rule' },
    ],
    totals: { net: '1050.00', tax: '193.50', gross: '1243.50' },
    conditions: [
      { code: 'condition_currency', passed: true, message: 'Currency EUR' },
      { code: 'condition_quote_required', passed: false, message: 'Condition not met: the deal has no associated quote.' },
    ],
    skip: { code: 'condition_quote_required', message: 'Condition not met: the deal has no associated quote.' },
    notices: [],
    document: { kind: 'invoice', triggeredByStage: true },
    ...overrides,
  };
}

export const notFound = { status: 404, body: { error: { code: 'not_found', message: 'No invoice run for this deal yet.', requestId: 'r1' } } };
export const accepted = { status: 202, body: { jobId: 7, alreadyQueued: false } };

export function makeRecordSync(overrides: Record<string, unknown> = {}) {
  return {
    portal: { status: 'active' },
    link: { provider: 'sevdesk', providerLabel: 'sevDesk', vendorId: '4711', lastSyncedAt: 1_774_915_200_000 },
    conflict: null,
    features,
    connection,
    ...overrides,
  };
}
