/**
 * `npm run build` + `npm run start:prod`: the server compiled to JavaScript starts under plain
 * `node` (no tsx), applies its migrations, answers /healthz and /readyz, and stops on SIGTERM.
 * Built into a temporary folder next to a link to node_modules, as a deployment would hold it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, productionNodeFlags } from '../../../scripts/build';

const root = resolve(import.meta.dirname, '../../..');

describe('production build', () => {
  const work = mkdtempSync(join(tmpdir(), 'apiup-build-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('starts the compiled server with node, answers /healthz and /readyz, and stops on SIGTERM', { timeout: 240_000 }, async () => {
    // start:prod's command line, so the flags it passes are tested with it.
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['start:prod']).toBe(
      `node --enable-source-maps ${productionNodeFlags.join(' ')} dist/server/src/main.js`,
    );
    const out = join(work, 'dist');
    build(root, out, { typeCheck: false });
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'), 'dir');

    // A clean environment: no NODE_OPTIONS that could load tsx behind our back.
    const env = { PATH: process.env.PATH ?? '', HOME: work, DATA_DIR: join(work, 'data'), PORT: '0', SANDBOX_BASE_PORT: '0', LOG_LEVEL: 'warn' };
    child = spawn(process.execPath, ['--enable-source-maps', ...productionNodeFlags, join(out, 'server/src/main.js')], {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child!.on('exit', (code) => done(code)));

    const url = await new Promise<string>((found, failed) => {
      const timer = setInterval(() => {
        const match = /backend\s+(http:\/\/\S+)/.exec(stdout);
        if (match) {
          clearInterval(timer);
          found(match[1]);
        } else if (child!.exitCode !== null) {
          clearInterval(timer);
          failed(new Error(`the compiled server exited with ${child!.exitCode}:\n${stderr}`));
        }
      }, 50);
    });

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    const body = await ready.json();
    expect(ready.status).toBe(200);
    expect(body).toMatchObject({ status: 'ready', database: true, migrations: true, disk: true, queue: { worker: 'running' } });
    expect(body.queue.oldestDueJobAgeMs).toBeGreaterThanOrEqual(0);
    // Sandbox mode (the default): the emulators' JSON fixtures and the HubSpot app config were found from dist/.
    expect((await fetch(`${url}/sandbox`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
