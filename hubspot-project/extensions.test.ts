import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { collectWorkspaceDirectories, findAndParsePackageJsonFiles } from '@hubspot/project-parsing-lib/workspaces';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The cards and the settings page share their generic helpers through the npm workspace package
 * `@apiup/ui-shared` (app/packages/ui-shared), as HubSpot's "Share code between your extensions using
 * npm workspaces" describes (CLI 8.0.0 or later): a workspaces package.json in app/, the shared package
 * under app/packages/, a dependency on it in each extension's package.json. A relative import out of an
 * extension folder is what HubSpot's `no-parent-imports` lint rule forbids: it works locally and fails
 * in the deployed extension. These tests build every extension with HubSpot's own bundler (the
 * `remoteBuild` of @hubspot/ui-extensions-dev-server, the version @hubspot/cli 8.14.0 pins) and check
 * the rules that keep the sharing working.
 */
const app = path.join(__dirname, 'app');
const extensionFolders = ['cards', 'settings'];
const sharedFolder = path.join(app, 'packages', 'ui-shared');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'apiup-extension-build-'));

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

/** Every `*-hsmeta.json` entrypoint of a card or the settings page, as the project declares them. */
function entrypoints(): Array<{ folder: string; file: string }> {
  return extensionFolders.flatMap((folder) =>
    fs
      .readdirSync(path.join(app, folder))
      .filter((f) => f.endsWith('-hsmeta.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(app, folder, f), 'utf8')).config.entrypoint as string)
      .map((entry) => ({ folder, file: path.join(__dirname, entry) })),
  );
}

function sourceFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith('test-utils') && !f.includes('node_modules'));
}

describe('the extensions and the package they share', () => {
  it.each(entrypoints().map((e) => [path.relative(app, e.file), e] as const))(
    "%s builds with HubSpot's bundler, taking the shared helpers from @apiup/ui-shared",
    async (_name, { folder, file }) => {
      const outputDir = path.join(out, path.basename(file, path.extname(file)));
      await remoteBuild({ root: path.join(app, folder), entryPoint: file, outputDir, logLevel: 'silent' });
      const base = path.basename(file, path.extname(file));
      const manifest = JSON.parse(fs.readFileSync(path.join(outputDir, `${base}-manifest.json`), 'utf8')) as {
        modules: { internal: Array<{ module: string }> };
      };
      const modules = manifest.modules.internal.map((m) => path.resolve(path.join(app, folder), m.module));
      expect(
        modules.some((m) => m.startsWith(sharedFolder + path.sep)),
        'bundles a shared helper',
      ).toBe(true);
      // Nothing of the other extension ends up in this bundle: only its own folder and the shared package.
      for (const m of modules) expect(m.startsWith(path.join(app, folder) + path.sep) || m.startsWith(sharedFolder + path.sep), m).toBe(true);
      expect(fs.statSync(path.join(outputDir, `${base}.js`)).size).toBeGreaterThan(1000);
    },
  );

  it('builds with the bundler version the pinned HubSpot CLI uses', () => {
    const require = createRequire(__filename);
    const cli = JSON.parse(fs.readFileSync(require.resolve('@hubspot/cli/package.json'), 'utf8'));
    const devServer = JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve('@hubspot/ui-extensions-dev-server/build')), '../../package.json'), 'utf8'),
    );
    expect(devServer.version).toBe(cli.dependencies['@hubspot/ui-extensions-dev-server']);
  });

  it('is one workspace with the extensions, as the HubSpot CLI finds it when it uploads', async () => {
    // The CLI's upload (cli lib/projects/upload.js) collects workspaces from the package.json files in the source folder.
    const found = await collectWorkspaceDirectories(await findAndParsePackageJsonFiles(path.dirname(app)));
    const dirs = found.map((w) => path.relative(app, w.workspaceDir)).sort();
    expect(dirs).toEqual(['cards', path.join('packages', 'ui-shared'), 'settings']);
    const shared = JSON.parse(fs.readFileSync(path.join(sharedFolder, 'package.json'), 'utf8'));
    for (const folder of extensionFolders) {
      const pkg = JSON.parse(fs.readFileSync(path.join(app, folder, 'package.json'), 'utf8'));
      expect(pkg.dependencies[shared.name], `${folder}/package.json`).toBe(shared.version);
      // The shared package takes React and the UI library from the extension, so both use one copy.
      expect(pkg.dependencies.react).toBe(shared.peerDependencies.react);
      expect(pkg.dependencies['@hubspot/ui-extensions']).toBe(shared.peerDependencies['@hubspot/ui-extensions']);
    }
  });

  it("imports nothing by a relative path from outside its own folder (HubSpot's no-parent-imports)", () => {
    for (const root of [...extensionFolders.map((f) => path.join(app, f)), sharedFolder]) {
      for (const file of sourceFiles(root)) {
        const source = fs.readFileSync(path.join(root, file), 'utf8');
        for (const [, spec] of source.matchAll(/from '(\.[^']+)'/g)) {
          const target = path.resolve(path.dirname(path.join(root, file)), spec);
          expect(target.startsWith(root + path.sep), `${path.relative(app, root)}/${file} imports ${spec}`).toBe(true);
        }
      }
    }
  });

  it('keeps no second copy of a shared helper in an extension folder', () => {
    const shared = sourceFiles(sharedFolder).map((f) => path.basename(f));
    for (const folder of extensionFolders)
      for (const file of sourceFiles(path.join(app, folder))) expect(shared, `${folder}/${file}`).not.toContain(path.basename(file));
  });

  it('has no text literals in JSX: every visible text comes from the de/en catalogs', () => {
    for (const root of [...extensionFolders.map((f) => path.join(app, f)), sharedFolder]) {
      for (const file of sourceFiles(root).filter((f) => f.endsWith('.tsx'))) {
        const source = fs.readFileSync(path.join(root, file), 'utf8');
        const literals = [...source.matchAll(/(?<!=)>\s*([A-Za-zÄÖÜäöü][^<{}()=;]*)<\//g), ...source.matchAll(/\b(?:label|title|message)="([^"]+)"/g)].map(
          (m) => m[1].trim(),
        );
        expect(literals, `${path.relative(app, root)}/${file}`).toEqual([]);
      }
    }
  });
});
