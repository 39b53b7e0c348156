/**
 * A fifth accounting system is its folder plus one registry line: registering the fixture vendor
 * "Fakebooks" (server/test/fixtures/fake-vendor/) puts it in every list that used to be spelled out by
 * hand — config variables, provider ids, the settings page's provider list and the sandbox start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiterRegistry } from '../../src/lib/rate-limit';
import { providerIds, providerList, vendorIds, vendorManifests } from '../../src/accounting/registry';
import { configVariableNames, ConfigError, loadConfig } from '../../src/config';
import { silentLogger } from '../../src/logger';
import { pairVendorSandboxes, startSandboxes, type SandboxSet } from '../../src/sandbox-mode';
import { vendorSandboxEntries } from '../../src/sandboxes/registry';
import { fakeVendorManifest } from '../fixtures/fake-vendor/manifest';
import { fakeVendorSandboxEntry } from '../fixtures/fake-vendor/sandbox';

const manifests = [...vendorManifests, fakeVendorManifest];
const sandboxes = [...vendorSandboxEntries, fakeVendorSandboxEntry];

describe('a vendor added to the registry', () => {
  it('gets its config variables: base URL override and demo-portal choice', () => {
    expect(configVariableNames(manifests)).toContain('FAKEBOOKS_API_BASE_URL');
    expect(configVariableNames()).not.toContain('FAKEBOOKS_API_BASE_URL');
    const config = loadConfig({ FAKEBOOKS_API_BASE_URL: 'https://fakebooks.proxy.example', SANDBOX_DEMO_PROVIDER: 'fakebooks' }, manifests);
    expect((config.accountingBaseUrls as Record<string, string | undefined>).fakebooks).toBe('https://fakebooks.proxy.example');
    expect(config.sandboxDemoProvider).toBe('fakebooks');
    expect(() => loadConfig({ FAKEBOOKS_API_BASE_URL: 'not a url' }, manifests)).toThrow(/FAKEBOOKS_API_BASE_URL/);
    expect(() => loadConfig({ SANDBOX_DEMO_PROVIDER: 'fakebooks' })).toThrow(ConfigError);
  });

  it('is a provider id, after the four of the real registry', () => {
    expect(vendorIds(manifests)).toEqual([...providerIds, 'fakebooks']);
  });

  it('is offered by the settings page with its label and credential fields', () => {
    expect(providerList(manifests).at(-1)).toEqual({
      id: 'fakebooks',
      label: 'Fakebooks Buchhaltung',
      credentialFields: [{ name: 'apiKey', secret: true, label: { de: 'Fakebooks-API-Schlüssel', en: 'Fakebooks API key' } }],
    });
    expect(providerList().map((p) => p.id)).toEqual(providerIds);
  });

  it('cannot start in sandbox mode without an emulator of its own', () => {
    expect(() => pairVendorSandboxes({ manifests, sandboxes: vendorSandboxEntries })).toThrow(/no sandbox registered for vendor "fakebooks"/);
  });

  describe('in sandbox mode', () => {
    let set: SandboxSet;
    beforeAll(async () => {
      set = await startSandboxes(loadConfig({}, manifests), silentLogger(), { manifests, sandboxes });
    });
    afterAll(async () => {
      await set?.close();
    });

    it('starts its emulator, lists it and points the config at it', async () => {
      const url = (set.vendors as Record<string, { url: string }>).fakebooks.url;
      expect(set.list().map((s) => s.name)).toEqual(['hubspot', ...providerIds, 'fakebooks', 'stripe']);
      const config = set.applyTo(loadConfig({}, manifests));
      expect((config.accountingBaseUrls as Record<string, string | undefined>).fakebooks).toBe(url);
      expect(Object.keys(config.webhookPublicKeys)).toEqual(['lexoffice']);
    });

    it("connects: the manifest's factory talks to the emulator with the emulator's credentials", async () => {
      const entry = (set.vendors as Record<string, { url: string; sandbox: { credentials: Record<string, string> } }>).fakebooks;
      const credentials = fakeVendorManifest.credentials.parse(entry.sandbox.credentials);
      const provider = fakeVendorManifest.factory({
        baseUrl: entry.url,
        credentials,
        log: silentLogger(),
        limiters: new RateLimiterRegistry(),
        rateLimit: fakeVendorManifest.rateLimit,
      });
      await expect(provider.testConnection()).resolves.toMatchObject({ accountName: expect.any(String) });
    });
  });
});
