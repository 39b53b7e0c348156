/**
 * OAuth endpoints of the HubSpot sandbox (hubspot.md §4; specs oauth.json v1 and oauth-v3/oauth.json):
 * an authorize "page" that approves at once for the demo portal, the token endpoint at v1 and v3,
 * token metadata (v1 GET, v3 introspect) and revocation. Errors carry HubSpot's legacy `status`
 * (BAD_REFRESH_TOKEN, BAD_AUTH_CODE, …) plus the RFC 6749 `error` HubSpot added.
 */
import { Router, type Request, type Response } from 'express';
import type { SandboxContext } from './context';
import { HubspotApiError, sendError } from './errors';
import { ACCESS_TOKEN_TTL_MS, type AccessTokenRecord, type RefreshTokenRecord } from './tokens';

function oauthError(status: string, error: string, message: string, httpStatus = 400): HubspotApiError {
  return new HubspotApiError(httpStatus, 'VALIDATION_ERROR', message, { status, error, error_description: message });
}

export function oauthRouter(ctx: SandboxContext): Router {
  const router = Router();
  const { options, tokens, store } = ctx;

  router.get('/oauth/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== options.clientId) return sendError(res, oauthError('BAD_CLIENT_ID', 'invalid_client', 'Unknown client_id'));
    // RFC 6749 §4.1.2.1: never redirect to an unregistered URI; HubSpot shows an error page instead.
    if (!q.redirect_uri || !options.redirectUris.includes(q.redirect_uri)) {
      return sendError(res, oauthError('BAD_REDIRECT_URI', 'invalid_request', 'redirect_uri does not match the app'));
    }
    const redirect = new URL(q.redirect_uri);
    if (q.state !== undefined) redirect.searchParams.set('state', q.state);
    const scopes = (q.scope ?? '').split(/[\s+]+/).filter(Boolean);
    if (scopes.length === 0) return redirectWithError(res, redirect, 'invalid_scope', 'scope is required');
    // The install URL must ask for every scope the app requires and nothing it does not declare; HubSpot then
    // shows "Couldn't complete the connection" instead of the consent screen (hubspot.md §4; reports in
    // automatisch/automatisch#2497 and n8n-io/n8n#2464). The token gets exactly the scopes asked for.
    const declared = new Set([...options.appScopes.required, ...options.appScopes.optional]);
    if (options.appScopes.required.some((s) => !scopes.includes(s)) || scopes.some((s) => !declared.has(s))) {
      return sendError(
        res,
        oauthError('SCOPE_MISMATCH', 'invalid_scope', 'Authorization failed because the provided scopes are insufficient. Please contact the app developer.'),
      );
    }
    if (ctx.authorizeOutcome === 'deny') return redirectWithError(res, redirect, 'access_denied', 'The user declined the installation');
    store.ensurePortal(options.demoPortalId);
    redirect.searchParams.set('code', tokens.issueCode(options.demoPortalId, options.demoUserId, scopes, q.redirect_uri));
    res.redirect(302, redirect.toString());
  });

  const token = (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
      return sendError(res, oauthError('BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id or secret'));
    }
    if (body.grant_type === 'authorization_code') {
      const result = tokens.redeemCode(body.code ?? '', body.redirect_uri ?? '');
      if (!result.ok && result.reason === 'redirect_mismatch')
        return sendError(res, oauthError('BAD_REDIRECT_URI', 'invalid_grant', 'redirect_uri does not match'));
      if (!result.ok && result.reason === 'expired') return sendError(res, oauthError('EXPIRED_AUTH_CODE', 'invalid_grant', 'auth code is expired'));
      if (!result.ok) return sendError(res, oauthError('BAD_AUTH_CODE', 'invalid_grant', 'missing or invalid auth code'));
      const issued = tokens.issue(result.portalId, result.userId, result.scopes);
      return res.json(tokenResponse(issued.access, issued.refresh));
    }
    if (body.grant_type === 'refresh_token') {
      const refresh = tokens.liveRefresh(body.refresh_token ?? '');
      if (!refresh) return sendError(res, oauthError('BAD_REFRESH_TOKEN', 'invalid_grant', 'missing or invalid refresh token'));
      const issued = tokens.issue(refresh.portalId, refresh.userId, refresh.scopes, refresh.token);
      return res.json(tokenResponse(issued.access, issued.refresh));
    }
    sendError(res, oauthError('BAD_GRANT_TYPE', 'unsupported_grant_type', `grant_type ${body.grant_type ?? '(missing)'} is not supported`));
  };
  router.post('/oauth/v1/token', token);
  router.post('/oauth/v3/token', token);

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    const access = tokens.access(req.params.token);
    if (!access) return sendError(res, new HubspotApiError(404, 'OBJECT_NOT_FOUND', 'Token not found'));
    if (access.expiresAt <= options.now()) return sendError(res, expiredError(access.expiresAt, options.now()));
    res.json({ ...accessInfo(ctx, access), token_type: 'access' });
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    const refresh = tokens.liveRefresh(req.params.token);
    if (!refresh) return sendError(res, new HubspotApiError(404, 'OBJECT_NOT_FOUND', 'Refresh token not found'));
    res.json(refreshInfo(ctx, refresh));
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    if (!tokens.revokeRefreshToken(req.params.token)) return sendError(res, new HubspotApiError(404, 'OBJECT_NOT_FOUND', 'Refresh token not found'));
    res.status(204).end();
  });

  router.post('/oauth/v3/token/introspect', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
      return sendError(res, oauthError('BAD_CLIENT_ID', 'invalid_client', 'missing or unknown client id or secret'));
    }
    const access = body.token_type_hint === 'refresh_token' ? undefined : tokens.access(body.token ?? '');
    // RFC 7662 answers inactive tokens with `active: false`; HubSpot's exact reply for them is UNCONFIRMED.
    if (access) return res.json(accessInfo(ctx, access));
    const refresh = tokens.liveRefresh(body.token ?? '');
    if (refresh) return res.json(refreshInfo(ctx, refresh));
    sendError(res, oauthError('BAD_TOKEN', 'invalid_request', 'missing or unknown token'));
  });

  router.post('/oauth/v3/token/revoke', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    tokens.revokeRefreshToken(body.token ?? '');
    res.status(204).end();
  });

  return router;
}

/** HubSpot's 401 for an expired token, as seen in the wild (category EXPIRED_AUTHENTICATION, "expire time" context). */
export function expiredError(expiresAt: number, now: number): HubspotApiError {
  const seconds = Math.max(0, Math.floor((now - expiresAt) / 1000));
  return new HubspotApiError(401, 'EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${seconds} second(s) ago.`, {
    context: { 'expire time': [new Date(expiresAt).toISOString()] },
  });
}

function redirectWithError(res: Response, redirect: URL, error: string, description: string): void {
  redirect.searchParams.set('error', error);
  redirect.searchParams.set('error_description', description);
  res.redirect(302, redirect.toString());
}

function tokenResponse(access: AccessTokenRecord, refresh: RefreshTokenRecord) {
  return {
    access_token: access.token,
    refresh_token: refresh.token,
    expires_in: ACCESS_TOKEN_TTL_MS / 1000,
    token_type: 'bearer',
    token_use: 'access_token',
    hub_id: access.portalId,
    user_id: access.userId,
    scopes: access.scopes,
  };
}

function accessInfo(ctx: SandboxContext, access: AccessTokenRecord) {
  const { options } = ctx;
  const expiresIn = Math.max(0, Math.floor((access.expiresAt - options.now()) / 1000));
  const user = `user-${access.userId}@sandbox.example`;
  return {
    active: expiresIn > 0,
    token: access.token,
    token_type: 'bearer',
    token_use: 'access_token',
    user,
    user_id: access.userId,
    hub_id: access.portalId,
    hub_domain: ctx.store.portal(access.portalId)?.hubDomain ?? `sandbox-${access.portalId}.hubspot.com`,
    app_id: options.appId,
    client_id: options.clientId,
    scopes: access.scopes,
    expires_in: expiresIn,
    is_private_distribution: false,
    signed_access_token: {
      expiresAt: access.expiresAt,
      scopes: access.scopes.join(' '),
      hubId: access.portalId,
      userId: access.userId,
      appId: options.appId,
      installingUserId: access.userId,
      appInstallId: `install-${access.portalId}`,
      audience: 'sandbox',
      hublet: 'na1',
      signature: 'sandbox',
      newSignature: 'sandbox',
      scopeToScopeGroupPks: '',
      trialScopes: '',
      trialScopeToScopeGroupPks: '',
      isUserLevel: false,
      isServiceAccount: false,
      isPrivateDistribution: false,
    },
  };
}

function refreshInfo(ctx: SandboxContext, refresh: RefreshTokenRecord) {
  return {
    active: !refresh.revoked,
    token: refresh.token,
    token_type: 'refresh',
    token_use: 'refresh_token',
    user: `user-${refresh.userId}@sandbox.example`,
    user_id: refresh.userId,
    hub_id: refresh.portalId,
    hub_domain: ctx.store.portal(refresh.portalId)?.hubDomain ?? `sandbox-${refresh.portalId}.hubspot.com`,
    app_id: ctx.options.appId,
    client_id: ctx.options.clientId,
    scopes: refresh.scopes,
  };
}
