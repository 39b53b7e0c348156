/**
 * The app uninstall of the HubSpot sandbox: `DELETE /appinstalls/v3/external-install` with the account's
 * access token removes our app from that account (spec appUninstalls.json, scope `oauth`; 204, no body;
 * https://developers.hubspot.com/docs/api-reference/legacy/app-management/app-uninstalls/uninstall-app and
 * https://developers.hubspot.com/changelog/public-beta-new-api-for-uninstalling-a-public-app-from-a-hubspot-account).
 * Afterwards the account's tokens of the app are refused: a refresh answers 400 BAD_REFRESH_TOKEN
 * (refresh tokens "become useless when the app is uninstalled",
 * https://developers.hubspot.com/docs/methods/oauth2/delete-refresh-token), and an access token answers
 * 401 INVALID_AUTHENTICATION like an unknown one (what HubSpot answers for an access token of an
 * uninstalled app exactly is UNCONFIRMED).
 */
import { Router, type RequestHandler } from 'express';
import { authOf, type SandboxContext } from './context';
import { requireAnyScope } from './scopes';

/** The spec's `security` for the operation: `oauth` (besides an internal acceptance-test scope). */
const acceptedScopes = ['oauth'];

export function appInstallsRouter(ctx: SandboxContext, authenticate: RequestHandler, limit: RequestHandler): Router {
  const router = Router();
  router.delete(
    '/appinstalls/v3/external-install',
    authenticate,
    requireAnyScope(acceptedScopes, (res) => authOf(res).scopes),
    limit,
    (_req, res) => {
      ctx.tokens.uninstall(authOf(res).portal.portalId, ctx.options.appId);
      // send(), not end(): the exchange recorder sees what passes through send.
      res.status(204).send();
    },
  );
  return router;
}
