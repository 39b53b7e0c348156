import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/app';
import { generateKey, SecretBox } from '../../src/crypto/secrets';
import { hubspotTokens, jobs, oauthStates } from '../../src/db/schema';
import { oauthRoutes, type OAuthRouteDeps } from '../../src/http/routes/oauth';
import { HubspotOAuth, type TokenSet } from '../../src/hubspot/oauth';
import { HubspotTokens } from '../../src/hubspot/tokens';
import { defineJob } from '../../src/jobs/define';
import { DbJobQueue } from '../../src/jobs/queue';
import { silentLogger } from '../../src/logger';
import { FakeClock, testDatabases } from '../helpers/db';

/** HubSpot's token endpoint, as far as the callback needs it: every code is good once. */
class OneTimeCodes extends HubspotOAuth {
  readonly exchanged: string[] = [];
  override async exchangeCode(code: string): Promise<TokenSet> {
    if (this.exchanged.includes(code)) throw new Error('BAD_AUTH_CODE');
    this.exchanged.push(code);
    return {
      accessToken: `at-${code}`,
      refreshToken: `rt-${code}`,
      expiresAt: Date.now() + 30 * 60_000,
      hubId: '24681357',
      scopes: ['crm.objects.deals.read'],
    };
  }
}

const databases = testDatabases();

async function installApp(limit?: OAuthRouteDeps['limit']) {
  const db = await databases.fresh();
  const clock = new FakeClock();
  const log = silentLogger();
  const secrets = new SecretBox({ id: 'k1', key: generateKey() });
  const oauth = new OneTimeCodes({
    clientId: 'apiup-test',
    clientSecret: 'secret',
    oauthBaseUrl: 'https://app-eu1.hubspot.com',
    apiBaseUrl: 'https://api.hubapi.com',
    redirectUri: 'https://apiup.example.de/oauth/callback',
  });
  const queue = new DbJobQueue(db, clock);
  const setupJob = defineJob({ name: 'portal.setup', payload: z.object({ portalId: z.string() }), portalId: (p) => p.portalId, run: async () => {} });
  const router = oauthRoutes({
    db,
    oauth,
    tokens: new HubspotTokens(db, secrets, oauth, log, clock.now),
    queue,
    setupJob,
    log,
    stateKey: secrets.deriveKey('oauth-state'),
    limit,
    now: clock.now,
  });
  const app = createApp({ db, log, routers: [router] });
  const install = async (ip = '203.0.113.7') => {
    const response = await request(app).get('/oauth/install').set('x-forwarded-for', ip);
    return { response, state: response.status === 302 ? new URL(response.headers.location).searchParams.get('state')! : undefined };
  };
  const callback = (state: string, code = 'code-1') => request(app).get('/oauth/callback').query({ code, state });
  return { db, clock, install, callback };
}

describe('OAuth install under load and replay', () => {
  it('leaves no rows after 1,500 anonymous installs', async () => {
    const { db, install } = await installApp({ perClient: 2_000, windowMs: 60_000 });
    for (let i = 0; i < 1_500; i++) expect((await install(`198.51.100.${i % 250}`)).response.status).toBe(302);
    expect(await db.select().from(oauthStates)).toEqual([]);
  });

  it('installs once with a state it issued; a replayed, forged or expired state installs nothing', async () => {
    const { db, clock, install, callback } = await installApp();
    const { state } = await install();
    expect((await callback(state!)).status).toBe(200);
    expect(await db.select().from(hubspotTokens)).toHaveLength(1);
    expect(await db.select().from(jobs)).toHaveLength(1);
    expect((await callback(state!, 'code-2')).status).toBe(403);

    const [expires, nonce, signature] = (await install()).state!.split('.');
    expect((await callback(`${Number(expires) + 3_600_000}.${nonce}.${signature}`, 'code-3')).status).toBe(403);
    expect((await callback(`${expires}.${nonce}.${'A'.repeat(43)}`, 'code-4')).status).toBe(403);
    expect((await callback('Bäckerei Hölzl & Söhne', 'code-5')).status).toBe(403);
    const late = (await install()).state!;
    clock.advance(10 * 60_000 + 1);
    expect((await callback(late, 'code-6')).status).toBe(403);
    expect(await db.select().from(jobs)).toHaveLength(1);
  });

  it('forgets used states once they have expired', async () => {
    const { db, clock, install, callback } = await installApp();
    expect((await callback((await install()).state!, 'code-1')).status).toBe(200);
    expect(await db.select().from(oauthStates)).toHaveLength(1);
    clock.advance(11 * 60_000);
    expect((await callback((await install()).state!, 'code-2')).status).toBe(200);
    expect(await db.select().from(oauthStates)).toHaveLength(1);
  });

  it('answers 429 with Retry-After when one address starts too many installs, and again 302 a minute later', async () => {
    const { clock, install } = await installApp();
    for (let i = 0; i < 20; i++) expect((await install()).response.status).toBe(302);
    const limited = (await install()).response;
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await install('203.0.113.8')).response.status).toBe(302);
    clock.advance(60_000);
    expect((await install()).response.status).toBe(302);
  });
});
