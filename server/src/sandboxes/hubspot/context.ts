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
  /** Scopes of `installDemoPortal()` tokens; default: the app's required scopes from app-hsmeta.json. */
  defaultScopes: string[];
  /** The scopes the app declares; the authorize page refuses a `scope` that lacks a required one or adds an undeclared one. */
  appScopes: { required: string[]; optional: string[] };
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
  /** Granted to the token: what the scope check (scopes.ts) compares with. */
  scopes: readonly string[];
}

export function authOf(res: Response): RequestAuth {
  return res.locals.hubspotAuth as RequestAuth;
}
