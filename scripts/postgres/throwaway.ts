/**
 * A throw-away PostgreSQL server from the machine's own binaries (Debian's postgresql-15 package:
 * `/usr/lib/postgresql/<version>/bin`), for tests, the chaos run and the bench: `initdb` into a new
 * temporary folder, the server on loopback only on a free port, trust authentication for local
 * connections (nothing outside this machine can reach it), no fsync (the data is thrown away).
 * Run as root, it runs the server as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../lib/net';

export interface ThrowawayPostgres {
  /** Admin URL (database `postgres`, user `postgres`). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The folder with `initdb` and `postgres`: `APIUP_PG_BIN`, else the newest `/usr/lib/postgresql/<v>/bin`. */
export function postgresBinDir(): string {
  const configured = process.env.APIUP_PG_BIN;
  if (configured) return configured;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL server binaries not found: install the Debian package postgresql-15 (or set APIUP_PG_BIN to the folder with initdb)');
  }
  versions.sort((a, b) => Number(b) - Number(a));
  return join(root, versions[0], 'bin');
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'apiup-pg-'));
  const data = join(dir, 'data');
  // As root, initdb and the server run as the `postgres` user (the process's uid/gid, no wrapper, so
  // signals reach the server itself).
  const user = process.getuid?.() === 0 ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);

  execFileSync(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'], { stdio: 'pipe', ...user });

  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], ...user },
  );
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  // A script that dies (an uncaught error) must not leave the server and its folder behind.
  const cleanUp = () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  await waitReady(bin, port, server, () => log);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      process.off('exit', cleanUp);
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(bin: string, port: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log()}`);
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { stdio: 'ignore' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not get ready within 30 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}
