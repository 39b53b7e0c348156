import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shouldIgnoreFile } from '@hubspot/local-dev-lib/ignoreRules';

/**
 * What `hs project upload` leaves out, decided by HubSpot's own ignore rules (@hubspot/local-dev-lib,
 * which finds the nearest .hsignore from the working directory, here the repo root).
 */
const repoRoot = path.resolve(__dirname, '..');
const project = path.join(repoRoot, 'hubspot-project');

function projectFiles(dir = project): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'node_modules') return [];
    const full = path.join(dir, e.name);
    return e.isDirectory() ? projectFiles(full) : [full];
  });
}

const uploaded = () =>
  projectFiles()
    .filter((file) => !shouldIgnoreFile(file, true))
    .map((file) => path.relative(project, file));

describe('.hsignore', () => {
  it('keeps tests, test helpers and local checks out of the upload', () => {
    const files = uploaded();
    expect(files.filter((f) => /\.test\.tsx?$/.test(f))).toEqual([]);
    expect(files.filter((f) => f.includes('test-utils'))).toEqual([]);
    expect(files).not.toContain('check-project.ts');
    expect(files).not.toContain('check-components.ts');
  });

  it('uploads every component, its config, its package.json and the profiles', () => {
    const files = uploaded();
    expect(files).toEqual(
      expect.arrayContaining([
        'app/app-hsmeta.json',
        'app/cards/DealInvoiceCard.tsx',
        'app/cards/deal-invoice-card-hsmeta.json',
        'app/cards/components/invoice-status.tsx',
        'app/cards/lib/use-polling.ts',
        'app/cards/package.json',
        'app/settings/SettingsPage.tsx',
        'app/settings/sections/PipelineTriggers.tsx',
        'app/settings/settings-hsmeta.json',
        'app/webhooks/webhooks-hsmeta.json',
        'hsprofile.prod.json',
        'hsprofile.dev.json',
      ]),
    );
    // Every non-test source file of an extension is uploaded, or its build would miss an import.
    const sources = projectFiles()
      .map((f) => path.relative(project, f))
      .filter((f) => /^app\/.*\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.includes('test-utils'));
    expect(sources.filter((f) => !files.includes(f))).toEqual([]);
  });
});
