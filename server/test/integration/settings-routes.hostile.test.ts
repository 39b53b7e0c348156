import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { AccountingConnections } from '../../src/accounting/connections';
import { createApp } from '../../src/app';
import { Subscriptions } from '../../src/billing/subscriptions';
import { generateKey, SecretBox } from '../../src/crypto/secrets';
import { packageSubscriptions, portalSettings } from '../../src/db/schema';
import { settingsRoutes } from '../../src/http/routes/settings';
import { HubspotOAuth } from '../../src/hubspot/oauth';
import { hubspotSignedHeaders } from '../../src/hubspot/signature';
import { HubspotTokens } from '../../src/hubspot/tokens';
import { DbJobQueue } from '../../src/jobs/queue';
import { silentLogger } from '../../src/logger';
import { PortalSettingsStore } from '../../src/settings/portal-settings';
import { InvoiceRecords } from '../../src/invoicing/records';
import { testDatabases } from '../helpers/db';

const clientSecret = 'client-secret-of-the-apiup-test-app';
const publicUrl = 'https://apiup.example.de';
const installed = '24681357';
const neverInstalled = '97531864';

const databases = testDatabases();

async function settingsApp() {
  const db = await databases.fresh();
  const log = silentLogger();
  const oauth = new HubspotOAuth({
    clientId: 'apiup-test',
    clientSecret,
    oauthBaseUrl: 'https://app.hubspot.com',
    apiBaseUrl: 'https://api.hubapi.com',
    redirectUri: `${publicUrl}/oauth/callback`,
  });
  const tokens = new HubspotTokens(db, new SecretBox({ id: 'k1', key: generateKey() }), oauth, log);
  await tokens.store(installed, { accessToken: 'at-hölzl', refreshToken: 'rt-hölzl', expiresAt: Date.now() + 30 * 60_000, scopes: ['crm.objects.deals.read'] });
  // No accounting connection in this test: the route asks only for the vendor's field limits.
  const connections = { providerFor: () => undefined } as unknown as AccountingConnections;
  const router = settingsRoutes({
    signature: { clientSecret: () => clientSecret, publicUrl: () => publicUrl },
    connections,
    subscriptions: new Subscriptions(db),
    settings: new PortalSettingsStore(db),
    tokens,
    queue: new DbJobQueue(db),
    records: new InvoiceRecords(db, Date.now),
    uninstall: () => Promise.reject(new Error('these tests never disconnect a portal')),
  });
  const app = createApp({ db, log, routers: [router] });
  const call = (method: 'POST' | 'PUT', path: string, portalId: string, body?: unknown) => {
    const url = `${path}?portalId=${portalId}&userId=7654321`;
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = hubspotSignedHeaders({ clientSecret, method, url: `${publicUrl}${url}`, body: text });
    const r = method === 'POST' ? request(app).post(url) : request(app).put(url);
    return r.set(headers).send(text || undefined);
  };
  return { db, call };
}

describe('settings routes under hostile input', () => {
  it.each(['activate'])('%s for a portal that never installed the app answers 409 and stores nothing', async (action) => {
    const { db, call } = await settingsApp();
    const response = await call('POST', `/api/v1/settings/packages/business_plus/${action}`, neverInstalled, {});
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('conflict');
    expect(await db.select().from(packageSubscriptions)).toEqual([]);
    expect((await call('POST', `/api/v1/settings/packages/business_plus/${action}`, installed, {})).status).toBe(200);
  });

  it('cancel for a portal that never installed the app answers 404', async () => {
    const { call } = await settingsApp();
    expect((await call('POST', '/api/v1/settings/packages/sync/cancel', neverInstalled, {})).status).toBe(404);
  });

  it('saves a text with prototype names as placeholders with a warning, and later saves still work', async () => {
    const { call } = await settingsApp();
    const texts = {
      title: 'Rechnung {{constructor.name}} {{deal.name}}',
      introduction: 'Sehr geehrte Damen und Herren, {{deal.constructor}}',
      paymentTerms: 'Zahlbar innerhalb von 14 Tagen ohne Abzug.',
      closingText: '{{__proto__.toString}}',
    };
    const saved = await call('PUT', '/api/v1/settings/rules', installed, { invoice: { texts } });
    expect(saved.status).toBe(200);
    expect(saved.body.warnings).toEqual([
      { field: 'title', code: 'unknown_placeholder', placeholder: '{{constructor.name}}' },
      { field: 'introduction', code: 'unknown_placeholder', placeholder: '{{deal.constructor}}' },
      { field: 'closingText', code: 'unknown_placeholder', placeholder: '{{__proto__.toString}}' },
    ]);
    const later = await call('PUT', '/api/v1/settings/rules', installed, { sync: {} });
    expect(later.status).toBe(200);
    expect(later.body.rules.invoice.texts).toEqual(texts);
  });

  it('stores nothing when the rules are not valid', async () => {
    const { db, call } = await settingsApp();
    expect((await call('PUT', '/api/v1/settings/rules', installed, { invoice: { texts: { title: 'Rechnung {{deal.name}}' } } })).status).toBe(200);
    const before = await db.select().from(portalSettings).orderBy(portalSettings.portalId);
    const invalid = await call('PUT', '/api/v1/settings/rules', installed, { invoice: { texts: { title: 42 } } });
    expect(invalid.status).toBe(400);
    expect(await db.select().from(portalSettings).orderBy(portalSettings.portalId)).toEqual(before);
  });
});
