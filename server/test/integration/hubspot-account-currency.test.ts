/**
 * A deal without a currency is in the HubSpot account's company currency: the sandbox answers
 * `GET /account-info/v3/details` as HubSpot documents it, and our cache reads it once per portal.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createHubspotSandbox } from '../../src/sandboxes/hubspot/app';

describe('HubSpot sandbox: account details', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function start() {
    const sandbox = createHubspotSandbox({ now: () => Date.parse('2027-07-01T10:00:00Z') });
    server = sandbox.app.listen(0);
    await new Promise((resolve) => server!.once('listening', resolve));
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    return { sandbox, base, install: sandbox.installDemoPortal() };
  }

  it('answers every documented field, with EUR as the demo portal currency and the summer offset of Berlin', async () => {
    const { base, install } = await start();
    const response = await fetch(`${base}/account-info/v3/details`, { headers: { authorization: `Bearer ${install.accessToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      portalId: install.portalId,
      accountType: 'STANDARD',
      timeZone: 'Europe/Berlin',
      companyCurrency: 'EUR',
      additionalCurrencies: [],
      utcOffset: '+02:00',
      utcOffsetMilliseconds: 7_200_000,
      uiDomain: 'app-eu1.hubspot.com',
      dataHostingLocation: 'eu1',
    });
  });

  it('answers another company currency once the portal is set to it, and 401 without a token', async () => {
    const { base, install } = await start();
    const put = await fetch(`${base}/_sandbox/portals/${install.portalId}/account-details`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ companyCurrency: 'CHF', timeZone: 'Europe/Zurich' }),
    });
    expect(put.status).toBe(200);
    const details = (await (await fetch(`${base}/account-info/v3/details`, { headers: { authorization: `Bearer ${install.accessToken}` } })).json()) as {
      companyCurrency: string;
    };
    expect(details.companyCurrency).toBe('CHF');
    expect((await fetch(`${base}/account-info/v3/details`)).status).toBe(401);
  });
});
