/**
 * HubSpot OAuth for a marketplace app (hubspot.md §4): the authorize URL with our scopes and a CSRF
 * state, the v3 token endpoint (form body) for the code and refresh grants, and v3 token introspection.
 */
import { z } from 'zod';
import { requiredScopes } from './scopes';

export { requiredScopes };

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  token_type: z.string().optional(),
  hub_id: z.union([z.number(), z.string()]).optional(),
  scopes: z.array(z.string()).optional(),
  scope: z.string().optional(),
});

/** What we read of an introspection answer (PublicAccessTokenInfoResponse); an inactive token may carry no more than `active`. */
const IntrospectionSchema = z.object({
  active: z.boolean(),
  hub_id: z.union([z.number(), z.string()]).optional(),
});

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  hubId?: string;
  scopes: string[];
}

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** https://app.hubspot.com or the sandbox. */
  oauthBaseUrl: string;
  /** https://api.hubapi.com or the sandbox. */
  apiBaseUrl: string;
  redirectUri: string;
}

/** HubSpot refused the grant (revoked, uninstalled, wrong code): the user must install again. */
export class OAuthGrantRefused extends Error {
  constructor(
    readonly status: number,
    readonly oauthError: string | undefined,
  ) {
    super(`HubSpot refused the OAuth grant (${status}${oauthError ? ` ${oauthError}` : ''})`);
    this.name = 'OAuthGrantRefused';
  }
}

export class HubspotOAuth {
  constructor(
    private readonly settings: OAuthSettings,
    private readonly now: () => number = Date.now,
  ) {}

  authorizeUrl(state: string): string {
    const url = new URL('/oauth/authorize', this.settings.oauthBaseUrl);
    url.searchParams.set('client_id', this.settings.clientId);
    url.searchParams.set('redirect_uri', this.settings.redirectUri);
    url.searchParams.set('scope', requiredScopes.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  }

  exchangeCode(code: string): Promise<TokenSet> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.settings.redirectUri });
  }

  refresh(refreshToken: string): Promise<TokenSet> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  private async token(grant: Record<string, string>): Promise<TokenSet> {
    const body = new URLSearchParams({ ...grant, client_id: this.settings.clientId, client_secret: this.settings.clientSecret });
    const response = await fetch(new URL('/oauth/v3/token', this.settings.apiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 400 || response.status === 401) {
      throw new OAuthGrantRefused(response.status, typeof json.error === 'string' ? json.error : undefined);
    }
    if (!response.ok) throw new Error(`HubSpot token endpoint answered ${response.status}`);
    const token = TokenResponseSchema.parse(json);
    return {
      accessToken: token.access_token,
      refreshToken: token.refresh_token,
      expiresAt: this.now() + token.expires_in * 1000,
      hubId: token.hub_id === undefined ? undefined : String(token.hub_id),
      scopes: token.scopes ?? token.scope?.split(' ') ?? [],
    };
  }

  /**
   * Revokes a refresh token, so a copy of it (a backup, a log) is worthless after a disconnect.
   * Spec `post-/oauth/v3/token/revoke` (server/specs/hubspot/oauth-v3/oauth.json): form body with
   * client id, secret, token and `token_type_hint`; success has no body.
   */
  async revokeRefreshToken(refreshToken: string): Promise<void> {
    const body = new URLSearchParams({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      token: refreshToken,
      token_type_hint: 'refresh_token',
    });
    const response = await fetch(new URL('/oauth/v3/token/revoke', this.settings.apiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    if (!response.ok) throw new Error(`HubSpot token revocation answered ${response.status}`);
  }

  /**
   * Learns the portal for a token when the token response did not carry `hub_id`: token
   * introspection (`POST /oauth/v3/token/introspect`, form body with the client secret; spec
   * oauth-v3/oauth.json), which replaces the v1 metadata GET that HubSpot retires on 2027-02-16
   * (https://developers.hubspot.com/docs/api-reference/legacy/authentication/oauth-tokens/v1/migration-guide).
   * An unknown token is answered 400 (VALIDATION_ERROR, "Token is invalid"); an RFC 7662 style
   * `active: false` is treated the same.
   */
  async hubIdFor(accessToken: string): Promise<string> {
    const body = new URLSearchParams({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      token: accessToken,
      token_type_hint: 'access_token',
    });
    const response = await fetch(new URL('/oauth/v3/token/introspect', this.settings.apiBaseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 400 || response.status === 401)
      throw new OAuthGrantRefused(response.status, typeof json.error === 'string' ? json.error : undefined);
    if (!response.ok) throw new Error(`HubSpot token introspection answered ${response.status}`);
    const info = IntrospectionSchema.parse(json);
    if (!info.active || info.hub_id === undefined) throw new OAuthGrantRefused(response.status, 'inactive_token');
    return String(info.hub_id);
  }
}
