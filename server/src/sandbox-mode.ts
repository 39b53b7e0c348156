/**
 * Sandbox mode: starts the HubSpot emulator, the accounting emulators and the Stripe emulator on their
 * own loopback ports, points the config's base URLs at them, and lists what runs where (`GET /sandbox`).
 */
import type { Logger } from 'pino';
import type { ProviderId } from './accounting/provider';
import { documentedLimits, scaleLimit } from './accounting/rate-limit';
import type { Config } from './config';
import { createBexioSandbox } from './sandboxes/bexio/app';
import { createHubspotSandbox, type HubspotSandbox } from './sandboxes/hubspot/app';
import { createLexofficeSandbox, type LexofficeSandbox } from './sandboxes/lexoffice/app';
import { createQontoSandbox } from './sandboxes/qonto/app';
import { listenSandbox, type RunningSandbox } from './sandboxes/server';
import { createSevdeskSandbox } from './sandboxes/sevdesk/app';
import { createStripeSandbox, type StripeSandbox } from './sandboxes/stripe/app';
import type { Sandbox } from './sandboxes/types';

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

export async function startSandboxes(config: Config, log: Logger): Promise<SandboxSet> {
  const port = (offset: number) => (config.sandboxBasePort ? config.sandboxBasePort + offset : 0);
  const hubspot = createHubspotSandbox({
    appId: Number(sandboxApp.appId),
    clientId: sandboxApp.clientId,
    clientSecret: sandboxApp.clientSecret,
    // Real delays are minutes to hours; in sandbox mode a failed delivery is retried within seconds.
    webhookRetryDelayScale: 0.001,
    rateLimit: scaleLimit(documentedLimits.hubspot, config.rateLimitTimeScale),
    searchRateLimit: scaleLimit(documentedLimits.hubspotSearch, config.rateLimitTimeScale),
    log: log.child({ sandbox: 'hubspot' }),
  });
  const hubspotRunning = await listenSandbox(hubspot.app, port(0));
  let backend = '';
  // Each sandbox enforces its vendor's documented limit; only a scaled run passes it explicitly.
  const limit = (id: ProviderId) => (config.rateLimitTimeScale === 1 ? {} : { rateLimit: scaleLimit(documentedLimits[id], config.rateLimitTimeScale) });
  const vendorSandboxes: Array<[ProviderId, Sandbox]> = [
    ['lexoffice', createLexofficeSandbox(limit('lexoffice'))],
    ['sevdesk', createSevdeskSandbox(limit('sevdesk'))],
    ['bexio', createBexioSandbox(limit('bexio'))],
    ['qonto', createQontoSandbox(limit('qonto'))],
  ];
  const vendors = {} as Record<ProviderId, SandboxEntry>;
  let offset = 1;
  for (const [name, sandbox] of vendorSandboxes) {
    const running = await listenSandbox(sandbox.app, port(offset++));
    vendors[name] = { name, url: running.url, sandbox, running };
  }
  const stripe = createStripeSandbox({ prices: Object.entries(sandboxPrices).map(([product, p]) => ({ id: p.id, product: `prod_sandbox_${product}`, unitAmount: p.unitAmount, currency: 'eur', nickname: product })) });
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
    list: () => [{ name: 'hubspot', url: hubspotRunning.url }, ...Object.values(vendors).map((v) => ({ name: v.name, url: v.url })), { name: 'stripe', url: stripeRunning.url }],
    applyTo: (c) => ({
      ...c,
      hubspot: { ...c.hubspot, ...sandboxApp, apiBaseUrl: hubspotRunning.url, oauthBaseUrl: hubspotRunning.url },
      billing: {
        ...c.billing,
        stripe: { ...stripe.credentials, secretKey: stripe.credentials.secretKey!, webhookSecret: stripe.credentials.webhookSecret!, apiBaseUrl: stripeRunning.url, priceIds: Object.fromEntries(Object.entries(sandboxPrices).map(([k, p]) => [k, p.id])) as Record<keyof typeof sandboxPrices, string> },
      },
      accountingBaseUrls: Object.fromEntries(Object.values(vendors).map((v) => [v.name, v.url])) as Config['accountingBaseUrls'],
      // A getter: the sandbox makes its RSA key pair on first use, not on every start.
      webhookPublicKeys: {
        get lexoffice() {
          return (vendors.lexoffice.sandbox as LexofficeSandbox).publicKeyPem;
        },
      },
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
        note: 'accessToken acts like a user or another integration (its changes start work in APIUP); appAccessToken is APIUP\'s own (its changes are recognised as APIUP\'s and ignored).',
      },
      demo: set.demo ? { portalId: set.demo.portalId, connectedProvider: set.demo.connectedProvider ?? null, package: 'business_plus (trial)' } : null,
      accounting: Object.fromEntries(Object.values(vendors).map((v) => [v.name, { baseUrl: v.url, credentials: v.sandbox.credentials }])),
      stripe: { baseUrl: stripeRunning.url, credentials: stripe.credentials, webhookTargetUrl: `${backend}/webhooks/stripe`, pay: 'open a Checkout URL from the settings page, or POST /_sandbox/checkout/<cs_id>/pay on the Stripe sandbox' },
    }),
    async close() {
      await Promise.all([hubspotRunning.close(), stripeRunning.close(), ...Object.values(vendors).map((v) => v.running.close())]);
    },
  };
  return set;
}
