/**
 * "A vendor is its own folders plus one registry line": no code outside a vendor's folders names a vendor.
 * This scans the source tree for the vendor ids in code (comments may use a vendor as an example) and
 * fails on any file that is neither the vendor's own, a registry, nor on the allow-list below with its reason.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const vendorIds = ['lexoffice', 'sevdesk', 'bexio', 'qonto'];
const idPattern = new RegExp(vendorIds.join('|'), 'i');
const vendorGroup = `(${vendorIds.join('|')})`;

/** Where naming a vendor is the point. */
const ownPlaces = [
  new RegExp(`^server/src/(accounting|sandboxes)/${vendorGroup}/`),
  /^server\/src\/(accounting|sandboxes)\/registry\.ts$/,
  // Tests pick vendors to run against; vendor-specific suites carry the id in their name.
  /\.test\.tsx?$/,
  new RegExp(`^server/test/(recorded|contract|integration)/${vendorGroup}[./]`),
  /^server\/test\/integration\/sync\.helpers\.ts$/,
  // Test data of the HubSpot UI: what the backend's registry serves.
  /^hubspot-project\/app\/(cards|settings)\/test-utils\//,
];

/** Files outside those places that still name a vendor in code, each with the reason it may. */
const allowed: Record<string, string> = {
  'hubspot-project/app/app-hsmeta.json': 'the marketplace description HubSpot shows names the supported systems',
  'hubspot-project/app/settings/lib/i18n.ts': 'help texts tell the user how each accounting system treats gross prices and e-invoices',
  'scripts/demo.ts': 'usage text and default of the narrated demo (`--provider lexoffice`)',
  'server/test/helpers/lexoffice-money.ts': 'a lexoffice-only money helper of the lexoffice money suites',
  'server/test/fixtures/fake-vendor/manifest.ts': "the registry test's fifth vendor speaks lexoffice's API, so it reuses its provider",
  'server/test/fixtures/fake-vendor/sandbox.ts': 'and the lexoffice emulator',
};

/** The file's text without comments: `//` line comments and block comments (a URL's `://` is kept). */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
}

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', 'server/src', 'server/test', 'scripts', 'hubspot-project/app'], { encoding: 'utf8' });
  return out.split('\n').filter((f) => /\.(ts|tsx|json|cjs)$/.test(f) && !f.includes('node_modules'));
}

describe('vendor names outside their folders', () => {
  it('appear only in the vendor folders, the registries, tests and the allow-list', () => {
    const offenders = trackedFiles().filter((file) => {
      if (ownPlaces.some((place) => place.test(file)) || file in allowed) return false;
      const text = readFileSync(file, 'utf8');
      return idPattern.test(file.endsWith('.json') ? text : codeOf(text));
    });
    expect(offenders).toEqual([]);
  });

  it('keeps the allow-list honest: every entry still names a vendor', () => {
    const stale = Object.keys(allowed).filter((file) => !idPattern.test(codeOf(readFileSync(file, 'utf8'))));
    expect(stale).toEqual([]);
  });

  it('finds a vendor id in code but not in a comment', () => {
    expect(idPattern.test(codeOf("const url = 'https://x'; // falls back to lexoffice\n/* sevDesk */ const a = 1;"))).toBe(false);
    expect(idPattern.test(codeOf("if (provider === 'bexio') return;"))).toBe(true);
  });
});
