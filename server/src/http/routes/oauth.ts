/**
 * The install flow: `/oauth/install` sends the user to HubSpot's authorize page with a single-use
 * CSRF state; `/oauth/callback` checks the state, exchanges the code (v3 token endpoint), learns the
 * portal, stores the tokens sealed and queues the portal setup (deal properties).
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { oauthStates } from '../../db/schema';
import { AppError } from '../../errors';
import type { HubspotOAuth } from '../../hubspot/oauth';
import type { HubspotTokens } from '../../hubspot/tokens';
import type { JobDefinition } from '../../jobs/define';
import type { JobQueue } from '../../jobs/queue';

const stateTtlMs = 10 * 60_000;

export interface OAuthRouteDeps {
  db: Db;
  oauth: HubspotOAuth;
  tokens: HubspotTokens;
  queue: JobQueue;
  setupJob: JobDefinition<{ portalId: string }>;
  log: Logger;
  onInstalled?: (portalId: string) => void;
  now?: () => number;
}

const CallbackQuery = z.union([
  z.object({ code: z.string().min(1), state: z.string().min(1) }),
  z.object({ error: z.string(), error_description: z.string().optional(), state: z.string().optional() }),
]);

export function oauthRoutes(deps: OAuthRouteDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();

  router.get('/oauth/install', (_req, res) => {
    const state = randomBytes(24).toString('base64url');
    deps.db.insert(oauthStates).values({ state, createdAt: now(), expiresAt: now() + stateTtlMs }).run();
    res.redirect(302, deps.oauth.authorizeUrl(state));
  });

  router.get('/oauth/callback', async (req, res) => {
    const query = CallbackQuery.parse(req.query);
    if ('error' in query) throw new AppError('forbidden', `HubSpot did not grant access: ${query.error_description ?? query.error}.`);
    const claimed = deps.db
      .delete(oauthStates)
      .where(and(eq(oauthStates.state, query.state), gt(oauthStates.expiresAt, now())))
      .returning()
      .all();
    if (claimed.length !== 1) throw new AppError('forbidden', 'The install link expired or was already used. Start the install again.');
    const tokens = await deps.oauth.exchangeCode(query.code).catch((cause: unknown) => {
      throw new AppError('upstream_failed', 'HubSpot did not accept the install. Start the install again.', undefined, { cause });
    });
    const portalId = tokens.hubId ?? (await deps.oauth.hubIdFor(tokens.accessToken));
    deps.db.transaction((tx) => {
      deps.tokens.store(portalId, tokens, tx);
      deps.queue.wakePortal(portalId, tx);
      deps.queue.enqueue(deps.setupJob, { portalId }, { tx });
    });
    deps.onInstalled?.(portalId);
    deps.log.info({ portalId }, 'app installed');
    res.status(200).type('html').send(installedPage(portalId));
  });

  return router;
}

function installedPage(portalId: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>APIUP installed</title>
<body><h1>APIUP is installed</h1><p>HubSpot account ${portalId} is connected. Open the app's settings in HubSpot to connect your accounting system.</p>
<p lang="de">APIUP ist installiert. Verbinden Sie Ihre Buchhaltung in den App-Einstellungen in HubSpot.</p></body></html>`;
}
