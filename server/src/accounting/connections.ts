/**
 * The accounting system a portal connected: credentials validated with the vendor's zod schema,
 * tested against the vendor, then stored sealed. `providerFor` builds the provider for a job.
 */
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SecretBox } from '../crypto/secrets';
import type { Db } from '../db/client';
import { accountingConnections } from '../db/schema';
import { ensurePortal } from '../db/portals';
import { AppError, toValidationIssues } from '../errors';
import { isProviderError } from './errors';
import type { VendorObserver } from './http';
import { providerIds, type AccountingProvider, type ProviderId } from './provider';
import type { RateLimiterRegistry } from '../lib/rate-limit';
import type { AccountDataCache } from './account-data';
import { providers } from './registry';
import type { RoundingReadings } from './rounding';

export interface ConnectionView {
  provider: ProviderId;
  accountName: string | null;
  connectedAt: number;
}

export interface ConnectionsDeps {
  db: Db;
  secrets: SecretBox;
  limiters: RateLimiterRegistry;
  /** Account data read from vendors, shared by every job of the process (account-data.ts). */
  accountData?: AccountDataCache;
  log: Logger;
  /** Per vendor, an overridden API base URL (config, sandbox mode); absent: the manifest's live URL. */
  baseUrls: Partial<Record<ProviderId, string>>;
  /** Tests and benchmarks scale vendor limits down. */
  rateLimits?: Partial<Record<ProviderId, { requests: number; perMs: number }>>;
  observer?: VendorObserver;
  timeoutMs?: number;
  /** Per vendor, the public key its webhooks are signed with (lexoffice). */
  webhookPublicKeys?: Partial<Record<ProviderId, string>>;
  /** The portal's readings of the vendor's unsettled rounding rules (invoice setting `roundingRules`). */
  roundingFor?: (portalId: string, providerId: ProviderId) => Promise<RoundingReadings | undefined>;
  now?: () => number;
}

export const ProviderIdSchema = z.enum(providerIds);

export class AccountingConnections {
  /** Called after a portal connected (e.g. to subscribe to vendor events); `connect` resolves after it. */
  onConnected?: (portalId: string, providerId: ProviderId) => Promise<void>;

  constructor(private readonly deps: ConnectionsDeps) {}

  /** Builds a provider from raw credentials (not stored); throws AppError for invalid credentials. */
  build(providerId: ProviderId, rawCredentials: unknown, rounding?: RoundingReadings): AccountingProvider {
    const entry = providers[providerId];
    const parsed = entry.credentials.safeParse(rawCredentials);
    if (!parsed.success) throw new AppError('invalid_request', `The ${entry.label} credentials are not complete.`, toValidationIssues(parsed.error.issues));
    return entry.factory({
      baseUrl: this.deps.baseUrls[providerId] ?? entry.config.liveBaseUrl,
      credentials: parsed.data,
      log: this.deps.log.child({ provider: providerId }),
      limiters: this.deps.limiters,
      accountData: this.deps.accountData,
      rateLimit: this.deps.rateLimits?.[providerId],
      observer: this.deps.observer,
      timeoutMs: this.deps.timeoutMs,
      webhookPublicKeyPem: this.deps.webhookPublicKeys?.[providerId],
      rounding,
    });
  }

  /** Checks the credentials with the vendor and returns the account name; nothing is stored. */
  async test(providerId: ProviderId, rawCredentials: unknown): Promise<{ accountName: string }> {
    const provider = this.build(providerId, rawCredentials);
    try {
      return await provider.testConnection();
    } catch (error) {
      if (isProviderError(error) && (error.kind === 'auth' || error.kind === 'forbidden')) {
        throw new AppError('invalid_request', 'The accounting system did not accept these credentials.', undefined, { cause: error });
      }
      throw new AppError('upstream_failed', 'The accounting system could not be reached. Try again in a moment.', undefined, { cause: error });
    }
  }

  /** Tests, then stores the credentials sealed (replacing an earlier connection). */
  async connect(portalId: string, providerId: ProviderId, rawCredentials: unknown): Promise<ConnectionView> {
    const { accountName } = await this.test(providerId, rawCredentials);
    const credentials = providers[providerId].credentials.parse(rawCredentials);
    const now = (this.deps.now ?? Date.now)();
    const row = { provider: providerId, credentialsSealed: this.deps.secrets.encryptJson(credentials), accountName, connectedAt: now, updatedAt: now };
    await this.deps.db.transaction(async (tx) => {
      await ensurePortal(tx, portalId, now);
      await tx
        .insert(accountingConnections)
        .values({ portalId, ...row })
        .onConflictDoUpdate({ target: accountingConnections.portalId, set: row });
    });
    this.deps.log.info({ portalId, provider: providerId }, 'accounting system connected');
    await this.onConnected?.(portalId, providerId);
    return { provider: providerId, accountName, connectedAt: now };
  }

  async view(portalId: string): Promise<ConnectionView | undefined> {
    const [row] = await this.deps.db.select().from(accountingConnections).where(eq(accountingConnections.portalId, portalId)).limit(1);
    return row ? { provider: storedProviderId(row.provider), accountName: row.accountName, connectedAt: row.connectedAt } : undefined;
  }

  /** The connected provider of a portal, or undefined when none is connected. */
  async providerFor(portalId: string): Promise<{ id: ProviderId; provider: AccountingProvider } | undefined> {
    const [row] = await this.deps.db.select().from(accountingConnections).where(eq(accountingConnections.portalId, portalId)).limit(1);
    if (!row) return undefined;
    const id = storedProviderId(row.provider);
    const rounding = await this.deps.roundingFor?.(portalId, id);
    return { id, provider: this.build(id, this.deps.secrets.decryptJson(row.credentialsSealed), rounding) };
  }

  /** Deletes our stored credentials; nothing in the accounting system is touched. */
  async disconnect(portalId: string): Promise<boolean> {
    const deleted = await this.deps.db
      .delete(accountingConnections)
      .where(eq(accountingConnections.portalId, portalId))
      .returning({ portalId: accountingConnections.portalId });
    return deleted.length === 1;
  }
}

/** A stored vendor id that the registry no longer lists is a deployment mistake (a vendor removed while portals use it). */
function storedProviderId(value: string): ProviderId {
  const parsed = ProviderIdSchema.safeParse(value);
  if (!parsed.success) throw new Error(`accounting connection names the vendor "${value}", which accounting/registry.ts does not list`);
  return parsed.data;
}
