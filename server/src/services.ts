/**
 * Wires the feature services from config: HubSpot (OAuth, tokens, clients, webhook intake) and the
 * routers and job definitions they contribute. No globals: everything is built here and passed down.
 */
import type { Router } from 'express';
import { AccountDataCache } from './accounting/account-data';
import type { Logger } from 'pino';
import { RateLimiterRegistry } from './lib/rate-limit';
import { liveDefaults, type Config } from './config';
import type { SecretBox } from './crypto/secrets';
import type { Db } from './db/client';
import { HubspotClients } from './hubspot/client';
import { HubspotOAuth } from './hubspot/oauth';
import { HubspotTokens } from './hubspot/tokens';
import type { WebhookRoute } from './jobs/webhook-routes';
import { hubspotWebhookRoutes } from './http/routes/hubspot-webhooks';
import { oauthRoutes } from './http/routes/oauth';
import { dealCardRoutes } from './http/routes/deal-card';
import { fileRoutes, FileLinks } from './http/routes/files';
import { settingsRoutes } from './http/routes/settings';
import { pipelineSettingsRoutes } from './http/routes/pipeline-settings';
import type { SignatureOptions } from './http/middleware/hubspot-signature';
import type { AnyJobDefinition } from './jobs/define';
import { portalSetupJob } from './jobs/definitions/portal-setup';
import { every, pruneJob, schedulePrune } from './jobs/definitions/maintenance';
import { enqueueDueSweeps, reconcileJob, webhookHealth } from './jobs/definitions/reconcile';
import { portalSync } from './sync/context';
import { subscribeEventsJob } from './jobs/definitions/accounting-events';
import { accountingWebhookRoutes } from './http/routes/accounting-webhooks';
import { dealStageRoute, invoiceJobs, quoteRoute } from './jobs/definitions/invoice';
import { WorkflowExecutions } from './invoicing/workflow-action';
import { workflowActionRoutes } from './http/routes/workflow-actions';
import { AccountingConnections } from './accounting/connections';
import { VendorEventSecrets } from './accounting/event-secrets';
import { accountingConnections } from './db/schema';
import { Subscriptions } from './billing/subscriptions';
import { StripeBilling } from './billing/stripe-billing';
import { syncSubscriptionJob } from './jobs/definitions/billing';
import { stripeWebhookRoutes } from './http/routes/stripe-webhooks';
import { billingReturnRoute } from './http/routes/billing-return';
import { PipelineCache } from './hubspot/pipelines';
import { uninstallApp } from './hubspot/uninstall';
import { AccountCurrencyCache } from './hubspot/account-currency';
import { TaxRateCache } from './hubspot/tax-rates';
import { InvoiceRecords } from './invoicing/records';
import { previewInvoice } from './invoicing/preview';
import type { InvoicingDeps } from './invoicing/process-deal';
import { PortalSettingsStore } from './settings/portal-settings';
import type { DbJobQueue } from './jobs/queue';
import type { Worker } from './jobs/worker';
import { Metrics } from './metrics';
import { KeyedLock } from './lib/keyed-lock';
import { AdvisoryLocks } from './db/advisory-locks';
import { DbSlotStore } from './db/rate-slots';
import { createSyncModule, type SyncModule } from './jobs/definitions/sync-module';
import { webhookRoutingJob, type RoutingJob } from './jobs/definitions/webhook-routing';
import { syncCardRoutes } from './http/routes/sync-cards';
import { syncSettingsRoutes } from './http/routes/sync-settings';
import { otherWriters } from './sync/other-writers';

/** Wait before syncing a customer a vendor event named (see `syncCustomerNow`). */
const vendorEventSyncDelayMs = 2_000;
export interface ServiceDeps {
  config: Config;
  db: Db;
  log: Logger;
  queue: DbJobQueue;
  worker: Worker;
  secrets: SecretBox;
  /** The backend's public origin (https://… live; the local URL in sandbox mode). */
  publicUrl: () => string;
}

export interface Services {
  metrics: Metrics;
  sync: SyncModule;
  hubspot: { oauth: HubspotOAuth; tokens: HubspotTokens; clients: HubspotClients; pipelines: PipelineCache };
  connections: AccountingConnections;
  subscriptions: Subscriptions;
  /** Absent when no Stripe key is configured (live mode without billing). */
  billing?: StripeBilling;
  settings: PortalSettingsStore;
  invoicing: InvoicingDeps & { jobs: ReturnType<typeof invoiceJobs>; workflowExecutions: WorkflowExecutions };
  limiters: RateLimiterRegistry;
  signature: SignatureOptions;
  /** Webhook routes; domains add theirs. */
  webhookRoutes: WebhookRoute[];
  routers: Router[];
  jobs: AnyJobDefinition[];
  portalSetupJob: ReturnType<typeof portalSetupJob>;
  reconcileJob: ReturnType<typeof reconcileJob>;
  /** Makes the jobs of stored webhook events, after the intake answered. */
  webhookRouting: RoutingJob;
  afterListen(): Promise<void>;
  close(): Promise<void>;
}

export function buildServices(deps: ServiceDeps): Services {
  const { config, db, log, queue, worker, secrets } = deps;
  const hubspotConfig = config.hubspot;
  if (!hubspotConfig.clientId || !hubspotConfig.clientSecret) throw new Error('HubSpot client id and secret are not configured');
  const apiBaseUrl = hubspotConfig.apiBaseUrl ?? liveDefaults.hubspotApi;
  const oauth = new HubspotOAuth({
    clientId: hubspotConfig.clientId,
    clientSecret: hubspotConfig.clientSecret,
    oauthBaseUrl: hubspotConfig.oauthBaseUrl ?? liveDefaults.hubspotOauth,
    apiBaseUrl,
    get redirectUri() {
      return `${deps.publicUrl()}/oauth/callback`;
    },
  });
  // On PostgreSQL several instances may share the database: the outside APIs' limits and the
  // customer lock are then shared through it (docs/architecture.md, "Several instances").
  const shared = db.dialect === 'postgres';
  const limiters = new RateLimiterRegistry(config.rateLimitTimeScale, shared ? new DbSlotStore(db) : undefined);
  const advisoryLocks = shared ? new AdvisoryLocks(db, config.queue.concurrency + 2) : undefined;
  const tokens = new HubspotTokens(db, secrets, oauth, log.child({ component: 'hubspot-tokens' }));
  const clients = new HubspotClients({ apiBaseUrl, tokens, limiters, log: log.child({ component: 'hubspot' }) });
  const setupJob = portalSetupJob(clients);
  const signature: SignatureOptions = { clientSecret: () => hubspotConfig.clientSecret!, publicUrl: deps.publicUrl };
  const now = Date.now;
  const metrics = new Metrics(db);
  const settings = new PortalSettingsStore(db, now);
  const connections = new AccountingConnections({
    db,
    secrets,
    limiters,
    accountData: new AccountDataCache(),
    log,
    baseUrls: config.accountingBaseUrls,
    observer: metrics.observeVendor,
    timeoutMs: config.vendorTimeoutMs,
    webhookPublicKeys: config.webhookPublicKeys,
    // The preview's prediction and the run's use the portal's reading of each unsettled rounding rule.
    roundingFor: async (portalId, providerId) => (await settings.get(portalId)).invoice.roundingRules[providerId],
  });
  const subscriptions = new Subscriptions(db, now, config.billing.graceMs);
  const stripeConfig = config.billing.stripe;
  const billing = stripeConfig
    ? new StripeBilling(
        {
          secretKey: stripeConfig.secretKey,
          apiBaseUrl: stripeConfig.apiBaseUrl ?? liveDefaults.stripe,
          priceIds: stripeConfig.priceIds,
          get returnUrl() {
            return config.billing.returnUrl ?? `${deps.publicUrl()}/billing/return`;
          },
        },
        db,
        subscriptions,
        now,
      )
    : undefined;
  const billingJob = billing ? syncSubscriptionJob({ billing, subscriptions }) : undefined;
  const pipelines = new PipelineCache(clients);
  const customerLock = new KeyedLock(advisoryLocks);
  const invoicingDeps: InvoicingDeps = {
    customerLock,
    db,
    hubspot: clients,
    pipelines,
    taxRates: new TaxRateCache(clients, now),
    accountCurrency: new AccountCurrencyCache(clients, now),
    connections,
    subscriptions,
    settings,
    records: new InvoiceRecords(db, now),
    log: log.child({ component: 'invoicing' }),
    now,
    onInvoiced: (latencyMs) => metrics.invoiceLatency.observe(latencyMs / 1000),
    schedulePaymentCheck: async (portalId, dealId) => {
      await queue.enqueue(invoice.paymentCheck, { portalId, dealId }, { runAt: now() + config.invoicing.paymentPollInitialMs });
    },
  };
  const workflowExecutions = new WorkflowExecutions(db, now);
  const invoice = invoiceJobs(invoicingDeps, queue, { paymentPollInitialMs: config.invoicing.paymentPollInitialMs, workflowExecutions });
  const eventSecrets = new VendorEventSecrets(db, secrets);
  const eventSecret = (portalId: string) => eventSecrets.secretFor(portalId);
  const subscribeEvents = subscribeEventsJob({
    connections,
    secretFor: eventSecret,
    callbackUrl: (portalId, provider) => `${deps.publicUrl()}/webhooks/accounting/${portalId}/${provider}`,
  });
  connections.onConnected = async (portalId) => {
    // The connection is saved either way; a failed enqueue only delays the event subscription to the next start.
    try {
      await queue.enqueue(subscribeEvents, { portalId });
      worker.poke();
    } catch (error) {
      log.error({ err: error, portalId }, 'could not enqueue the event subscription');
    }
  };
  const prune = pruneJob({ db, policy: config.retention, now });
  let pruneSchedule: { stop(): void } | undefined;
  const webhookRoutes: WebhookRoute[] = [dealStageRoute(invoice.process), quoteRoute(invoice.quoteChanged)];
  const sync = createSyncModule({ db, queue, log, hubspot: clients, connections, settings, subscriptions, customerLock, onEnqueued: () => worker.poke() });
  webhookRoutes.push(...sync.webhookRoutes);
  const routing = webhookRoutingJob({ db, queue, routes: () => webhookRoutes, onRouted: () => worker.poke() });

  const reconcile = reconcileJob({
    db,
    hubspot: clients,
    pipelines,
    records: invoicingDeps.records,
    queue,
    invoiceJob: invoice.process,
    syncJob: sync.definitions.hubspot,
    syncsFromHubspot: async (portalId) => (await portalSync(sync.deps, portalId))?.rules.hubspotToAccounting === true,
    now,
    onEnqueued: () => worker.poke(),
  });
  let sweepSchedule: { stop(): void } | undefined;

  const files = new FileLinks(secrets.deriveKey('file-links'), deps.publicUrl, now);
  const routers = [
    dealCardRoutes({
      signature,
      records: invoicingDeps.records,
      queue,
      jobs: invoice,
      connections,
      subscriptions,
      tokens,
      files,
      preview: (portalId, dealId, locale) => previewInvoice(invoicingDeps, portalId, dealId, locale),
      onEnqueued: () => worker.poke(),
    }),
    settingsRoutes({
      signature,
      connections,
      subscriptions,
      billing,
      settings,
      tokens,
      queue,
      uninstall: (portalId) => uninstallApp(clients, portalId),
      records: invoicingDeps.records,
      webhookHealth: (portalId) => webhookHealth(db, portalId, now()),
      otherWriters: (portalId) => otherWriters(db, portalId, now()),
      onEnqueued: () => worker.poke(),
    }),
    pipelineSettingsRoutes({ signature, pipelines }),
    workflowActionRoutes({
      db,
      signature,
      tokens,
      records: invoicingDeps.records,
      executions: workflowExecutions,
      settings,
      queue,
      jobs: invoice,
      onEnqueued: () => worker.poke(),
    }),
    ...(billing && billingJob && stripeConfig
      ? [
          stripeWebhookRoutes({
            db,
            queue,
            billing,
            job: billingJob,
            webhookSecret: () => stripeConfig.webhookSecret,
            log: log.child({ component: 'billing' }),
            onAccepted: () => worker.poke(),
          }),
        ]
      : []),
    billingReturnRoute(),
    fileRoutes({ links: files, records: invoicingDeps.records, connections }),
    accountingWebhookRoutes({
      connections,
      records: invoicingDeps.records,
      secretFor: eventSecret,
      log,
      checkPaymentNow: async (portalId, dealId) => {
        if (!(await queue.expedite(invoice.paymentCheck.key!({ portalId, dealId })))) await queue.enqueue(invoice.paymentCheck, { portalId, dealId });
        worker.poke();
      },
      syncCustomerNow: async (portalId, vendorId) => {
        if (!(await subscriptions.features(portalId)).sync) return;
        // Lexware also reports our own writes; a short wait lets the sync that made them record its link first,
        // so the event is then recognised as our echo (live.ts) instead of racing it.
        await queue.enqueue(sync.definitions.accounting, { portalId, vendorId }, { runAt: now() + vendorEventSyncDelayMs });
        worker.poke();
      },
    }),
    oauthRoutes({ db, oauth, tokens, queue, setupJob, log, stateKey: secrets.deriveKey('oauth-state'), onInstalled: () => worker.poke() }),
    hubspotWebhookRoutes({
      db,
      queue,
      log,
      signature,
      appId: () => hubspotConfig.appId,
      routes: () => webhookRoutes,
      routing,
      observers: () => sync.webhookObservers,
      onAccepted: () => worker.poke(),
      onResult: (r) => {
        metrics.webhookEvents.inc({ outcome: 'accepted' }, r.accepted);
        metrics.webhookEvents.inc({ outcome: 'duplicate' }, r.duplicates);
        metrics.webhookEvents.inc({ outcome: 'ignored' }, r.ignored);
        metrics.webhookEvents.inc({ outcome: 'rejected' }, r.rejected);
      },
    }),
    syncCardRoutes({
      signature,
      portalStatus: (portalId) => tokens.status(portalId),
      db,
      queue,
      jobs: sync.definitions,
      connections,
      subscriptions,
      now,
      onEnqueued: () => worker.poke(),
    }),
    syncSettingsRoutes({ signature, sync: sync.deps, queue, jobs: sync.definitions, onEnqueued: () => worker.poke() }),
    metrics.routes(),
  ];

  return {
    metrics,
    sync,
    hubspot: { oauth, tokens, clients, pipelines },
    connections,
    subscriptions,
    billing,
    settings,
    invoicing: { ...invoicingDeps, jobs: invoice, workflowExecutions },
    limiters,
    signature,
    webhookRoutes,
    routers,
    jobs: [
      routing,
      setupJob,
      invoice.process,
      invoice.cancel,
      invoice.paymentCheck,
      invoice.quoteChanged,
      subscribeEvents,
      prune,
      reconcile,
      ...sync.jobs,
      ...(billingJob ? [billingJob] : []),
    ],
    reconcileJob: reconcile,
    webhookRouting: routing,
    portalSetupJob: setupJob,
    async afterListen() {
      // Event types are added over time (lexoffice contact events, issue 17): each connected portal re-subscribes once
      // per start; the job adds only what is missing and does nothing for vendors without events.
      for (const { portalId } of await db.select({ portalId: accountingConnections.portalId }).from(accountingConnections))
        await queue.enqueue(subscribeEvents, { portalId });
      worker.poke();
      sync.start();
      pruneSchedule = schedulePrune(queue, prune, log, () => worker.poke());
      // Looks every few minutes which portals are due, so a new install is swept within one interval.
      sweepSchedule = every(Math.min(config.reconcileIntervalMs, 5 * 60_000), log, 'reconciliation sweep', async () => {
        if ((await enqueueDueSweeps({ db, queue }, reconcile, now(), config.reconcileIntervalMs)) > 0) worker.poke();
      });
    },
    async close() {
      sync.stop();
      pruneSchedule?.stop();
      sweepSchedule?.stop();
      await advisoryLocks?.close();
    },
  };
}
