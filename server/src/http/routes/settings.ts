/**
 * Backend of the app settings page (signed `hubspot.fetch`): accounting connection (test, connect,
 * disconnect), packages (activate trial, book, cancel), invoice and sync rules, activity log with
 * retry of dead jobs, and disconnecting the portal (the app is removed from HubSpot, then our tokens deleted). Every read and write is scoped to the verified portal.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ProviderIdSchema, type AccountingConnections } from '../../accounting/connections';
import { providerList } from '../../accounting/registry';
import { packageNames } from '../../billing/packages';
import type { StripeBilling } from '../../billing/stripe-billing';
import type { Subscriptions } from '../../billing/subscriptions';
import { packageIds } from '../../db/schema';
import { AppError } from '../../errors';
import type { HubspotTokens } from '../../hubspot/tokens';
import type { UninstallOutcome } from '../../hubspot/uninstall';
import { textLimitWarnings } from '../../invoicing/fit';
import type { InvoiceRecords } from '../../invoicing/records';
import { invoiceWarnings, type InvoiceWarning } from '../../invoicing/warnings';
import { renderTemplate, unknownPlaceholders } from '../../invoicing/template';
import type { WebhookHealth } from '../../jobs/definitions/reconcile';
import { webhookRoutingJobName } from '../../jobs/definitions/webhook-routing';
import type { DbJobQueue } from '../../jobs/queue';
import type { PortalSettings, PortalSettingsStore } from '../../settings/portal-settings';
import type { OtherWriterView } from '../../sync/other-writers';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';
import { localeOf } from './deal-card';

export interface SettingsDeps {
  signature: SignatureOptions;
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  /** Stripe Billing; absent when no Stripe key is configured. */
  billing?: StripeBilling;
  settings: PortalSettingsStore;
  tokens: HubspotTokens;
  queue: DbJobQueue;
  /** Removes the app from the HubSpot account (hubspot/uninstall.ts); "disconnect portal" calls it before deleting our tokens. */
  uninstall: (portalId: string) => Promise<UninstallOutcome>;
  /** Invoice records, for the warnings shown beside an invoice job in the activity log. */
  records: InvoiceRecords;
  /** Whether HubSpot's webhooks reach us (last event, what the reconciliation sweep had to catch up). */
  webhookHealth?: (portalId: string) => Promise<WebhookHealth>;
  /** Other apps that changed synced fields of linked contacts and companies in the last 30 days (sync/other-writers.ts). */
  otherWriters?: (portalId: string) => Promise<OtherWriterView[]>;
  onEnqueued?: () => void;
}

const ConnectBody = z.object({ provider: ProviderIdSchema, credentials: z.record(z.string(), z.string()) });
const PackageParams = z.object({ packageId: z.enum(packageIds), action: z.enum(['activate', 'cancel']) });
const CheckoutBody = z.object({ packageIds: z.array(z.enum(packageIds)).min(1).max(packageIds.length), locale: z.enum(['de', 'en']).default('en') });
const PortalBody = z.object({ locale: z.enum(['de', 'en']).default('en') });
const ActivityQuery = z.object({
  state: z.enum(['queued', 'running', 'retrying', 'succeeded', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  locale: z.string().optional(),
});
const JobParams = z.object({ jobId: z.coerce.number().int().positive() });

/**
 * What the connected vendor can do with documents, and whether it links a person to a company (the settings page
 * offers only that, and says what is missing); null when none is connected.
 */
async function documentCapabilities(deps: Pick<SettingsDeps, 'connections'>, portalId: string) {
  const capabilities = (await deps.connections.providerFor(portalId))?.provider.capabilities;
  if (!capabilities) return null;
  const { quotations, invoiceFromQuotation, invoiceCancellation, contactCompanyLink } = capabilities;
  return { quotations, invoiceFromQuotation, invoiceCancellation, contactCompanyLink };
}

/**
 * What the connected vendor decides for the invoice rules: its standard tax rate (used while the portal sets none)
 * and the rounding rules it leaves unsettled, each offered as a choice; null when none is connected.
 */
async function vendorRules(deps: Pick<SettingsDeps, 'connections'>, portalId: string) {
  const connected = await deps.connections.providerFor(portalId);
  if (!connected) return null;
  const { provider } = connected;
  const roundingChoices = provider.rounding.choices.map((c) => ({ option: c.option, values: [...c.values], rule: c.rule }));
  return { provider: connected.id, defaultTaxRatePercent: provider.defaultTaxRatePercent, roundingChoices };
}

/** An invoice run's document warnings (totals differ from the prediction, default tax rate) beside its job. */
async function jobWarnings(records: InvoiceRecords, portalId: string, job: { name: string; payload: unknown }, locale: 'de' | 'en'): Promise<InvoiceWarning[]> {
  const dealId = (job.payload as { dealId?: unknown } | null)?.dealId;
  if (job.name !== 'invoice.process' || typeof dealId !== 'string') return [];
  const record = await records.get(portalId, dealId);
  return record?.documentId ? invoiceWarnings(record, locale) : [];
}

export function settingsRoutes(deps: SettingsDeps): Router {
  const router = Router();
  router.use('/api/v1/settings', requireHubspotSignature(deps.signature));

  router.get('/api/v1/settings', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    const packages = await deps.subscriptions.list(portalId);
    res.json({
      portal: { id: portalId, status: await deps.tokens.status(portalId) },
      connection: (await deps.connections.view(portalId)) ?? null,
      capabilities: await documentCapabilities(deps, portalId),
      vendorRules: await vendorRules(deps, portalId),
      providers: providerList(),
      packages: packageIds.map((id) => ({
        id,
        names: packageNames[id],
        ...(packages.find((p) => p.packageId === id) ?? { state: { state: 'inactive' } }),
      })),
      features: await deps.subscriptions.features(portalId),
      billing: { enabled: Boolean(deps.billing), graceDays: Math.round(deps.subscriptions.graceMs / 86_400_000) },
      rules: await deps.settings.get(portalId),
      webhooks: (await deps.webhookHealth?.(portalId)) ?? null,
      otherWriters: (await deps.otherWriters?.(portalId)) ?? [],
    });
  });

  router.post('/api/v1/settings/connection/test', async (req, res) => {
    verifiedPortalId(res);
    const body = ConnectBody.parse(req.body);
    res.json(await deps.connections.test(body.provider, body.credentials));
  });

  router.put('/api/v1/settings/connection', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const body = ConnectBody.parse(req.body);
    res.json(await deps.connections.connect(portalId, body.provider, body.credentials));
  });

  router.delete('/api/v1/settings/connection', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    // Deletes our stored credentials only; nothing in HubSpot or the accounting system is deleted.
    res.json({ disconnected: await deps.connections.disconnect(portalId) });
  });

  router.post('/api/v1/settings/packages/:packageId/:action', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const { packageId, action } = PackageParams.parse(req.params);
    if (action !== 'cancel' && (await deps.tokens.status(portalId)) === 'not_connected') {
      throw new AppError('conflict', 'APIUP is not installed in this HubSpot account. Install the app first, then choose a package.');
    }
    if (action === 'activate') return void res.json(await deps.subscriptions.activate(portalId, packageId));
    // A paid package is cancelled in Stripe, to the end of its period; the webhook then records it.
    if (deps.billing && (await deps.billing.cancelAtPeriodEnd(portalId, packageId))) {
      const state = (await deps.subscriptions.list(portalId)).find((p) => p.packageId === packageId)!.state;
      return void res.json({ packageId, state, pending: true });
    }
    const result = await deps.subscriptions.cancel(portalId, packageId);
    if (!result) throw new AppError('not_found', 'This package was never activated.');
    res.json(result);
  });

  /** Booking: one hosted Stripe Checkout per package (each package is its own subscription). */
  router.post('/api/v1/settings/billing/checkout', async (req, res) => {
    const portalId = verifiedPortalId(res);
    if (!deps.billing) throw new AppError('conflict', 'Payment is not configured on this server.');
    if ((await deps.tokens.status(portalId)) === 'not_connected') {
      throw new AppError('conflict', 'APIUP is not installed in this HubSpot account. Install the app first, then choose a package.');
    }
    const body = CheckoutBody.parse(req.body);
    const sessions = [];
    for (const packageId of new Set(body.packageIds)) sessions.push(await deps.billing.checkout(portalId, packageId, body.locale));
    res.json({ sessions });
  });

  router.post('/api/v1/settings/billing/portal', async (req, res) => {
    const portalId = verifiedPortalId(res);
    if (!deps.billing) throw new AppError('conflict', 'Payment is not configured on this server.');
    res.json(await deps.billing.portal(portalId, PortalBody.parse(req.body ?? {}).locale));
  });

  router.put('/api/v1/settings/rules', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const body = z.object({ invoice: z.unknown().optional(), sync: z.unknown().optional() }).parse(req.body);
    const wanted = z.object({ documentType: z.string().optional() }).safeParse(body.invoice ?? {});
    if (wanted.success && wanted.data.documentType === 'quotation' && (await documentCapabilities(deps, portalId))?.quotations === false) {
      throw new AppError('conflict', 'The connected accounting system cannot create quotations through its API; keep the document type "invoice".');
    }
    // Validation and warnings first: whatever fails here leaves the stored rules as they were.
    const rules = await deps.settings.prepare(portalId, body);
    const warnings = textWarnings(rules.invoice.texts, (await deps.connections.providerFor(portalId))?.provider.fieldLimits.document);
    await deps.settings.save(portalId, rules);
    res.json({ rules, warnings });
  });

  router.get('/api/v1/settings/activity', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const query = ActivityQuery.parse(req.query);
    // A webhook delivery's routing job is shown while it waits, fails or is dead, not once it made the events' jobs.
    const jobs = await deps.queue.list({
      portalId,
      states: query.state ? [query.state] : undefined,
      limit: query.limit,
      quietWhenSucceeded: [webhookRoutingJobName],
    });
    const locale = localeOf(query.locale);
    const warnings = await Promise.all(jobs.map((j) => jobWarnings(deps.records, portalId, j, locale)));
    res.json({
      jobs: jobs.map((j, i) => ({
        id: j.id,
        name: j.name,
        state: j.state,
        attempts: j.attempts,
        maxAttempts: j.maxAttempts,
        payload: j.payload,
        lastError: j.lastError,
        runAt: j.runAt,
        updatedAt: j.updatedAt,
        warnings: warnings[i],
      })),
    });
  });

  router.post('/api/v1/settings/activity/:jobId/retry', async (req, res) => {
    const portalId = verifiedPortalId(res);
    const { jobId } = JobParams.parse(req.params);
    if (!(await deps.queue.retryNow(portalId, jobId))) throw new AppError('not_found', 'No dead or waiting job with this id.');
    deps.onEnqueued?.();
    res.json({ retried: jobId });
  });

  router.delete('/api/v1/settings/portal', async (_req, res) => {
    const portalId = verifiedPortalId(res);
    // HubSpot first, while our tokens still work; when HubSpot does not confirm, nothing is deleted and the admin can try again.
    const outcome = await deps.uninstall(portalId).catch((cause: unknown) => {
      throw new AppError('upstream_failed', 'HubSpot did not confirm removing the app from this account. Nothing was disconnected; try again.', undefined, {
        cause,
      });
    });
    await deps.tokens.disconnect(portalId);
    const endedJobs = await deps.queue.endPortal(portalId, { code: 'portal_disconnected', message: 'The HubSpot account was disconnected from APIUP.' });
    res.json({ disconnected: true, uninstalledFromHubspot: outcome === 'uninstalled', deletedElsewhere: false, endedJobs });
  });
  return router;
}

type InvoiceTexts = PortalSettings['invoice']['texts'];

/** Unknown placeholders, and the fixed part of each text measured against the vendor's field limits. */
function textWarnings(texts: InvoiceTexts, limits: Parameters<typeof textLimitWarnings>[1] | undefined) {
  const placeholders = Object.entries(texts).flatMap(([field, text]) =>
    unknownPlaceholders(text).map((p) => ({ field, code: 'unknown_placeholder' as const, placeholder: p })),
  );
  const fixed = {
    title: renderTemplate(texts.title, {}),
    introduction: renderTemplate(texts.introduction, {}),
    paymentTerms: renderTemplate(texts.paymentTerms, {}),
    closingText: renderTemplate(texts.closingText, {}),
  };
  return [...placeholders, ...(limits ? textLimitWarnings(fixed, limits) : [])];
}
