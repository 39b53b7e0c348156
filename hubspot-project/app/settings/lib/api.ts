/**
 * Typed calls of the settings backend (docs/api.md "Settings page"). Every answer is checked
 * before a section sees it.
 */
import { anything, arrayOf, bool, nullable, num, object, oneOf, optional, recordOf, str, type Infer } from '@apiup/ui-shared/guards';
import { requestJson } from '@apiup/ui-shared/http';
import type { Lang } from '@apiup/ui-shared/origin';

/** A vendor id; the list, labels and credential fields come from the backend (`GET /api/v1/settings` → `providers`). */
export type ProviderId = string;

const PipelineTrigger = object({ ignored: bool, invoiceStages: arrayOf(str), quoteStages: arrayOf(str) });

export const InvoiceRules = object({
  documentType: oneOf('invoice', 'quotation'),
  /** Per pipeline id; a pipeline without an entry keeps the default (its won stages create `documentType`). */
  triggers: recordOf(PipelineTrigger),
  /** Language of the reason written to the deal; not edited on this page, but sent back unchanged. */
  language: oneOf('de', 'en'),
  finalize: bool,
  sendEmail: bool,
  withoutLineItems: oneOf('amount_line', 'skip'),
  /** Unset: the connected vendor's standard rate (`vendorRules.defaultTaxRatePercent`). */
  defaultTaxRatePercent: optional(str),
  missingTaxRate: oneOf('default', 'skip'),
  pricesIncludeVat: bool,
  eInvoiceForBusinessCustomers: bool,
  /** Per vendor id, the chosen reading of each rounding rule the vendor leaves unsettled; optional for answers of older backends. */
  roundingRules: optional(recordOf(recordOf(str))),
  productTaxRates: recordOf(str),
  paymentTermDays: num,
  conditions: object({ currency: optional(str), minLineItems: optional(num), requireQuote: bool }),
  texts: object({ title: str, introduction: str, paymentTerms: str, closingText: str }),
});

export const SyncRules = object({
  hubspotToAccounting: bool,
  accountingToHubspot: bool,
  deletion: object({ fromHubspot: oneOf('mirror', 'ignore'), fromAccounting: oneOf('mirror', 'ignore') }),
  fieldOwners: recordOf(oneOf('hubspot', 'accounting')),
  pollIntervalMinutes: num,
  massDeleteShare: num,
  /** Optional for answers of older backends (absent = keep). */
  gdprVendorAction: optional(oneOf('keep', 'anonymise', 'delete')),
});

const Rules = object({ invoice: InvoiceRules, sync: SyncRules });
const Connection = object({ provider: str, accountName: str, connectedAt: num });
const PackageState = object({
  state: oneOf('trial', 'active', 'cancelled_until', 'past_due', 'expired', 'inactive'),
  daysLeft: optional(num),
  graceEndsAt: optional(num),
  trialEndsAt: optional(num),
  periodEndsAt: optional(num),
});

const OtherWriter = object({
  sourceId: str,
  last7Days: num,
  last30Days: num,
  lastSeenAt: num,
  lastObjectType: oneOf('contact', 'company'),
  lastObjectId: str,
  lastPropertyName: str,
});

const Settings = object({
  portal: object({ id: str, status: oneOf('active', 'needs_reauth', 'not_connected') }),
  connection: nullable(Connection),
  /** What the connected accounting system can do with documents; optional for answers of older backends. */
  capabilities: optional(nullable(object({ quotations: bool, invoiceFromQuotation: bool, invoiceCancellation: str, contactCompanyLink: optional(bool) }))),
  /** Every accounting system the backend offers (its registry), with the credentials each needs. */
  providers: arrayOf(object({ id: str, label: str, credentialFields: arrayOf(object({ name: str, secret: bool, label: object({ de: str, en: str }) })) })),
  packages: arrayOf(object({ id: str, names: object({ de: str, en: str }), state: PackageState })),
  features: object({ invoicing: bool, sync: bool, writeBack: bool, conditions: bool, texts: bool }),
  rules: Rules,
  /**
   * What the connected vendor decides for the invoice rules: its standard tax rate and the rounding rules it leaves
   * unsettled (one choice each, first value the default); null without a connection, optional for older backends.
   */
  vendorRules: optional(
    nullable(object({ provider: str, defaultTaxRatePercent: str, roundingChoices: arrayOf(object({ option: str, values: arrayOf(str), rule: str })) })),
  ),
  /** Whether HubSpot's webhooks reach us; optional for answers of older backends. */
  webhooks: optional(
    nullable(
      object({
        lastEventAt: nullable(num),
        lastSweepAt: nullable(num),
        missedBySweep: object({ deals: num, records: num }),
        warning: nullable(oneOf('webhooks_missing', 'webhooks_silent')),
      }),
    ),
  ),
  /** Other apps that changed synced fields of linked records in the last 30 days; optional for answers of older backends. */
  otherWriters: optional(arrayOf(OtherWriter)),
});

export const jobStates = ['queued', 'running', 'retrying', 'succeeded', 'dead'] as const;
const Job = object({
  id: num,
  name: str,
  state: oneOf(...jobStates),
  attempts: num,
  maxAttempts: num,
  payload: anything,
  lastError: nullable(object({ code: str, message: str })),
  runAt: num,
  updatedAt: num,
  warnings: arrayOf(object({ code: str, message: str })),
});
const SideCounts = object({ create: num, link: num, conflict: num });
const InitialSyncRun = nullable(object({ id: anything, state: str, done: num, total: num, startedAt: nullable(num), finishedAt: nullable(num) }));
const KeptRecord = object({ vendorId: str, objectType: oneOf('contact', 'company'), hubspotId: str, name: str, keptAt: num });
const Conflict = object({
  id: anything,
  objectType: str,
  hubspotId: str,
  name: str,
  candidates: arrayOf(object({ vendorId: str, name: str, email: optional(str) })),
});

const Pipeline = object({ id: str, label: str, stages: arrayOf(object({ id: str, label: str, isWon: bool, isClosed: bool })) });

export type Settings = Infer<typeof Settings>;
export type PipelineTrigger = Infer<typeof PipelineTrigger>;
export type Pipeline = Infer<typeof Pipeline>;
export type InvoiceRules = Infer<typeof InvoiceRules>;
export type VendorRules = NonNullable<Settings['vendorRules']>;
export type SyncRules = Infer<typeof SyncRules>;
export type PackageView = Settings['packages'][number];
export type Job = Infer<typeof Job>;
export type JobState = (typeof jobStates)[number];
export type DryRunReport = { hubspot: Infer<typeof SideCounts>; accounting: Infer<typeof SideCounts> };
export type Conflict = Infer<typeof Conflict>;
export type KeptRecord = Infer<typeof KeptRecord>;
export type OtherWriter = Infer<typeof OtherWriter>;
export type PackageAction = 'activate' | 'cancel';

/** Why saved rules may not work as meant: an unknown placeholder, or a text longer than the connected vendor takes. */
const RulesWarning = object({
  field: str,
  code: oneOf('unknown_placeholder', 'title_moved', 'too_long'),
  placeholder: optional(str),
  limit: optional(num),
  length: optional(num),
});
export type RulesWarning = Infer<typeof RulesWarning>;

export function createSettingsApi(origin: string, lang: Lang) {
  const query = { locale: lang };
  const call = <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    guard: (v: unknown, p: string) => T,
    body?: Record<string, unknown>,
    extra: Record<string, string | undefined> = {},
  ) => requestJson(origin, { method, path: `/api/v1/settings${path}`, guard, body, query: { ...query, ...extra } });
  return {
    load: () => call('GET', '', Settings),
    testConnection: (provider: ProviderId, credentials: Record<string, string>) =>
      call('POST', '/connection/test', object({ accountName: str }), { provider, credentials }),
    connect: (provider: ProviderId, credentials: Record<string, string>) => call('PUT', '/connection', Connection, { provider, credentials }),
    disconnectAccounting: () => call('DELETE', '/connection', object({ disconnected: bool })),
    packageAction: (packageId: string, action: PackageAction) =>
      call('POST', `/packages/${packageId}/${action}`, object({ packageId: str, state: PackageState })),
    checkout: (packageIds: string[]) =>
      call('POST', '/billing/checkout', object({ sessions: arrayOf(object({ packageId: str, url: str })) }), { packageIds, locale: lang }),
    billingPortal: () => call('POST', '/billing/portal', object({ url: str }), { locale: lang }),
    saveRules: (rules: { invoice?: InvoiceRules; sync?: SyncRules }) => call('PUT', '/rules', object({ rules: Rules, warnings: arrayOf(RulesWarning) }), rules),
    pipelines: () => call('GET', '/pipelines', object({ pipelines: arrayOf(Pipeline) })),
    activity: (state: JobState | undefined, limit = 25) => call('GET', '/activity', object({ jobs: arrayOf(Job) }), undefined, { state, limit: String(limit) }),
    retryJob: (jobId: number) => call('POST', `/activity/${jobId}/retry`, object({ retried: anything }), {}),
    dryRun: () => call('POST', '/initial-sync/dry-run', object({ report: object({ hubspot: SideCounts, accounting: SideCounts }) }), {}),
    startInitialSync: () => call('POST', '/initial-sync/start', object({ runId: anything }), {}),
    initialSync: () => call('GET', '/initial-sync', object({ run: InitialSyncRun })),
    conflicts: () => call('GET', '/conflicts', object({ conflicts: arrayOf(Conflict) })),
    keptRecords: () => call('GET', '/sync/kept', object({ provider: nullable(str), kept: arrayOf(KeptRecord) })),
    resolveConflict: (conflictId: string, vendorId: string | null) =>
      call('POST', `/conflicts/${conflictId}/resolve`, object({ resolved: anything }), vendorId ? { vendorId } : { create: true }),
    disconnectPortal: () => call('DELETE', '/portal', object({ disconnected: bool, uninstalledFromHubspot: bool })),
  };
}

export type SettingsApi = ReturnType<typeof createSettingsApi>;
