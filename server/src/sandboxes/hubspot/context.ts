/** What every route module of the HubSpot sandbox shares: resolved options, state and the request's portal. */
import type { Response } from 'express';
import type { ChangeSource, HubspotStore, PortalState } from './store';
import type { TokenStore } from './tokens';

export interface ResolvedHubspotOptions {
  appId: number;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  demoPortalId: number;
  demoUserId: number;
  /** Scopes granted when the authorize request names none beyond these. */
  defaultScopes: string[];
  rateLimit: { requests: number; perMs: number };
  searchRateLimit: { requests: number; perMs: number };
  now: () => number;
}

export interface SandboxContext {
  options: ResolvedHubspotOptions;
  store: HubspotStore;
  tokens: TokenStore;
  /** `approve` answers the authorize page at once; `deny` redirects with `error=access_denied`. */
  authorizeOutcome: 'approve' | 'deny';
}

/** Set by the bearer-auth middleware for every CRM route. */
export interface RequestAuth {
  portal: PortalState;
  /** How changes made with this token are marked in webhook events (webhooks.ts). */
  source: ChangeSource;
}

export function authOf(res: Response): RequestAuth {
  return res.locals.hubspotAuth as RequestAuth;
}
