/**
 * Settings backend answers shaped like server/src/http/routes/settings.ts returns them (defaults of
 * InvoiceSettingsSchema / SyncSettingsSchema, package names from billing/packages.ts).
 */
import type { Answer } from './backend';
import { connection, features } from './fixtures';

export const invoiceRules = {
  documentType: 'invoice',
  triggers: {} as Record<string, { ignored: boolean; invoiceStages: string[]; quoteStages: string[] }>,
  // Not the default ('de'): saving the rules must send the portal's choice back unchanged.
  language: 'en',
  finalize: true,
  sendEmail: false,
  withoutLineItems: 'amount_line',
  // No own default rate: the connected vendor's standard rate applies (vendorRules below).
  missingTaxRate: 'default',
  pricesIncludeVat: false,
  eInvoiceForBusinessCustomers: true,
  roundingRules: {} as Record<string, Record<string, string>>,
  productTaxRates: {},
  paymentTermDays: 14,
  conditions: { requireQuote: false },
  texts: { title: 'Rechnung {{deal.name}}', introduction: '', paymentTerms: '', closingText: '' },
};

export const syncRules = {
  hubspotToAccounting: true,
  accountingToHubspot: true,
  deletion: { fromHubspot: 'ignore', fromAccounting: 'ignore' },
  fieldOwners: {},
  pollIntervalMinutes: 15,
  massDeleteShare: 0.2,
  gdprVendorAction: 'keep',
};

/** As the backend's registry serves them (server/src/accounting/<vendor>/manifest.ts). */
export const providers = [
  { id: 'lexoffice', label: 'Lexware Office', credentialFields: [{ name: 'apiKey', secret: true, label: { de: 'API-Schlüssel', en: 'API key' } }] },
  { id: 'sevdesk', label: 'sevDesk', credentialFields: [{ name: 'apiToken', secret: true, label: { de: 'API-Token', en: 'API token' } }] },
  {
    id: 'bexio',
    label: 'bexio',
    credentialFields: [
      { name: 'accessToken', secret: true, label: { de: 'Zugriffstoken (Personal Access Token)', en: 'Access token (personal access token)' } },
    ],
  },
  {
    id: 'qonto',
    label: 'Qonto',
    credentialFields: [
      { name: 'login', secret: false, label: { de: 'Organisations-Login', en: 'Organisation login' } },
      { name: 'secretKey', secret: true, label: { de: 'Geheimer Schlüssel', en: 'Secret key' } },
    ],
  },
];

export const packages = [
  {
    id: 'invoicing',
    names: { de: 'Buchhaltung & Rechnung', en: 'Accounting & Invoicing' },
    packageId: 'invoicing',
    state: { state: 'trial', trialEndsAt: 1_775_000_000_000, daysLeft: 5 },
  },
  { id: 'sync', names: { de: 'Vertrieb & Kontakt', en: 'Sales & Contacts' }, state: { state: 'inactive' } },
  { id: 'business', names: { de: 'Business', en: 'Business' }, packageId: 'business', state: { state: 'expired' } },
  {
    id: 'business_plus',
    names: { de: 'Business Plus', en: 'Business Plus' },
    packageId: 'business_plus',
    state: { state: 'active', periodEndsAt: 1_777_500_000_000 },
  },
];

/** What the backend says for a connected Lexware Office (its standard rate and its one unsettled rounding rule). */
export const lexofficeVendorRules = {
  provider: 'lexoffice',
  defaultTaxRatePercent: '19',
  roundingChoices: [{ option: 'discountRounding', values: ['discountedLine', 'discountFirst'], rule: 'LX-R2' }],
};

export function makeSettings(overrides: Record<string, unknown> = {}) {
  return {
    portal: { id: '123', status: 'active' },
    connection,
    capabilities: { quotations: true, invoiceFromQuotation: true, invoiceCancellation: 'none', contactCompanyLink: true },
    vendorRules: lexofficeVendorRules,
    providers,
    packages,
    features,
    rules: { invoice: invoiceRules, sync: syncRules },
    ...overrides,
  };
}

export const activity = {
  jobs: [
    {
      id: 41,
      name: 'invoice.process',
      state: 'dead',
      attempts: 8,
      maxAttempts: 8,
      payload: { dealId: '9' },
      lastError: { code: 'vendor_failed', message: 'lexoffice said 400', retryable: false },
      runAt: 1_774_915_200_000,
      updatedAt: 1_774_915_200_000,
      warnings: [],
    },
    {
      id: 42,
      name: 'invoice.process',
      state: 'succeeded',
      attempts: 1,
      maxAttempts: 8,
      payload: { dealId: '10' },
      lastError: null,
      runAt: 1_774_915_200_000,
      updatedAt: 1_774_915_260_000,
      warnings: [
        {
          code: 'totals_differ',
          message:
            'The accounting system computed other totals than predicted: gross 11.90 instead of 14.88 EUR (net 10.00 instead of 12.50, tax 1.90 instead of 2.38). Please check the invoice in the accounting system.',
        },
      ],
    },
  ],
};

export const conflicts = {
  conflicts: [
    {
      id: 5,
      objectType: 'company',
      hubspotId: '777',
      name: 'Muster GmbH',
      candidates: [
        { vendorId: 'V1', name: 'Muster GmbH' },
        { vendorId: 'V2', name: 'Muster GmbH Berlin', email: 'info@muster.de' },
      ],
    },
  ],
};

export const keptRecords = {
  provider: 'lexoffice',
  kept: [
    {
      vendorId: 'e3a1c9d2-4b7f-4c61-9f0e-2d8b5a7c1e44',
      objectType: 'contact',
      hubspotId: '901',
      name: 'Jürgen Müller-Lüdenscheidt',
      keptAt: 1_795_000_000_000,
    },
  ],
};

/** Like server/src/hubspot/pipelines.ts `list()`: HubSpot's default sales pipeline and a custom one. */
export const pipelines = {
  pipelines: [
    {
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        { id: 'appointmentscheduled', label: 'Appointment Scheduled', isWon: false, isClosed: false },
        { id: 'contractsent', label: 'Contract Sent', isWon: false, isClosed: false },
        { id: 'closedwon', label: 'Closed Won', isWon: true, isClosed: true },
        { id: 'closedlost', label: 'Closed Lost', isWon: false, isClosed: true },
      ],
    },
    {
      id: '84729301',
      label: 'Projekte Bäckereien Süd',
      stages: [
        { id: '93847560', label: 'Angebot erstellt', isWon: false, isClosed: false },
        { id: '93847561', label: 'Projekt beauftragt', isWon: true, isClosed: true },
        { id: '93847562', label: 'Projekt abgenommen', isWon: false, isClosed: false },
      ],
    },
  ],
};

export const noRun = { run: null };
export const dryRunReport = { report: { hubspot: { create: 3, link: 10, conflict: 1 }, accounting: { create: 2, link: 10, conflict: 0 } } };

/** Every read the settings page makes on load, answered. */
export function settingsRoutes(
  overrides: Record<string, Answer | (() => Answer | Promise<Answer>)> = {},
): Record<string, Answer | (() => Answer | Promise<Answer>)> {
  return {
    'GET /api/v1/settings': { body: makeSettings() },
    'GET /api/v1/settings/activity': { body: activity },
    'GET /api/v1/settings/conflicts': { body: conflicts },
    'GET /api/v1/settings/sync/kept': { body: keptRecords },
    'GET /api/v1/settings/initial-sync': { body: noRun },
    'GET /api/v1/settings/pipelines': { body: pipelines },
    ...overrides,
  };
}
