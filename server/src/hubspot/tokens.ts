/**
 * Per-portal OAuth tokens, sealed at rest. Access tokens live 30 minutes; they are refreshed a few
 * minutes before expiry, once per portal even when many jobs ask at the same moment (single flight).
 * A refresh HubSpot refuses marks the portal `needs_reauth`; jobs then wait instead of failing.
 */
import { eq } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SecretBox } from '../crypto/secrets';
import type { Db, DbOrTx } from '../db/client';
import { accountingConnections, hubspotTokens, portals } from '../db/schema';
import { JobError, JobWaitError } from '../lib/errors';
import { OAuthGrantRefused, type HubspotOAuth, type TokenSet } from './oauth';

const refreshMarginMs = 5 * 60_000;
/** How long jobs of a portal that needs re-authorisation wait before looking again. */
export const reauthWaitMs = 10 * 60_000;

export class PortalNotConnected extends JobWaitError {
  constructor(portalId: string) {
    super('portal_not_connected', `portal ${portalId} has no HubSpot connection`, reauthWaitMs);
  }
}

export class PortalNeedsReauth extends JobWaitError {
  constructor(portalId: string) {
    super('needs_reauth', `portal ${portalId} needs re-authorisation in HubSpot`, reauthWaitMs);
  }
}

/** The user disconnected the portal: its jobs end instead of waiting for tokens that will not come. */
export class PortalDisconnected extends JobError {
  constructor(portalId: string) {
    super('portal_disconnected', `portal ${portalId} was disconnected`, { retryable: false });
  }
}

export class HubspotTokens {
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly oauth: HubspotOAuth,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves tokens after an install (or re-install) and marks the portal active. */
  async store(portalId: string, tokens: TokenSet, outerTx?: DbOrTx): Promise<void> {
    const now = this.now();
    const write = async (tx: DbOrTx) => {
      await tx
        .insert(portals)
        .values({ portalId, status: 'active', installedAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: portals.portalId, set: { status: 'active', updatedAt: now } });
      const row = {
        accessTokenSealed: this.secrets.encrypt(tokens.accessToken),
        refreshTokenSealed: this.secrets.encrypt(tokens.refreshToken),
        expiresAt: tokens.expiresAt,
        scopes: tokens.scopes.join(' '),
        updatedAt: now,
      };
      await tx
        .insert(hubspotTokens)
        .values({ portalId, ...row })
        .onConflictDoUpdate({ target: hubspotTokens.portalId, set: row });
    };
    if (outerTx) await write(outerTx);
    else await this.db.transaction(write);
  }

  /** A valid access token for the portal, refreshed first when it is about to expire. */
  async accessToken(portalId: string): Promise<string> {
    const [portal] = await this.db.select().from(portals).where(eq(portals.portalId, portalId)).limit(1);
    const [row] = await this.db.select().from(hubspotTokens).where(eq(hubspotTokens.portalId, portalId)).limit(1);
    if (portal?.status === 'disconnected') throw new PortalDisconnected(portalId);
    if (!portal || !row) throw new PortalNotConnected(portalId);
    if (portal.status === 'needs_reauth') throw new PortalNeedsReauth(portalId);
    if (row.expiresAt - this.now() > refreshMarginMs) return this.secrets.decrypt(row.accessTokenSealed);
    return this.refreshOnce(portalId);
  }

  /**
   * Refreshes once per portal however many callers ask at the same moment. After a 401, pass the
   * token that failed: if another caller has replaced it meanwhile, that newer token is returned.
   */
  refreshOnce(portalId: string, rejectedToken?: string): Promise<string> {
    let pending = this.inFlight.get(portalId);
    if (!pending) {
      pending = this.refresh(portalId, rejectedToken).finally(() => this.inFlight.delete(portalId));
      this.inFlight.set(portalId, pending);
    }
    return pending;
  }

  async status(portalId: string): Promise<'active' | 'needs_reauth' | 'not_connected'> {
    const [portal] = await this.db.select({ status: portals.status }).from(portals).where(eq(portals.portalId, portalId)).limit(1);
    const [row] = await this.db.select({ portalId: hubspotTokens.portalId }).from(hubspotTokens).where(eq(hubspotTokens.portalId, portalId)).limit(1);
    if (!portal || !row || portal.status === 'disconnected') return 'not_connected';
    return portal.status;
  }

  /**
   * Disconnect: deletes our tokens and the stored accounting credentials, marks the portal
   * disconnected (its webhooks start no work) and revokes the refresh token at HubSpot, so no copy
   * of it stays usable. Nothing else in HubSpot or the accounting system is touched. A revocation
   * HubSpot does not answer is logged: the token is gone from here either way.
   */
  async disconnect(portalId: string): Promise<void> {
    const [row] = await this.db.select().from(hubspotTokens).where(eq(hubspotTokens.portalId, portalId)).limit(1);
    await this.db.transaction(async (tx) => {
      await tx.delete(hubspotTokens).where(eq(hubspotTokens.portalId, portalId));
      await tx.delete(accountingConnections).where(eq(accountingConnections.portalId, portalId));
      await tx.update(portals).set({ status: 'disconnected', updatedAt: this.now() }).where(eq(portals.portalId, portalId));
    });
    this.inFlight.delete(portalId);
    this.log.info({ portalId }, 'portal disconnected');
    if (!row) return;
    try {
      await this.oauth.revokeRefreshToken(this.secrets.decrypt(row.refreshTokenSealed));
    } catch (error) {
      this.log.warn({ portalId, err: error }, 'hubspot refresh token revocation failed');
    }
  }

  /** True when the user disconnected the portal and has not installed it again. */
  async isDisconnected(portalId: string, tx: DbOrTx = this.db): Promise<boolean> {
    const [portal] = await tx.select({ status: portals.status }).from(portals).where(eq(portals.portalId, portalId)).limit(1);
    return portal?.status === 'disconnected';
  }

  private async refresh(portalId: string, rejectedToken: string | undefined): Promise<string> {
    const [row] = await this.db.select().from(hubspotTokens).where(eq(hubspotTokens.portalId, portalId)).limit(1);
    if (!row) throw new PortalNotConnected(portalId);
    const current = this.secrets.decrypt(row.accessTokenSealed);
    // Another caller or process may have refreshed it meanwhile.
    if (rejectedToken ? current !== rejectedToken : row.expiresAt - this.now() > refreshMarginMs) return current;
    try {
      const tokens = await this.oauth.refresh(this.secrets.decrypt(row.refreshTokenSealed));
      await this.store(portalId, tokens);
      this.log.info({ portalId }, 'hubspot token refreshed');
      return tokens.accessToken;
    } catch (error) {
      if (error instanceof OAuthGrantRefused) {
        await this.db.update(portals).set({ status: 'needs_reauth', updatedAt: this.now() }).where(eq(portals.portalId, portalId));
        this.log.warn({ portalId, status: error.status }, 'hubspot refused the refresh; portal needs re-authorisation');
        throw new PortalNeedsReauth(portalId);
      }
      throw error;
    }
  }
}
