/**
 * The install flow: `/oauth/install` sends the user to HubSpot's authorize page with a signed,
 * expiring CSRF state (nothing is stored); `/oauth/callback` checks the state, exchanges the code
 * (v3 token endpoint), learns the portal, stores the tokens sealed, records the state as used and
 * queues the portal setup (deal properties). Both routes are rate-limited per client.
 */
import { eq, lt } from 'drizzle-orm';
import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { oauthStates } from '../../db/schema';
import { AppError } from '../../errors';
import type { HubspotOAuth } from '../../hubspot/oauth';
import { OAuthStates } from '../../hubspot/oauth-state';
import type { HubspotTokens } from '../../hubspot/tokens';
import type { JobDefinition } from '../../jobs/define';
import type { JobQueue } from '../../jobs/queue';
import { rateLimit, type RateLimitOptions } from '../middleware/rate-limit';

/** An install takes a person a few clicks; 20 starts a minute from one address is plenty. */
const defaultLimit = { perClient: 20, windowMs: 60_000 };

export interface OAuthRouteDeps {
  db: Db;
  oauth: HubspotOAuth;
  tokens: HubspotTokens;
  queue: JobQueue;
  setupJob: JobDefinition<{ portalId: string }>;
  log: Logger;
  onInstalled?: (portalId: string) => void;
  /** Signs the OAuth state (derived from the secret box key, e.g. `secrets.deriveKey('oauth-state')`). */
  stateKey: Buffer;
  limit?: Pick<RateLimitOptions, 'perClient' | 'windowMs' | 'maxClients'>;
  now?: () => number;
}

const CallbackQuery = z.union([
  z.object({ code: z.string().min(1), state: z.string().min(1) }),
  z.object({ error: z.string(), error_description: z.string().optional(), state: z.string().optional() }),
]);

export function oauthRoutes(deps: OAuthRouteDeps): Router {
  const now = deps.now ?? Date.now;
  const router = Router();
  const states = new OAuthStates(deps.stateKey, now);
  const limited = rateLimit({
    ...defaultLimit,
    ...deps.limit,
    now,
    message: 'Too many install attempts from this address. Wait a minute and start the install again.',
  });
  const expired = () => new AppError('forbidden', 'The install link expired or was already used. Start the install again.');

  router.get('/oauth/install', limited, (_req, res) => {
    res.redirect(302, deps.oauth.authorizeUrl(states.issue()));
  });

  router.get('/oauth/callback', limited, async (req, res) => {
    const query = CallbackQuery.parse(req.query);
    if ('error' in query) throw new AppError('forbidden', `HubSpot did not grant access: ${query.error_description ?? query.error}.`);
    const state = states.verify(query.state);
    if (!state || (await isUsed(deps.db, state.nonce))) throw expired();
    const tokens = await deps.oauth.exchangeCode(query.code).catch((cause: unknown) => {
      throw new AppError('upstream_failed', 'HubSpot did not accept the install. Start the install again.', undefined, { cause });
    });
    const portalId = tokens.hubId ?? (await deps.oauth.hubIdFor(tokens.accessToken));
    await deps.db.transaction(async (tx) => {
      // Single use: a second callback with this state (even a concurrent one) installs nothing.
      await tx.delete(oauthStates).where(lt(oauthStates.expiresAt, now()));
      const claimed = await tx
        .insert(oauthStates)
        .values({ state: state.nonce, createdAt: now(), expiresAt: state.expiresAt })
        .onConflictDoNothing()
        .returning({ state: oauthStates.state });
      if (claimed.length !== 1) throw expired();
      await deps.tokens.store(portalId, tokens, tx);
      await deps.queue.wakePortal(portalId, tx);
      await deps.queue.enqueue(deps.setupJob, { portalId }, { tx });
    });
    deps.onInstalled?.(portalId);
    deps.log.info({ portalId }, 'app installed');
    res.status(200).type('html').send(installedPage(portalId));
  });

  return router;
}

async function isUsed(db: Db, nonce: string): Promise<boolean> {
  const [used] = await db.select({ state: oauthStates.state }).from(oauthStates).where(eq(oauthStates.state, nonce)).limit(1);
  return used !== undefined;
}

function installedPage(portalId: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>APIUP installed</title>
<body><h1>APIUP is installed</h1><p>HubSpot account ${portalId} is connected. Open the app's settings in HubSpot to connect your accounting system.</p>
<p lang="de">APIUP ist installiert. Verbinden Sie Ihre Buchhaltung in den App-Einstellungen in HubSpot.</p></body></html>`;
}
