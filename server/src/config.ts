/**
 * The one place that reads the environment. Parsed with zod once at start; every problem is listed
 * in one error. With no HubSpot credentials the server runs in sandbox mode: every outside base URL
 * then points at a built-in emulator started on a loopback port.
 */
import { z } from 'zod';
import type { VendorManifest } from './accounting/manifest';
import { vendorManifests, type ProviderId } from './accounting/registry';
import type { EncryptionSettings } from './crypto/key-store';
import type { RetentionPolicy } from './jobs/retention';

const optionalUrl = z.url().optional();
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const base64Key = z.string().refine((value) => Buffer.from(value, 'base64').length === 32, 'must be base64 of exactly 32 bytes');

const BaseEnvSchema = z.object({
  /** Port the backend listens on. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; loopback by default, 0.0.0.0 behind a proxy. */
  HOST: z.string().default('127.0.0.1'),
  /** Public https origin HubSpot calls (webhooks, cards, OAuth redirect); signatures are checked against it. */
  PUBLIC_BASE_URL: optionalUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Folder for the database file and, in sandbox mode, the generated encryption key. */
  DATA_DIR: z.string().default('data'),
  /** SQLite file; default `<DATA_DIR>/apiup.sqlite`. `:memory:` for throwaway runs. */
  DATABASE_PATH: z.string().optional(),
  /** `postgres://user:password@host:5432/db`: the whole product on PostgreSQL (several instances may share it). Wins over DATABASE_PATH. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** PostgreSQL connections per instance. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),

  HUBSPOT_APP_ID: z.string().regex(/^\d+$/, 'must be the numeric app id').optional(),
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  /** CRM API base, default https://api.hubapi.com (sandbox mode: the HubSpot emulator). */
  HUBSPOT_API_BASE_URL: optionalUrl,
  /** Where users approve the install, default https://app.hubspot.com (sandbox mode: the emulator). */
  HUBSPOT_OAUTH_BASE_URL: optionalUrl,

  /** Stripe secret key (`sk_live_…`); unset in sandbox mode, where the Stripe emulator's is used. Never stored. */
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(live|test)_/, 'must be a Stripe secret or restricted key')
    .optional(),
  /** Signing secret of our Stripe webhook endpoint (`whsec_…`). */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
  /** Stripe API base, default https://api.stripe.com (sandbox mode: the Stripe emulator). */
  STRIPE_API_BASE_URL: optionalUrl,
  /** Stripe price ids (monthly, EUR) of the packages. */
  STRIPE_PRICE_INVOICING: z.string().startsWith('price_').optional(),
  STRIPE_PRICE_SYNC: z.string().startsWith('price_').optional(),
  STRIPE_PRICE_BUSINESS: z.string().startsWith('price_').optional(),
  STRIPE_PRICE_BUSINESS_PLUS: z.string().startsWith('price_').optional(),
  /** Days a past-due package keeps working while Stripe retries the payment. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** Where Checkout and the customer portal send the buyer back; default `<PUBLIC_BASE_URL>/billing/return`. */
  BILLING_RETURN_URL: optionalUrl,

  /** AES-256-GCM key for secrets at rest (base64, 32 bytes). Required outside sandbox mode. */
  ENCRYPTION_KEY: base64Key.optional(),
  /** Id stored with each encrypted value, so keys can rotate. */
  ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default('k1'),
  /** Older keys still accepted for reading: `id:base64key,id2:base64key`. */
  ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),

  /** Timeout of one request to an accounting API. */
  VENDOR_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Jobs run at once by this process. */
  QUEUE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** `off`: this instance serves HTTP only (webhook intake, cards) and works no jobs; others on the same PostgreSQL do. */
  QUEUE_WORKER: z.enum(['on', 'off']).default('on'),
  /** How long a claimed job is held before another process may take it over. */
  QUEUE_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** First retry delay of a failed job (doubles per attempt, with jitter). */
  QUEUE_BACKOFF_BASE_MS: z.coerce.number().int().min(10).default(1_000),
  /** Longest retry delay of a failed job. */
  QUEUE_BACKOFF_MAX_MS: z.coerce.number().int().min(10).default(300_000),
  /** How often an idle worker looks for due jobs. */
  QUEUE_POLL_MS: z.coerce.number().int().min(10).default(200),
  /** First wait before asking the accounting system whether an invoice is paid; it backs off from there. */
  INVOICE_PAYMENT_POLL_MS: z.coerce.number().int().min(100).optional(),
  /** Sandbox mode: the accounting sandbox the demo portal starts connected to (`none`: not connected). */
  /** Shrinks every rate-limit window, ours and the sandboxes' alike (1 = real time; tests and benchmarks use less). */
  RATE_LIMIT_TIME_SCALE: z.coerce.number().gt(0).max(1).default(1),
  /** First port for the sandboxes in sandbox mode (consecutive ports); 0 picks free ports. */
  SANDBOX_BASE_PORT: z.coerce.number().int().min(0).max(65530).default(0),

  /** Days a succeeded job is kept (activity log) before the daily prune deletes it. */
  RETAIN_SUCCEEDED_JOBS_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Days a dead job is kept for the user to see and retry. */
  RETAIN_DEAD_JOBS_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /**
   * Days a received HubSpot webhook event is kept. It is also the duplicate check, and HubSpot
   * retries a delivery for up to 24 hours (hubspot.md §5), hence at least 2.
   */
  RETAIN_WEBHOOK_EVENTS_DAYS: z.coerce.number().int().min(2).max(3650).default(14),
  /** Days an invoice record's history entry is kept; the newest entry and the record itself always stay. */
  RETAIN_INVOICE_HISTORY_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Minutes between two reconciliation sweeps of a portal (HubSpot search for changes no webhook brought). */
  RECONCILE_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** Below this much free space in the database's folder the process reports not ready and refuses webhooks (503). */
  MIN_FREE_DISK_MB: z.coerce.number().int().min(0).default(256),
});

/**
 * The variables each vendor's manifest names (accounting/<vendor>/manifest.ts `config`): its API base URL
 * (`<ID>_API_BASE_URL`, unset: the vendor's production URL, sandbox mode: its emulator) and, for a vendor
 * that signs webhooks with its own key, the PEM public key (unset: the published one). Also the demo
 * portal's vendor in sandbox mode (`SANDBOX_DEMO_PROVIDER`, `none`: not connected; default the first).
 */
export function vendorEnvShape(manifests: readonly VendorManifest[]) {
  const shape: Record<string, z.ZodType<string | undefined>> = {};
  for (const m of manifests) {
    shape[m.config.baseUrlEnv] = optionalUrl;
    if (m.config.webhookPublicKey) shape[m.config.webhookPublicKey.env] = z.string().includes('PUBLIC KEY').optional();
  }
  const ids = manifests.map((m) => m.id);
  return { ...shape, SANDBOX_DEMO_PROVIDER: z.enum([...ids, 'none']).default(ids[0] ?? 'none') };
}

/** Every variable name the configuration reads (base variables and the vendors'). */
export function configVariableNames(manifests: readonly VendorManifest[] = vendorManifests): string[] {
  return [...Object.keys(BaseEnvSchema.shape), ...Object.keys(vendorEnvShape(manifests))];
}

/** Rules between variables; run on the raw input so they are reported together with type errors. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (Boolean(env.HUBSPOT_CLIENT_ID) !== Boolean(env.HUBSPOT_CLIENT_SECRET)) {
    problems.push('HUBSPOT_CLIENT_SECRET: HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET go together');
  }
  if (env.HUBSPOT_CLIENT_ID) {
    for (const name of ['ENCRYPTION_KEY', 'PUBLIC_BASE_URL', 'HUBSPOT_APP_ID']) {
      if (!env[name]) problems.push(`${name}: required once real HubSpot credentials are set`);
    }
  }
  if (env.STRIPE_SECRET_KEY) {
    for (const name of ['STRIPE_WEBHOOK_SECRET', 'STRIPE_PRICE_INVOICING', 'STRIPE_PRICE_SYNC', 'STRIPE_PRICE_BUSINESS', 'STRIPE_PRICE_BUSINESS_PLUS']) {
      if (!env[name]) problems.push(`${name}: required once STRIPE_SECRET_KEY is set`);
    }
  }
  // Sandbox mode serves the emulators' client secret and tokens on /sandbox: only ever to this machine.
  const host = env.HOST ?? '127.0.0.1';
  if (!env.HUBSPOT_CLIENT_ID && !/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host)) {
    problems.push(
      `HOST: sandbox mode (no HUBSPOT_CLIENT_ID) publishes the sandboxes' client secret and tokens on /sandbox, so it only listens on loopback (127.0.0.1, ::1 or localhost), not on ${host}`,
    );
  }
  // HubSpot only calls https URLs; plain http is allowed for loopback (local proxies, the chaos run).
  if (env.PUBLIC_BASE_URL && !/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/.test(env.PUBLIC_BASE_URL)) {
    problems.push('PUBLIC_BASE_URL: HubSpot only calls https URLs (http only for 127.0.0.1 or localhost)');
  }
  return problems;
}

export type Env = z.infer<typeof BaseEnvSchema>;

export interface Config {
  mode: 'sandbox' | 'live';
  port: number;
  host: string;
  publicBaseUrl?: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  /** The SQLite file (also used for the disk-space check), or '' when `databaseUrl` is set. */
  databasePath: string;
  /** PostgreSQL; unset = SQLite at `databasePath`. Never logged (it may hold a password). */
  databaseUrl?: string;
  databasePoolSize: number;
  hubspot: {
    appId?: string;
    clientId?: string;
    clientSecret?: string;
    apiBaseUrl?: string;
    oauthBaseUrl?: string;
  };
  /** Per vendor, an overridden API base URL (`<ID>_API_BASE_URL`); absent: the manifest's live URL. */
  accountingBaseUrls: Partial<Record<ProviderId, string>>;
  vendorTimeoutMs: number;
  /** Keys vendors sign webhooks with (sandbox mode: the sandboxes' own). */
  webhookPublicKeys: Partial<Record<ProviderId, string>>;
  encryption: EncryptionSettings;
  queue: { concurrency: number; leaseMs: number; pollMs: number; backoffBaseMs: number; backoffMaxMs: number; worker: boolean };
  sandboxBasePort: number;
  invoicing: { paymentPollInitialMs: number };
  rateLimitTimeScale: number;
  sandboxDemoProvider: ProviderId | 'none';
  billing: {
    /** Absent only before sandbox mode fills in the emulator's. */
    stripe?: { secretKey: string; webhookSecret: string; apiBaseUrl?: string; priceIds: Record<'invoicing' | 'sync' | 'business' | 'business_plus', string> };
    graceMs: number;
    returnUrl?: string;
  };
  retention: RetentionPolicy;
  /** Time between two reconciliation sweeps of a portal. */
  reconcileIntervalMs: number;
  /** Free bytes the database's folder must keep; below it we stop accepting what we may not be able to store. */
  minFreeDiskBytes: number;
}

export type { RetentionPolicy };

const dayMs = 24 * 60 * 60_000;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. `manifests`: the vendors (tests add one). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, manifests: readonly VendorManifest[] = vendorManifests): Config {
  const input = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, emptyAsUndefined(v)]));
  const parsed = BaseEnvSchema.extend(vendorEnvShape(manifests)).safeParse(input);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`)),
    ...crossFieldProblems(input as Record<string, string | undefined>),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const vendorEnv = (name: string) => (e as Record<string, unknown>)[name] as string | undefined;
  const previousKeys = parsePreviousKeys(e.ENCRYPTION_PREVIOUS_KEYS);
  return {
    mode: e.HUBSPOT_CLIENT_ID ? 'live' : 'sandbox',
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    dataDir: e.DATA_DIR,
    databasePath: e.DATABASE_URL ? '' : (e.DATABASE_PATH ?? `${e.DATA_DIR}/apiup.sqlite`),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    hubspot: {
      appId: e.HUBSPOT_APP_ID,
      clientId: e.HUBSPOT_CLIENT_ID,
      clientSecret: e.HUBSPOT_CLIENT_SECRET,
      apiBaseUrl: e.HUBSPOT_API_BASE_URL,
      oauthBaseUrl: e.HUBSPOT_OAUTH_BASE_URL,
    },
    accountingBaseUrls: Object.fromEntries(manifests.map((m) => [m.id, vendorEnv(m.config.baseUrlEnv)])),
    vendorTimeoutMs: e.VENDOR_TIMEOUT_MS,
    webhookPublicKeys: Object.fromEntries(
      manifests.flatMap((m) => (m.config.webhookPublicKey ? [[m.id, vendorEnv(m.config.webhookPublicKey.env) ?? m.config.webhookPublicKey.livePem]] : [])),
    ),
    encryption: { keyId: e.ENCRYPTION_KEY_ID, key: e.ENCRYPTION_KEY, previousKeys },
    queue: {
      concurrency: e.QUEUE_CONCURRENCY,
      worker: e.QUEUE_WORKER === 'on',
      leaseMs: e.QUEUE_LEASE_MS,
      pollMs: e.QUEUE_POLL_MS,
      backoffBaseMs: e.QUEUE_BACKOFF_BASE_MS,
      backoffMaxMs: e.QUEUE_BACKOFF_MAX_MS,
    },
    sandboxBasePort: e.SANDBOX_BASE_PORT,
    // Sandbox payments are marked by hand a moment later; live invoices are paid days later.
    rateLimitTimeScale: e.RATE_LIMIT_TIME_SCALE,
    sandboxDemoProvider: e.SANDBOX_DEMO_PROVIDER as ProviderId | 'none',
    billing: {
      stripe: e.STRIPE_SECRET_KEY
        ? {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
            apiBaseUrl: e.STRIPE_API_BASE_URL,
            priceIds: {
              invoicing: e.STRIPE_PRICE_INVOICING!,
              sync: e.STRIPE_PRICE_SYNC!,
              business: e.STRIPE_PRICE_BUSINESS!,
              business_plus: e.STRIPE_PRICE_BUSINESS_PLUS!,
            },
          }
        : undefined,
      graceMs: e.BILLING_GRACE_DAYS * 86_400_000,
      returnUrl: e.BILLING_RETURN_URL,
    },
    invoicing: { paymentPollInitialMs: e.INVOICE_PAYMENT_POLL_MS ?? (e.HUBSPOT_CLIENT_ID ? 15 * 60_000 : 500) },
    retention: {
      succeededJobsMs: e.RETAIN_SUCCEEDED_JOBS_DAYS * dayMs,
      deadJobsMs: e.RETAIN_DEAD_JOBS_DAYS * dayMs,
      webhookEventsMs: e.RETAIN_WEBHOOK_EVENTS_DAYS * dayMs,
      invoiceHistoryMs: e.RETAIN_INVOICE_HISTORY_DAYS * dayMs,
    },
    minFreeDiskBytes: e.MIN_FREE_DISK_MB * 1024 * 1024,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MINUTES * 60_000,
  };
}

function parsePreviousKeys(value: string | undefined): Array<{ id: string; key: string }> {
  if (!value) return [];
  const keys = value.split(',').map((pair) => {
    const [id, key] = pair.split(':');
    return { id: id?.trim() ?? '', key: key?.trim() ?? '' };
  });
  const bad = keys.filter((k) => !k.id || Buffer.from(k.key, 'base64').length !== 32);
  if (bad.length > 0) throw new ConfigError(['ENCRYPTION_PREVIOUS_KEYS: each entry must be id:base64-of-32-bytes']);
  return keys;
}

/**
 * Production defaults for HubSpot and Stripe, used in live mode when a base URL is not overridden
 * (an accounting vendor's is its manifest's `config.liveBaseUrl`).
 */
export const liveDefaults = {
  hubspotApi: 'https://api.hubapi.com',
  hubspotOauth: 'https://app.hubspot.com',
  stripe: 'https://api.stripe.com',
} as const;
