import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * HubSpot builds each extension folder on its own, so the settings page keeps copies of the
 * generic card helpers instead of importing ../cards (hubspot.md §1.8). They must not drift.
 */
const shared = ['guards.ts', 'http.ts', 'use-remote.ts', 'origin.ts', 'format.ts'];

describe('shared UI helpers', () => {
  it.each(shared)('settings/lib/%s is the same as cards/lib/%s', (file) => {
    const read = (folder: string) => fs.readFileSync(path.join(__dirname, 'app', folder, 'lib', file), 'utf8');
    expect(read('settings')).toBe(read('cards'));
  });

  it('extension code imports nothing from outside its own folder', () => {
    for (const folder of ['cards', 'settings']) {
      const root = path.join(__dirname, 'app', folder);
      for (const file of fs.readdirSync(root, { recursive: true }).map(String)) {
        if (!/\.tsx?$/.test(file) || /\.test\.tsx?$/.test(file) || file.startsWith('test-utils')) continue;
        const source = fs.readFileSync(path.join(root, file), 'utf8');
        for (const [, spec] of source.matchAll(/from '(\.[^']+)'/g)) {
          const target = path.resolve(path.dirname(path.join(root, file)), spec);
          expect(target.startsWith(root + path.sep), `${folder}/${file} imports ${spec}`).toBe(true);
        }
      }
    }
  });

  it('has no text literals in JSX: every visible text comes from the de/en catalogs', () => {
    for (const folder of ['cards', 'settings']) {
      const root = path.join(__dirname, 'app', folder);
      for (const file of fs.readdirSync(root, { recursive: true }).map(String)) {
        if (!file.endsWith('.tsx') || file.endsWith('.test.tsx')) continue;
        const source = fs.readFileSync(path.join(root, file), 'utf8');
        const literals = [...source.matchAll(/(?<!=)>\s*([A-Za-zÄÖÜäöü][^<{}()=;]*)<\//g), ...source.matchAll(/\b(?:label|title|message)="([^"]+)"/g)].map((m) => m[1].trim());
        expect(literals, `${folder}/${file}`).toEqual([]);
      }
    }
  });
});
