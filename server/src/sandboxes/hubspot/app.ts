/**
 * In-memory emulator of the HubSpot API subset APIUP uses (OAuth, CRM objects, search, associations v4,
 * pipelines, properties, tax rates, notes, workflow action callbacks) with HubSpot's limits and error
 * bodies, plus signed webhook delivery of the changes made through it and signed workflow action calls. Stands in for api.hubapi.com and app.hubspot.com/oauth/authorize.
 */
import express from 'express';
import pino, { type Logger } from 'pino';
import { Faults } from '../faults';
import { ExchangeRecorder } from '../recorder';
import type { Sandbox, SandboxOptions } from '../types';
import { accountInfoRouter } from './account-info';
import { appInstallsRouter } from './app-installs';
import { readAppScopes, privateAppScopes, type AppScopes } from './app-config';
import { addAssociation, associationsOf } from './association-store';
import { defaultTypeBetween, primaryTypeBetween } from './association-types';
import { associationsRouter } from './associations';
import { bearerAuth, rateLimits } from './auth';
import { authOf, type ResolvedHubspotOptions, type SandboxContext } from './context';
import { controlRouter } from './control';
import { NoteStore, notesRouter, type SandboxNote } from './notes';
import { HubspotApiError, errorHandler, notFound, rateLimitError, sendError } from './errors';
import { resolveObjectType, type ObjectType } from './object-types';
import { oauthRouter } from './oauth';
import { objectsRouter } from './objects';
import { pipelinesRouter } from './pipelines';
import { propertiesRouter } from './properties';
import { createRecord, getLiveRecord, normalizeProperties, restoreRecord, updateRecord, type WriteContext } from './records';
import { dateVersionedObjects, enforceRequiredRules, RequiredRules, type RequiredRule } from './required-rules';
import { requireScopes } from './scopes';
import { searchRouter } from './search';
import { HubspotStore, type ChangeSource, type CrmRecord } from './store';
import { taxRatesRouter } from './tax-rates';
import { TokenStore } from './tokens';
import type { WebhookSubscription } from './webhook-events';
import { WebhookDispatcher, type WebhookDeliveryRecord, type WebhookSwitches } from './webhooks';
import { WorkflowActionRunner, callbacksRouter, type WorkflowExecutionRecord } from './workflow-actions';

export interface HubspotSandboxOptions extends SandboxOptions {
  /** Our app's id; webhook events carry it as `appId`, and our changes as `sourceId` (string). Default 4_242_424. */
  appId?: number;
  clientId?: string;
  clientSecret?: string;
  /** Redirect URIs registered for the app; the authorize page accepts only these. */
  redirectUris?: string[];
  /** Where webhook batches are POSTed; settable later with `setWebhookTarget`. No target → no delivery. */
  webhookTargetUrl?: string;
  /** Active classic subscriptions; default `defaultSubscriptions` (webhook-events.ts). */
  webhookSubscriptions?: WebhookSubscription[];
  /** Multiplies the real retry delays (minutes to hours); 0 retries at once. Default 1. */
  webhookRetryDelayScale?: number;
  /** Default 5000 (HubSpot's timeout per batch, §5). */
  webhookTimeoutMs?: number;
  /** Default 10 (§5). */
  webhookMaxRetries?: number;
  /** Default 5 per 1000 ms per portal (§6.1). */
  searchRateLimit?: { requests: number; perMs: number };
  /** The portal the authorize page installs into. Default 24_681_357. */
  demoPortalId?: number;
  /** Scopes of `installDemoPortal()` tokens; default the app's required scopes. */
  defaultScopes?: string[];
  /** The app's declared scopes; default read from hubspot-project/app/app-hsmeta.json. */
  appScopes?: AppScopes;
  /** For webhook shuffling and retry jitter; pass a seeded function for repeatable tests. */
  random?: () => number;
  log?: Logger;
}

export interface DemoInstall {
  portalId: number;
  accessToken: string;
  refreshToken: string;
}

export interface HubspotSandbox extends Sandbox {
  readonly options: ResolvedHubspotOptions;
  readonly store: HubspotStore;
  /** Installs the app into the demo portal (or another portal id) without the browser step; the tokens work at once. */
  installDemoPortal(portalId?: number): DemoInstall;
  /**
   * A private app's token for the portal (another app id, default `privateAppId`; never expires): its changes
   * are not ours, and their webhook events name that app (`changeSource: INTEGRATION`, `sourceId`: its id).
   * Two different ids stand for two different integrations.
   */
  issuePrivateAppToken(portalId?: number, appId?: number): string;
  setWebhookTarget(url: string | undefined): void;
  setWebhookSubscriptions(subscriptions: WebhookSubscription[]): void;
  setWebhookSwitches(patch: Partial<WebhookSwitches>): WebhookSwitches;
  /** Resolves when every queued webhook delivery, retries included, is done. */
  flushWebhooks(): Promise<void>;
  /** Every delivery attempt so far, in order. */
  readonly webhookDeliveries: readonly WebhookDeliveryRecord[];
  /** What an uninstall does: the portal's refresh tokens stop working (400 BAD_REFRESH_TOKEN). Returns how many. */
  revokeRefreshTokens(portalId: number): number;
  /** Access tokens (of one portal, or all) expire now: next API call → 401 EXPIRED_AUTHENTICATION. */
  expireAccessTokens(portalId?: number): number;
  setAuthorizeOutcome(outcome: 'approve' | 'deny'): void;
  /** A change as if made in HubSpot itself (default `changeSource: CRM_UI`), so webhooks are not marked as ours. */
  simulateChange(portalId: number, objectType: string, objectId: string | undefined, properties: Record<string, string>, source?: ChangeSource): CrmRecord;
  /** Restores an archived record (HubSpot does this from the recycle bin) and emits `*.restore`. */
  restoreObject(portalId: number, objectType: string, objectId: string): void;
  /** The portal's required-property rules (Create Record form, conditional); 2026-09 write paths enforce them. */
  setRequiredPropertyRules(portalId: number, rules: RequiredRule[]): void;
  requiredPropertyRules(portalId: number): RequiredRule[];
  /** Associates two records with the default type as a HubSpot user would (the first company also as primary). */
  simulateAssociation(portalId: number, fromType: string, fromId: string, toType: string, toId: string, source?: ChangeSource): void;
  /**
   * Adds a rate to the portal's tax rate library, as an admin does in HubSpot's settings (the library has
   * no write API); e.g. a Swiss seller's 8.1 % and 2.6 %. Returns the new rate's id.
   */
  addTaxRate(portalId: number, rate: { name: string; label: string; percentageRate: string }): string;
  /**
   * Adds a currency to the portal, as an admin does in HubSpot's account currency settings (multi-currency):
   * it becomes an option of `deal_currency_code`, so deals may use it.
   */
  addCurrency(portalId: number, code: string): void;
  /** The backend origin the project's `${BACKEND_ORIGIN}` stands for (workflow action URL), as the upload profile sets it. */
  setBackendOrigin(url: string): void;
  /**
   * A workflow enrolls the deal and reaches our custom action: HubSpot POSTs the signed execution to the
   * action URL. Resolves with the execution after the first answer (BLOCKED ones wait for the callback).
   */
  runWorkflowAction(portalId: number, dealId: string, inputFields: Record<string, string>): Promise<WorkflowExecutionRecord>;
  /** HubSpot's retry of an execution (same callbackId). */
  redeliverWorkflowAction(callbackId: string): Promise<WorkflowExecutionRecord>;
  readonly workflowExecutions: ReadonlyMap<string, WorkflowExecutionRecord>;
  /** The notes on a deal's timeline, oldest first. */
  notesOf(portalId: number, dealId: string): SandboxNote[];
}

/** The app id of the sandbox's "private app" tokens (a developer's script or another integration). */
export const privateAppId = 7_000_001;

export function createHubspotSandbox(options: HubspotSandboxOptions = {}): HubspotSandbox {
  const appScopes = options.appScopes ?? readAppScopes();
  const resolved: ResolvedHubspotOptions = {
    appId: options.appId ?? 4_242_424,
    clientId: options.clientId ?? 'sandbox-client-id',
    clientSecret: options.clientSecret ?? 'sandbox-client-secret',
    redirectUris: options.redirectUris ?? ['http://localhost:3000/oauth/hubspot/callback'],
    demoPortalId: options.demoPortalId ?? 24_681_357,
    demoUserId: 7_654_321,
    appScopes,
    defaultScopes: options.defaultScopes ?? appScopes.required,
    rateLimit: options.rateLimit ?? { requests: 110, perMs: 10_000 },
    searchRateLimit: options.searchRateLimit ?? { requests: 5, perMs: 1_000 },
    now: options.now ?? Date.now,
  };
  const log = options.log ?? pino({ level: 'silent' });
  const store = new HubspotStore(resolved.now);
  const tokens = new TokenStore(resolved.now);
  const ctx: SandboxContext = { options: resolved, store, tokens, authorizeOutcome: 'approve' };
  const webhooks = new WebhookDispatcher({
    appId: resolved.appId,
    clientSecret: resolved.clientSecret,
    targetUrl: options.webhookTargetUrl,
    subscriptions: options.webhookSubscriptions,
    retryDelayScale: options.webhookRetryDelayScale,
    timeoutMs: options.webhookTimeoutMs,
    maxRetries: options.webhookMaxRetries,
    now: resolved.now,
    random: options.random,
    log,
  });
  store.onChange((change) => webhooks.handle(change));

  const notes = new NoteStore();
  const workflowActions = new WorkflowActionRunner({ clientSecret: resolved.clientSecret, now: resolved.now });
  const faults = new Faults();
  const recorder = new ExchangeRecorder();
  const app = express();
  app.use(recorder.middleware());
  app.use(
    faults.middleware({
      rejectRateLimited: (res) => sendError(res, rateLimitError('TEN_SECONDLY_ROLLING', 1_000)),
      rejectUnavailable: (res) => sendError(res, new HubspotApiError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable')),
    }),
  );
  app.use(express.json({ limit: '2mb' }));
  app.use(express.urlencoded({ extended: false }));
  app.use(controlRouter(() => sandbox));
  app.use(oauthRouter(ctx));
  // Not mounted with a path: a mounted middleware sees a shortened req.path, which the recorder would log.
  const authenticate = bearerAuth(ctx);
  const limit = rateLimits(ctx);
  const scoped = requireScopes((res) => authOf(res).scopes);
  app.use(accountInfoRouter(resolved.now, authenticate, limit));
  app.use(appInstallsRouter(ctx, authenticate, limit));
  const requiredRules = new RequiredRules();
  app.use(dateVersionedObjects);
  app.use((req, res, next) =>
    /^\/(crm|tax-rates|automation)\//.test(req.path) ? authenticate(req, res, () => scoped(req, res, () => limit(req, res, next))) : next(),
  );
  app.use(enforceRequiredRules(requiredRules));
  for (const router of [
    notesRouter(notes, resolved.now),
    callbacksRouter(workflowActions),
    searchRouter(ctx),
    objectsRouter(ctx),
    associationsRouter(ctx),
    pipelinesRouter(ctx),
    propertiesRouter(ctx),
    taxRatesRouter(),
  ])
    app.use(router);
  app.use((_req, res) => sendError(res, notFound('Not found')));
  app.use(errorHandler);

  const writeContext = (portalId: number, source: ChangeSource): WriteContext => ({ store, portal: store.ensurePortal(portalId), source });
  const typeOf = (raw: string): ObjectType => {
    const type = resolveObjectType(raw);
    if (!type) throw new Error(`unknown object type ${raw}`);
    return type;
  };
  const isLiveDeal = (portalId: number, id: string) => store.portal(portalId)?.records.deals.get(id)?.archived === false;
  const userSource: ChangeSource = { changeSource: 'CRM_UI', sourceId: `userId:${resolved.demoUserId}` };

  const sandbox: HubspotSandbox = {
    name: 'hubspot',
    app,
    faults,
    recorder,
    options: resolved,
    store,
    credentials: {
      clientId: resolved.clientId,
      clientSecret: resolved.clientSecret,
      appId: String(resolved.appId),
      redirectUri: resolved.redirectUris[0],
      portalId: String(resolved.demoPortalId),
    },
    installDemoPortal(portalId = resolved.demoPortalId) {
      store.ensurePortal(portalId);
      const issued = tokens.issue(portalId, resolved.demoUserId, resolved.defaultScopes);
      return { portalId, accessToken: issued.access.token, refreshToken: issued.refresh.token };
    },
    issuePrivateAppToken(portalId = resolved.demoPortalId, appId = privateAppId) {
      if (appId === resolved.appId) throw new Error('a private app token needs another app id than the APIUP app');
      store.ensurePortal(portalId);
      return tokens.issuePrivateAppToken(portalId, appId, privateAppScopes).token;
    },
    setWebhookTarget: (url) => void (webhooks.targetUrl = url),
    setWebhookSubscriptions: (subscriptions) => void (webhooks.subscriptions = subscriptions),
    setWebhookSwitches: (patch) => (webhooks.switches = { ...webhooks.switches, ...patch }),
    flushWebhooks: () => webhooks.flush(),
    webhookDeliveries: webhooks.deliveries,
    revokeRefreshTokens: (portalId) => tokens.revokePortalRefreshTokens(portalId),
    expireAccessTokens: (portalId) => tokens.expireAccessTokens(portalId),
    setAuthorizeOutcome: (outcome) => void (ctx.authorizeOutcome = outcome),
    setRequiredPropertyRules: (portalId, rules) => requiredRules.set(portalId, rules),
    requiredPropertyRules: (portalId) => requiredRules.of(portalId),
    simulateChange(portalId, objectType, objectId, properties, source = userSource) {
      const type = typeOf(objectType);
      const wc = writeContext(portalId, source);
      if (objectId === undefined) return createRecord(wc, type, normalizeProperties(wc.portal, type, properties));
      const record = getLiveRecord(wc.portal, type, objectId);
      return updateRecord(wc, type, record, normalizeProperties(wc.portal, type, properties, record));
    },
    restoreObject(portalId, objectType, objectId) {
      const type = typeOf(objectType);
      const wc = writeContext(portalId, userSource);
      const record = wc.portal.records[type].get(objectId);
      if (!record) throw new Error(`no ${type} ${objectId} in portal ${portalId}`);
      restoreRecord(wc, type, record);
    },
    simulateAssociation(portalId, fromType, fromId, toType, toId, source = userSource) {
      const [from, to] = [typeOf(fromType), typeOf(toType)];
      const def = defaultTypeBetween(from, to);
      if (!def) throw new Error(`no default association from ${from} to ${to}`);
      const wc = writeContext(portalId, source);
      addAssociation(wc, def, fromId, toId);
      // In HubSpot's UI the first company associated with a deal (or contact) becomes its primary one, so
      // a read lists it as both `deal_to_company` and `deal_to_company_unlabeled` (hubspot.md §6.1).
      const primary = primaryTypeBetween(from, to);
      if (primary && !associationsOf(wc.portal, from, fromId, to).some(([, typeIds]) => typeIds.includes(primary.typeId)))
        addAssociation(wc, primary, fromId, toId);
    },
    addTaxRate(portalId, rate) {
      const portal = store.ensurePortal(portalId);
      const id = String(1000 + portal.taxRates.length + 1);
      const at = resolved.now();
      portal.taxRates.push({ id, ...rate, active: true, createdAt: at, updatedAt: at });
      return id;
    },
    setBackendOrigin: (url) => void (workflowActions.backendOrigin = url),
    runWorkflowAction: (portalId, dealId, inputFields) => workflowActions.run(portalId, dealId, inputFields, isLiveDeal),
    redeliverWorkflowAction: (callbackId) => workflowActions.redeliver(callbackId),
    workflowExecutions: workflowActions.executions,
    notesOf: (portalId, dealId) => notes.ofDeal(portalId, dealId),
    addCurrency(portalId, code) {
      const property = store.ensurePortal(portalId).properties.deals.get('deal_currency_code');
      const options = property?.options;
      if (!options || options.some((o) => o.value === code)) return;
      options.push({ label: code, value: code, displayOrder: options.length, hidden: false });
    },
  };
  return sandbox;
}
