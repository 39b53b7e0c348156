/**
 * OAuth state of the HubSpot sandbox: single-use authorization codes, access tokens that live 30 minutes
 * (`expires_in` 1800, hubspot.md §4) and long-lived refresh tokens that a sandbox control can revoke.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export const ACCESS_TOKEN_TTL_MS = 1_800_000;
/** HubSpot says codes are usable for "a short window"; the exact length is UNCONFIRMED — 5 minutes here. */
export const AUTH_CODE_TTL_MS = 300_000;

export interface AccessTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  expiresAt: number;
  /** Set for a private app's static token: its writes are marked with this app id, not ours. */
  appId?: number;
}

export interface RefreshTokenRecord {
  token: string;
  portalId: number;
  userId: number;
  scopes: string[];
  revoked: boolean;
}

interface CodeRecord {
  portalId: number;
  userId: number;
  scopes: string[];
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export type CodeRedemption =
  { ok: true; portalId: number; userId: number; scopes: string[] } | { ok: false; reason: 'unknown' | 'expired' | 'redirect_mismatch' };

export class TokenStore {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(private readonly now: () => number) {}

  issueCode(portalId: number, userId: number, scopes: string[], redirectUri: string): string {
    const code = randomUUID();
    this.codes.set(code, { portalId, userId, scopes, redirectUri, expiresAt: this.now() + AUTH_CODE_TTL_MS, used: false });
    return code;
  }

  redeemCode(code: string, redirectUri: string): CodeRedemption {
    const record = this.codes.get(code);
    if (!record || record.used) return { ok: false, reason: 'unknown' };
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    if (record.redirectUri !== redirectUri) return { ok: false, reason: 'redirect_mismatch' };
    record.used = true;
    return { ok: true, portalId: record.portalId, userId: record.userId, scopes: record.scopes };
  }

  /** A new access token; the refresh token is kept when refreshing (HubSpot returns the same one). */
  issue(portalId: number, userId: number, scopes: string[], refreshToken?: string): { access: AccessTokenRecord; refresh: RefreshTokenRecord } {
    const access: AccessTokenRecord = {
      token: `CJ${randomBytes(48).toString('base64url')}`,
      portalId,
      userId,
      scopes,
      expiresAt: this.now() + ACCESS_TOKEN_TTL_MS,
    };
    this.accessTokens.set(access.token, access);
    let refresh = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
    if (!refresh) {
      refresh = { token: `na1-${randomUUID()}`, portalId, userId, scopes, revoked: false };
      this.refreshTokens.set(refresh.token, refresh);
    }
    return { access, refresh };
  }

  /**
   * A private app's static access token (`pat-…`, no expiry, no refresh): stands in for another
   * integration or a developer's script, so what it changes is not marked as our app's change.
   */
  issuePrivateAppToken(portalId: number, appId: number, scopes: string[]): AccessTokenRecord {
    const access: AccessTokenRecord = { token: `pat-na1-${randomUUID()}`, portalId, userId: 0, scopes, expiresAt: Number.POSITIVE_INFINITY, appId };
    this.accessTokens.set(access.token, access);
    return access;
  }

  access(token: string): AccessTokenRecord | undefined {
    return this.accessTokens.get(token);
  }

  /** Undefined for unknown and revoked tokens alike: HubSpot answers both with BAD_REFRESH_TOKEN. */
  liveRefresh(token: string): RefreshTokenRecord | undefined {
    const record = this.refreshTokens.get(token);
    return record && !record.revoked ? record : undefined;
  }

  revokeRefreshToken(token: string): boolean {
    const record = this.refreshTokens.get(token);
    if (!record || record.revoked) return false;
    record.revoked = true;
    return true;
  }

  /** Sandbox control: what an uninstall does to the app's refresh tokens of one portal. */
  revokePortalRefreshTokens(portalId: number): number {
    let count = 0;
    for (const record of this.refreshTokens.values()) {
      if (record.portalId === portalId && !record.revoked) {
        record.revoked = true;
        count++;
      }
    }
    return count;
  }

  /**
   * The app was uninstalled from the portal: its refresh tokens are revoked and its access tokens
   * forgotten (answered like unknown ones). Another app's private token (`appId` set) keeps working.
   */
  uninstall(portalId: number, appId: number): { refreshTokens: number; accessTokens: number } {
    const refreshTokens = this.revokePortalRefreshTokens(portalId);
    let accessTokens = 0;
    for (const [token, record] of this.accessTokens) {
      if (record.portalId === portalId && (record.appId === undefined || record.appId === appId)) {
        this.accessTokens.delete(token);
        accessTokens++;
      }
    }
    return { refreshTokens, accessTokens };
  }

  /** Sandbox control: every access token (of one portal, or all) expires now. */
  expireAccessTokens(portalId?: number): number {
    let count = 0;
    const now = this.now();
    for (const record of this.accessTokens.values()) {
      if ((portalId === undefined || record.portalId === portalId) && record.expiresAt > now) {
        record.expiresAt = now;
        count++;
      }
    }
    return count;
  }
}
