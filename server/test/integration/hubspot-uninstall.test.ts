import { afterEach, describe, expect, it } from 'vitest';
import { OAuthGrantRefused } from '../../src/hubspot/oauth';
import { checkHubspotExchanges } from '../helpers/hubspot-contract';
import { startTestApiup, type TestApiup } from '../helpers/apiup';

/** "Disconnect portal" removes the app in HubSpot (there is no uninstall webhook), and the portal is learnt by v3 introspection. */
describe('HubSpot install lifecycle', () => {
  let t: TestApiup | undefined;

  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  async function start() {
    t = await startTestApiup();
    t.sandboxes!.hubspot.recorder.enabled = true;
    return t;
  }

  const sandboxCall = (t: TestApiup, path: string, init: RequestInit) => fetch(new URL(path, t.sandboxes!.list()[0].url), init);

  it('learns the portal of an access token through POST /oauth/v3/token/introspect', async () => {
    const t = await start();
    const install = t.sandboxes!.hubspot.installDemoPortal();
    expect(await t.services.hubspot.oauth.hubIdFor(install.accessToken)).toBe(t.portalId);
    await expect(t.services.hubspot.oauth.hubIdFor('CJunknown-token-of-nobody')).rejects.toBeInstanceOf(OAuthGrantRefused);
    const calls = t.sandboxes!.hubspot.recorder.exchanges.map((e) => `${e.method} ${e.path}`);
    expect(calls).toContain('POST /oauth/v3/token/introspect');
    expect(calls.some((c) => c.includes('/oauth/v1/access-tokens'))).toBe(false);
  });

  it('uninstalls the app in HubSpot on "disconnect portal", after which HubSpot refuses the portal\'s tokens', async () => {
    const t = await start();
    const ours = await t.services.hubspot.tokens.accessToken(t.portalId);
    const other = t.sandboxes!.hubspot.installDemoPortal();
    const disconnected = await t.signedFetch('/api/v1/settings/portal', { method: 'DELETE' });
    expect(disconnected.status).toBe(200);
    expect(await disconnected.json()).toMatchObject({
      disconnected: true,
      uninstalledFromHubspot: true,
      deletedElsewhere: false,
      endedJobs: expect.any(Number),
    });

    const uninstall = t.sandboxes!.hubspot.recorder.exchanges.filter((e) => e.path === '/appinstalls/v3/external-install');
    expect(uninstall.map((e) => [e.method, e.status])).toEqual([['DELETE', 204]]);
    expect(checkHubspotExchanges(t.sandboxes!.hubspot.recorder.exchanges).problems).toEqual([]);

    for (const token of [ours, other.accessToken]) {
      const read = await sandboxCall(t, '/crm/v3/objects/deals?limit=1', { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(401);
    }
    const { clientId, clientSecret } = t.sandboxes!.hubspot.credentials as { clientId: string; clientSecret: string };
    const refresh = await sandboxCall(t, '/oauth/v3/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: other.refreshToken }),
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });

    const settings = await (await t.signedFetch('/api/v1/settings')).json();
    expect(settings.portal.status).toBe('not_connected');
    expect((await (await t.signedFetch('/api/v1/contacts/4712/sync')).json()).portal).toEqual({ status: 'not_connected' });
    // The card and the settings page learn why, and offer "connect" instead of an error.
    for (const path of ['/api/v1/deals/4711/invoice/preview', '/api/v1/settings/pipelines']) {
      const refused = await t.signedFetch(path);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.code).toBe('hubspot_not_connected');
    }
  });

  it('disconnects a portal whose tokens HubSpot already refuses, and says the app could not be removed there', async () => {
    const t = await start();
    const portal = Number(t.portalId);
    t.sandboxes!.hubspot.revokeRefreshTokens(portal);
    t.sandboxes!.hubspot.expireAccessTokens(portal);
    // The next HubSpot call finds out: the refresh is refused and the portal is shown as needing re-authorisation.
    await expect(t.services.hubspot.clients.call(t.portalId, (c) => c.crm.deals.basicApi.getPage(1))).rejects.toMatchObject({ code: 'needs_reauth' });
    expect((await (await t.signedFetch('/api/v1/settings')).json()).portal.status).toBe('needs_reauth');
    expect((await (await t.signedFetch('/api/v1/deals/4711/invoice/preview')).json()).error.code).toBe('hubspot_needs_reauth');

    const disconnected = await t.signedFetch('/api/v1/settings/portal', { method: 'DELETE' });
    expect(await disconnected.json()).toMatchObject({
      disconnected: true,
      uninstalledFromHubspot: false,
      deletedElsewhere: false,
      endedJobs: expect.any(Number),
    });
    expect(t.sandboxes!.hubspot.recorder.exchanges.some((e) => e.path === '/appinstalls/v3/external-install')).toBe(false);
    expect((await (await t.signedFetch('/api/v1/settings')).json()).portal.status).toBe('not_connected');
  });
});
