/**
 * Sandbox mode: starts the HubSpot emulator, the accounting emulators and the Stripe emulator on their
 * own loopback ports, points the config's base URLs at them, and lists what runs where (`GET /sandbox`).
 */
import type { Logger } from 'pino';
import type { VendorManifest } from './accounting/manifest';
import { vendorManifests, type ProviderId } from './accounting/registry';
import type { Config } from './config';
import { hubspotLimits } from './hubspot/client';
import { scaleLimit } from './lib/rate-limit';
import { createHubspotSandbox, type HubspotSandbox } from './sandboxes/hubspot/app';
import { vendorSandboxEntries } from './sandboxes/registry';
import { listenSandbox, type RunningSandbox } from './sandboxes/server';
import { createStripeSandbox, type StripeSandbox } from './sandboxes/stripe/app';
import type { Sandbox, VendorSandboxEntry } from './sandboxes/types';

/** The sandbox HubSpot app: fixed ids so a developer can drive it with HubSpot's own API shapes. */
export const sandboxApp = { appId: '4242001', clientId: 'apiup-sandbox-client-id', clientSecret: 'apiup-sandbox-client-secret' } as const;

/** The demo price list of the Stripe sandbox (net monthly EUR, in cents as Stripe counts). */
export const sandboxPrices = {
  invoicing: { id: 'price_sandbox_invoicing', unitAmount: 2900 },
  sync: { id: 'price_sandbox_sync', unitAmount: 1900 },
  business: { id: 'price_sandbox_business', unitAmount: 3900 },
  business_plus: { id: 'price_sandbox_business_plus', unitAmount: 5900 },
} as const;

export interface SandboxEntry {
  name: string;
  url: string;
  sandbox: Sandbox;
  running: RunningSandbox;
  /** How to read the emulator's store (documents, lines, its account's VAT rates). */
  entry: VendorSandboxEntry;
}

/** The vendors to emulate: the product's manifests, paired by id with the sandboxes' registry (tests add a fake one). */
export interface SandboxRegistries {
  manifests: readonly VendorManifest[];
  sandboxes: readonly VendorSandboxEntry[];
}

export interface DemoPortal {
  portalId: string;
  /** A private app's token: changes made with it count as a user's (they start work in APIUP). */
  accessToken: string;
  /** APIUP's own OAuth token for the portal: changes made with it are APIUP's own and start nothing. */
  appAccessToken: string;
  connectedProvider?: ProviderId;
}

export interface SandboxSet {
  hubspot: HubspotSandbox;
  stripe: { sandbox: StripeSandbox; url: string };
  /** Set once the demo portal is installed (sandbox mode). */
  demo?: DemoPortal;
  vendors: Record<ProviderId, SandboxEntry>;
  list(): Array<{ name: string; url: string }>;
  /** Once the backend listens: HubSpot's redirect URI and webhook target point at it. */
  attachBackend(backendUrl: string): void;
  /** Copy of the config with every outside base URL pointing at a sandbox. */
  applyTo(config: Config): Config;
  directory(): unknown;
  close(): Promise<void>;
}

/**
 * The environment that points a live-mode APIUP (its own process, e.g. one of several instances in the chaos
 * run or a multi-instance test) at these sandboxes: the sandbox HubSpot app, every base URL, and the
 * sandbox's key where a vendor signs its webhooks with its own key.
 */
export function liveEnvFor(sandboxes: SandboxSet): Record<string, string> {
  const hubspotUrl = sandboxes.list()[0].url;
  return {
    HUBSPOT_APP_ID: sandboxApp.appId,
    HUBSPOT_CLIENT_ID: sandboxApp.clientId,
    HUBSPOT_CLIENT_SECRET: sandboxApp.clientSecret,
    HUBSPOT_API_BASE_URL: hubspotUrl,
    HUBSPOT_OAUTH_BASE_URL: hubspotUrl,
    ...Object.fromEntries(vendorManifests.map((m) => [m.config.baseUrlEnv, sandboxes.vendors[m.id].url])),
    ...Object.fromEntries(
      vendorManifests.flatMap((m) => {
        const { sandbox, entry } = sandboxes.vendors[m.id];
        return m.config.webhookPublicKey && entry.webhookPublicKeyPem ? [[m.config.webhookPublicKey.env, entry.webhookPublicKeyPem(sandbox)]] : [];
      }),
    ),
  };
}

/** Each product vendor with its emulator; a vendor without one is a wiring mistake, reported at start. */
export function pairVendorSandboxes(registries: SandboxRegistries): Array<{ manifest: VendorManifest; entry: VendorSandboxEntry }> {
  return registries.manifests.map((manifest) => {
    const entry = registries.sandboxes.find((s) => s.id === manifest.id);
    if (!entry) throw new Error(`no sandbox registered for vendor "${manifest.id}" (server/src/sandboxes/registry.ts)`);
    return { manifest, entry };
  });
}

export async function startSandboxes(
  config: Config,
  log: Logger,
  registries: SandboxRegistries = { manifests: vendorManifests, sandboxes: vendorSandboxEntries },
): Promise<SandboxSet> {
  const pairs = pairVendorSandboxes(registries);
  const port = (offset: number) => (config.sandboxBasePort ? config.sandboxBasePort + offset : 0);
  const hubspot = createHubspotSandbox({
    appId: Number(sandboxApp.appId),
    clientId: sandboxApp.clientId,
    clientSecret: sandboxApp.clientSecret,
    // Real delays are minutes to hours; in sandbox mode a failed delivery is retried within seconds.
    webhookRetryDelayScale: 0.001,
    rateLimit: scaleLimit(hubspotLimits.standard, config.rateLimitTimeScale),
    searchRateLimit: scaleLimit(hubspotLimits.search, config.rateLimitTimeScale),
    log: log.child({ sandbox: 'hubspot' }),
  });
  const hubspotRunning = await listenSandbox(hubspot.app, port(0));
  let backend = '';
  // Each sandbox enforces its vendor's documented limit; only a scaled run passes it explicitly.
  const limit = (manifest: VendorManifest) => (config.rateLimitTimeScale === 1 ? {} : { rateLimit: scaleLimit(manifest.rateLimit, config.rateLimitTimeScale) });
  const vendors = {} as Record<ProviderId, SandboxEntry>;
  let offset = 1;
  for (const { manifest, entry } of pairs) {
    const sandbox = entry.create(limit(manifest));
    const running = await listenSandbox(sandbox.app, port(offset++));
    vendors[manifest.id as ProviderId] = { name: manifest.id, url: running.url, sandbox, running, entry };
  }
  const stripe = createStripeSandbox({
    prices: Object.entries(sandboxPrices).map(([product, p]) => ({
      id: p.id,
      product: `prod_sandbox_${product}`,
      unitAmount: p.unitAmount,
      currency: 'eur',
      nickname: product,
    })),
  });
  const stripeRunning = await listenSandbox(stripe.app, port(offset++));
  log.info({ stripe: stripeRunning.url }, 'stripe sandbox started');
  log.info({ hubspot: hubspotRunning.url, vendors: Object.fromEntries(Object.values(vendors).map((v) => [v.name, v.url])) }, 'sandboxes started');

  const set: SandboxSet = {
    hubspot,
    vendors,
    stripe: { sandbox: stripe, url: stripeRunning.url },
    attachBackend(backendUrl) {
      backend = backendUrl;
      stripe.setWebhookTarget(`${backendUrl}/webhooks/stripe`);
      (hubspot.options as { redirectUris: string[] }).redirectUris = [`${backendUrl}/oauth/callback`];
      hubspot.setWebhookTarget(`${backendUrl}/webhooks/hubspot`);
      hubspot.setBackendOrigin(backendUrl);
    },
    list: () => [
      { name: 'hubspot', url: hubspotRunning.url },
      ...Object.values(vendors).map((v) => ({ name: v.name, url: v.url })),
      { name: 'stripe', url: stripeRunning.url },
    ],
    applyTo: (c) => ({
      ...c,
      hubspot: { ...c.hubspot, ...sandboxApp, apiBaseUrl: hubspotRunning.url, oauthBaseUrl: hubspotRunning.url },
      billing: {
        ...c.billing,
        stripe: {
          ...stripe.credentials,
          secretKey: stripe.credentials.secretKey!,
          webhookSecret: stripe.credentials.webhookSecret!,
          apiBaseUrl: stripeRunning.url,
          priceIds: Object.fromEntries(Object.entries(sandboxPrices).map(([k, p]) => [k, p.id])) as Record<keyof typeof sandboxPrices, string>,
        },
      },
      accountingBaseUrls: Object.fromEntries(Object.values(vendors).map((v) => [v.name, v.url])) as Config['accountingBaseUrls'],
      webhookPublicKeys: sandboxWebhookKeys(vendors),
    }),
    directory: () => ({
      mode: 'sandbox',
      hubspot: {
        baseUrl: hubspotRunning.url,
        appId: sandboxApp.appId,
        clientId: sandboxApp.clientId,
        clientSecret: sandboxApp.clientSecret,
        redirectUri: `${backend}/oauth/callback`,
        webhookTargetUrl: `${backend}/webhooks/hubspot`,
        portalId: set.demo?.portalId,
        accessToken: set.demo?.accessToken,
        appAccessToken: set.demo?.appAccessToken,
        note: "accessToken acts like a user or another integration (its changes start work in APIUP); appAccessToken is APIUP's own (its changes are recognised as APIUP's and ignored).",
      },
      demo: set.demo ? { portalId: set.demo.portalId, connectedProvider: set.demo.connectedProvider ?? null, package: 'business_plus (trial)' } : null,
      accounting: Object.fromEntries(Object.values(vendors).map((v) => [v.name, { baseUrl: v.url, credentials: v.sandbox.credentials }])),
      stripe: {
        baseUrl: stripeRunning.url,
        credentials: stripe.credentials,
        webhookTargetUrl: `${backend}/webhooks/stripe`,
        pay: 'open a Checkout URL from the settings page, or POST /_sandbox/checkout/<cs_id>/pay on the Stripe sandbox',
      },
    }),
    async close() {
      await Promise.all([hubspotRunning.close(), stripeRunning.close(), ...Object.values(vendors).map((v) => v.running.close())]);
    },
  };
  return set;
}

/**
 * The emulators' webhook keys, for vendors that sign with their own key pair. Getters: a sandbox makes its
 * RSA key pair on first use, not on every start.
 */
function sandboxWebhookKeys(vendors: Record<string, SandboxEntry>): Config['webhookPublicKeys'] {
  const keys = {};
  for (const v of Object.values(vendors)) {
    const read = v.entry.webhookPublicKeyPem;
    if (read) Object.defineProperty(keys, v.name, { get: () => read(v.sandbox), enumerable: true });
  }
  return keys;
}
