/**
 * The layering rules of .dependency-cruiser.cjs (run over the real tree by `npm run deps:check`) are
 * proved here to catch what they exist for: each case builds a small tree in a temp folder that
 * breaks one rule and expects dependency-cruiser to report exactly that rule.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { afterEach, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const config = require('../../../.dependency-cruiser.cjs') as { forbidden: Array<{ name: string; from: { pathNot?: string[] | string } }> };

/** The rules with no temporary exemptions, as they must end up. */
const strictRules = config.forbidden.map((rule) => (rule.name === 'sandbox-is-a-witness' ? { ...rule, from: { ...rule.from, pathNot: [] } } : rule));

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function violationsOf(files: Record<string, string>): Promise<string[]> {
  dir = mkdtempSync(join(tmpdir(), 'apiup-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const result = await cruise(['server/src'], {
    baseDir: dir,
    ruleSet: { forbidden: strictRules } as never,
    validate: true,
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts'] },
  });
  const output = result.output as { summary: { violations: Array<{ rule: { name: string } }> } };
  return output.summary.violations.map((v) => v.rule.name);
}

describe('layering rules', () => {
  it("reports a sandbox that computes totals with the product's money code", async () => {
    const found = await violationsOf({
      'server/src/money/decimal.ts': 'export const dec = (v: string) => v;\n',
      'server/src/sandboxes/acme/store.ts': "import { dec } from '../../money/decimal';\nexport const total = dec('1');\n",
    });
    expect(found).toEqual(['sandbox-is-a-witness']);
  });

  it("reports a sandbox that validates with the client's own schemas, even as a type import", async () => {
    const found = await violationsOf({
      'server/src/accounting/acme/schemas.ts': 'export type Invoice = { id: string };\n',
      'server/src/sandboxes/acme/invoices.ts': "import type { Invoice } from '../../accounting/acme/schemas';\nexport const x: Invoice = { id: '1' };\n",
    });
    expect(found).toEqual(['sandbox-is-a-witness']);
  });

  it('accepts a sandbox that imports only its own files and libraries', async () => {
    const found = await violationsOf({
      'server/src/sandboxes/acme/totals.ts': 'export const total = 1;\n',
      'server/src/sandboxes/acme/app.ts': "import { total } from './totals';\nimport { join } from 'node:path';\nexport const y = join(String(total));\n",
    });
    expect(found).toEqual([]);
  });

  it('reports product code that reaches into a sandbox instead of calling it over HTTP', async () => {
    const found = await violationsOf({
      'server/src/sandboxes/acme/store.ts': 'export const store = 1;\n',
      'server/src/invoicing/draft.ts': "import { store } from '../sandboxes/acme/store';\nexport const d = store;\n",
    });
    expect(found).toEqual(['product-never-reaches-into-a-sandbox']);
  });

  it('reports domain code that names a vendor folder', async () => {
    const found = await violationsOf({
      'server/src/accounting/lexoffice/mapping.ts': 'export const m = 1;\n',
      'server/src/invoicing/draft.ts': "import { m } from '../accounting/lexoffice/mapping';\nexport const d = m;\n",
    });
    expect(found).toEqual(['domain-never-names-a-vendor']);
  });

  it('reports an adapter that imports a job module (HubSpot errors extending JobError)', async () => {
    const found = await violationsOf({
      'server/src/jobs/define.ts': 'export class JobError extends Error {}\n',
      'server/src/hubspot/client.ts': "import { JobError } from '../jobs/define';\nexport class HubspotError extends JobError {}\n",
    });
    expect(found).toEqual(['no-upward-import']);
  });

  it('reports a domain that builds HTTP routers, even through a type import', async () => {
    const found = await violationsOf({
      'server/src/http/routes/sync-cards.ts': 'export type SyncCardDeps = { portalId: string };\n',
      'server/src/sync/module.ts': "import type { SyncCardDeps } from '../http/routes/sync-cards';\nexport const deps: SyncCardDeps = { portalId: '1' };\n",
    });
    expect(found).toEqual(['no-upward-import']);
  });

  it('reports HubSpot calls that go through the accounting rate limiter', async () => {
    const found = await violationsOf({
      'server/src/accounting/rate-limit.ts': 'export const limit = 1;\n',
      'server/src/hubspot/client.ts': "import { limit } from '../accounting/rate-limit';\nexport const l = limit;\n",
    });
    expect(found).toEqual(['adapters-never-import-each-other']);
  });

  it('allows an import down the layers', async () => {
    const found = await violationsOf({
      'server/src/lib/errors.ts': 'export class JobError extends Error {}\n',
      'server/src/hubspot/client.ts': "import { JobError } from '../lib/errors';\nexport class HubspotError extends JobError {}\n",
      'server/src/jobs/worker.ts': "import { HubspotError } from '../hubspot/client';\nexport const e = HubspotError;\n",
    });
    expect(found).toEqual([]);
  });
});
