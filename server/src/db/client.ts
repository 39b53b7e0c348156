import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A Db or an open transaction: repository functions accept either, so callers can compose. */
export type DbOrTx = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'run' | 'all' | 'get'>;

export const migrationsFolder = join(import.meta.dirname, '../../../drizzle');

/**
 * Opens SQLite with WAL, foreign keys and a busy timeout. `:memory:` for tests. The database holds
 * sealed secrets and customer data: a folder we create is 0700, the database and its WAL files 0600.
 */
export function openDb(path: string): Db {
  if (path !== ':memory:') {
    const dir = dirname(path);
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  if (path !== ':memory:') for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return drizzle(sqlite, { schema }) as Db;
}

/** Applies every migration in `drizzle/` that has not run yet. */
export function migrateDb(db: Db): void {
  migrate(db, { migrationsFolder });
}

/** True when every migration file has been applied (for /readyz). */
export function isMigrated(db: Db): boolean {
  try {
    const applied = db.$client.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number };
    return applied.n >= journalEntries();
  } catch {
    return false;
  }
}

let cachedJournalCount: number | undefined;
function journalEntries(): number {
  if (cachedJournalCount === undefined) {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] };
    cachedJournalCount = journal.entries.length;
  }
  return cachedJournalCount;
}
