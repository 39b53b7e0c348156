import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('runs in sandbox mode when no HubSpot credentials are configured', () => {
    const config = loadConfig({});
    expect(config.mode).toBe('sandbox');
    expect(config.port).toBe(3000);
    expect(config.databasePath).toBe('data/apiup.sqlite');
  });

  it('runs live with complete credentials and keeps every outside base URL configurable', () => {
    const config = loadConfig({
      HUBSPOT_APP_ID: '123',
      HUBSPOT_CLIENT_ID: 'id',
      HUBSPOT_CLIENT_SECRET: 'secret',
      ENCRYPTION_KEY: key,
      PUBLIC_BASE_URL: 'https://apiup.example.com/',
      HUBSPOT_API_BASE_URL: 'https://hubspot.proxy.example.com',
      LEXOFFICE_API_BASE_URL: 'https://lexoffice.proxy.example.com',
    });
    expect(config.mode).toBe('live');
    expect(config.publicBaseUrl).toBe('https://apiup.example.com');
    expect(config.hubspot.apiBaseUrl).toBe('https://hubspot.proxy.example.com');
    expect(config.accountingBaseUrls.lexoffice).toBe('https://lexoffice.proxy.example.com');
  });

  it('keeps finished work for configurable days, and webhook events at least as long as HubSpot retries a delivery', () => {
    expect(loadConfig({}).retention).toEqual({
      succeededJobsMs: 7 * 86_400_000,
      deadJobsMs: 30 * 86_400_000,
      webhookEventsMs: 14 * 86_400_000,
      invoiceHistoryMs: 365 * 86_400_000,
    });
    expect(loadConfig({ RETAIN_SUCCEEDED_JOBS_DAYS: '2' }).retention.succeededJobsMs).toBe(2 * 86_400_000);
    expect(() => loadConfig({ RETAIN_WEBHOOK_EVENTS_DAYS: '1' })).toThrow(/RETAIN_WEBHOOK_EVENTS_DAYS/);
  });

  it("refuses sandbox mode on a non-loopback host, which would publish the sandboxes' secrets on /sandbox", () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST: sandbox mode .* not on 0\.0\.0\.0/);
    expect(() => loadConfig({ HOST: '192.168.178.20' })).toThrow(/HOST/);
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', HUBSPOT_CLIENT_ID: 'id', LEXOFFICE_API_BASE_URL: 'not a url', ENCRYPTION_KEY: 'c2hvcnQ=' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'HUBSPOT_CLIENT_SECRET', 'LEXOFFICE_API_BASE_URL', 'ENCRYPTION_KEY']) expect(message).toContain(name);
  });

  it('requires the encryption key, public URL and app id once real credentials are set', () => {
    expect(() => loadConfig({ HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 'secret' })).toThrow(/ENCRYPTION_KEY[\s\S]*PUBLIC_BASE_URL[\s\S]*HUBSPOT_APP_ID/);
  });

  it('accepts plain http only for a loopback public URL', () => {
    const live = { HUBSPOT_APP_ID: '1', HUBSPOT_CLIENT_ID: 'id', HUBSPOT_CLIENT_SECRET: 's', ENCRYPTION_KEY: key };
    expect(loadConfig({ ...live, PUBLIC_BASE_URL: 'http://127.0.0.1:3900' }).publicBaseUrl).toBe('http://127.0.0.1:3900');
    expect(() => loadConfig({ ...live, PUBLIC_BASE_URL: 'http://apiup.example.com' })).toThrow(/PUBLIC_BASE_URL/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ HUBSPOT_CLIENT_ID: '', HUBSPOT_CLIENT_SECRET: '' }).mode).toBe('sandbox');
  });
});
