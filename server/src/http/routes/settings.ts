/**
 * Backend of the app settings page (signed `hubspot.fetch`): accounting connection (test, connect,
 * disconnect), packages (activate trial, book, cancel), invoice and sync rules, activity log with
 * retry of dead jobs. Every read and write is scoped to the verified portal.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ProviderIdSchema, type AccountingConnections } from '../../accounting/connections';
import { providers } from '../../accounting/registry';
import { packageNames } from '../../billing/packages';
import type { Subscriptions } from '../../billing/subscriptions';
import { packageIds } from '../../db/schema';
import { AppError } from '../../errors';
import type { HubspotTokens } from '../../hubspot/tokens';
import { textLimitWarnings } from '../../invoicing/fit';
import { renderTemplate, unknownPlaceholders } from '../../invoicing/template';
import type { SqliteJobQueue } from '../../jobs/queue';
import type { PortalSettingsStore } from '../../settings/portal-settings';
import { requireHubspotSignature, verifiedPortalId, type SignatureOptions } from '../middleware/hubspot-signature';

export interface SettingsDeps {
  signature: SignatureOptions;
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  settings: PortalSettingsStore;
  tokens: HubspotTokens;
  queue: SqliteJobQueue;
  onEnqueued?: () => void;
}

const ConnectBody = z.object({ provider: ProviderIdSchema, credentials: z.record(z.string(), z.string()) });
const PackageParams = z.object({ packageId: z.enum(packageIds), action: z.enum(['activate', 'book', 'cancel']) });
const ActivityQuery = z.object({ state: z.enum(['queued', 'running', 'retrying', 'succeeded', 'dead']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const JobParams = z.object({ jobId: z.coerce.number().int().positive() });

/** What the connected vendor can do with documents (the settings page offers only that); null when none is connected. */
function documentCapabilities(deps: Pick<SettingsDeps, 'connections'>, portalId: string) {
  const capabilities = deps.connections.providerFor(portalId)?.provider.capabilities;
  if (!capabilities) return null;
  const { quotations, invoiceFromQuotation, invoiceCancellation } = capabilities;
  return { quotations, invoiceFromQuotation, invoiceCancellation };
}

export function settingsRoutes(deps: SettingsDeps): Router {
  const router = Router();
  router.use('/api/v1/settings', requireHubspotSignature(deps.signature));

  router.get('/api/v1/settings', (_req, res) => {
    const portalId = verifiedPortalId(res);
    res.json({
      portal: { id: portalId, status: deps.tokens.status(portalId) },
      connection: deps.connections.view(portalId) ?? null,
      capabilities: documentCapabilities(deps, portalId),
      providers: Object.entries(providers).map(([id, p]) => ({ id, label: p.label })),
      packages: packageIds.map((id) => ({ id, names: packageNames[id], ...(deps.subscriptions.list(portalId).find((p) => p.packageId === id) ?? { state: { state: 'inactive' } }) })),
      features: deps.subscriptions.features(portalId),
      rules: deps.settings.get(portalId),
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

  router.delete('/api/v1/settings/connection', (_req, res) => {
    const portalId = verifiedPortalId(res);
    // Deletes our stored credentials only; nothing in HubSpot or the accounting system is deleted.
    res.json({ disconnected: deps.connections.disconnect(portalId) });
  });

  router.post('/api/v1/settings/packages/:packageId/:action', (req, res) => {
    const portalId = verifiedPortalId(res);
    const { packageId, action } = PackageParams.parse(req.params);
    const result = action === 'activate' ? deps.subscriptions.activate(portalId, packageId) : action === 'book' ? deps.subscriptions.book(portalId, packageId) : deps.subscriptions.cancel(portalId, packageId);
    if (!result) throw new AppError('not_found', 'This package was never activated.');
    res.json(result);
  });

  router.put('/api/v1/settings/rules', (req, res) => {
    const portalId = verifiedPortalId(res);
    const body = z.object({ invoice: z.unknown().optional(), sync: z.unknown().optional() }).parse(req.body);
    const wanted = z.object({ documentType: z.string().optional() }).safeParse(body.invoice ?? {});
    if (wanted.success && wanted.data.documentType === 'quotation' && documentCapabilities(deps, portalId)?.quotations === false) {
      throw new AppError('conflict', 'The connected accounting system cannot create quotations through its API; keep the document type "invoice".');
    }
    const saved = deps.settings.update(portalId, body);
    const texts = saved.invoice.texts;
    const placeholders = Object.entries(texts).flatMap(([field, text]) => unknownPlaceholders(text).map((p) => ({ field, code: 'unknown_placeholder' as const, placeholder: p })));
    const limits = deps.connections.providerFor(portalId)?.provider.fieldLimits.document;
    const fixed = { title: renderTemplate(texts.title, {}), introduction: renderTemplate(texts.introduction, {}), paymentTerms: renderTemplate(texts.paymentTerms, {}), closingText: renderTemplate(texts.closingText, {}) };
    res.json({ rules: saved, warnings: [...placeholders, ...(limits ? textLimitWarnings(fixed, limits) : [])] });
  });

  router.get('/api/v1/settings/activity', (req, res) => {
    const portalId = verifiedPortalId(res);
    const query = ActivityQuery.parse(req.query);
    const jobs = deps.queue.list({ portalId, states: query.state ? [query.state] : undefined, limit: query.limit });
    res.json({
      jobs: jobs.map((j) => ({ id: j.id, name: j.name, state: j.state, attempts: j.attempts, maxAttempts: j.maxAttempts, payload: j.payload, lastError: j.lastError, runAt: j.runAt, updatedAt: j.updatedAt })),
    });
  });

  router.post('/api/v1/settings/activity/:jobId/retry', (req, res) => {
    const portalId = verifiedPortalId(res);
    const { jobId } = JobParams.parse(req.params);
    if (!deps.queue.retryDead(portalId, jobId)) throw new AppError('not_found', 'No dead job with this id.');
    deps.onEnqueued?.();
    res.json({ retried: jobId });
  });

  router.delete('/api/v1/settings/portal', (_req, res) => {
    const portalId = verifiedPortalId(res);
    deps.tokens.disconnect(portalId);
    res.json({ disconnected: true, deletedElsewhere: false });
  });
  return router;
}
