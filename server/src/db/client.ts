/**
 * The database: SQLite (better-sqlite3, the embedded default) or PostgreSQL (node-postgres) when
 * `DATABASE_URL` is a `postgres://` URL. Both are reached through one async `Db`: drizzle's query
 * builders (`await db.select()…`, `await db.insert()…returning()`), `execute` for the few
 * statements written in SQL, and `transaction`. The tables are the ones in `schema/` on both
 * engines; `pg-schema.ts` says why that holds.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { startCheckpointer } from './checkpointer';
import * as schema from './schema';

export type Dialect = 'sqlite' | 'postgres';

/** drizzle's query builders, typed once (the SQLite schema's types, which both engines return). */
type Queries = BaseSQLiteDatabase<'async', unknown, typeof schema>;

/** A database or an open transaction: repository functions accept either, so callers can compose. */
export interface DbOrTx extends Pick<Queries, 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete'> {
  readonly dialect: Dialect;
  /** A statement written in SQL (dialect-specific ones check `dialect`); the rows as objects. */
  execute<Row = Record<string, unknown>>(query: SQL): Promise<Row[]>;
}

export interface Db extends DbOrTx {
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws. On SQLite
   * the transaction is `BEGIN IMMEDIATE` and transactions of this process run one at a time; keep
   * `work` to database statements (no network calls inside).
   */
  transaction<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export const migrationsFolder = join(import.meta.dirname, '../../../drizzle');
export const pgMigrationsFolder = join(migrationsFolder, 'pg');

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

export interface OpenOptions {
  /** PostgreSQL connections per process (default 10). */
  poolSize?: number;
}

/** Opens `location`: a `postgres://` URL, a SQLite file path, or `:memory:` (tests). */
export function openDb(location: string, options: OpenOptions = {}): Db {
  return isPostgresUrl(location) ? openPostgres(location, options) : openSqlite(location);
}

/**
 * SQLite with WAL, foreign keys and a busy timeout. The database holds sealed secrets and customer
 * data: a folder we create is 0700, the database and its WAL files 0600.
 */
function openSqlite(path: string): Db {
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
  // A multi-row insert keeps a statement journal; past 64 KiB (a webhook delivery's jobs) it goes to a temp
  // file, created and deleted for every delivery: six system calls and a file per delivery (strace of the
  // intake bench). In memory the journal costs what the pages it holds do, and is gone with the statement.
  sqlite.pragma('temp_store = MEMORY');
  // A file (not `:memory:`): its WAL is checkpointed beside the event loop (checkpointer.ts).
  const checkpointer = path === ':memory:' ? undefined : startCheckpointer(sqlite, path);
  const orm = drizzleSqlite(sqlite, { schema });
  const queries = queriesOf(orm, 'sqlite', async <Row>(query: SQL) => orm.all(query) as Row[]);
  // A transaction's `tx` is `queries` on the same connection.
  sqliteHandles.set(queries, sqlite);
  // One connection: a transaction is open for every statement of this process, so transactions
  // take turns (a promise chain) and nothing else of ours runs inside one between its statements
  // except microtasks already queued.
  let turn: Promise<unknown> = Promise.resolve();
  return Object.assign(sqliteHandle(sqlite), queries, {
    transaction<T>(work: (tx: DbOrTx) => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        sqlite.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(queries);
          sqlite.exec('COMMIT');
          return result;
        } catch (error) {
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        }
      };
      const result = turn.then(run, run);
      turn = result.catch(() => undefined);
      return result;
    },
    async close() {
      await turn;
      await checkpointer?.stop();
      sqlite.close();
    },
  });
}

/** drizzle's builders of either engine, typed once as `Queries` (see the module comment for why that holds). */
function queriesOf(
  source: { select: unknown; selectDistinct: unknown; insert: unknown; update: unknown; delete: unknown },
  dialect: Dialect,
  execute: DbOrTx['execute'],
): DbOrTx {
  const bound = (method: 'select' | 'selectDistinct' | 'insert' | 'update' | 'delete') => (source[method] as (...args: unknown[]) => unknown).bind(source);
  return {
    dialect,
    select: bound('select') as Queries['select'],
    selectDistinct: bound('selectDistinct') as Queries['selectDistinct'],
    insert: bound('insert') as Queries['insert'],
    update: bound('update') as Queries['update'],
    delete: bound('delete') as Queries['delete'],
    execute,
  };
}

const sqliteHandles = new WeakMap<object, Database.Database>();
function sqliteHandle(sqlite: Database.Database): object {
  const handle = {};
  sqliteHandles.set(handle, sqlite);
  return handle;
}

/**
 * The better-sqlite3 connection under a SQLite `Db` or one of its transactions (for what only SQLite
 * has: pragmas, backups, prepared statements, the storage tests); undefined on PostgreSQL.
 */
export function sqliteConnection(db: DbOrTx): Database.Database | undefined {
  return sqliteHandles.get(db);
}

/**
 * node-postgres returns `bigint` as a string and `jsonb` parsed; the SQLite columns of `schema/`
 * decode a number and JSON text. This client hands them exactly that, for our queries only (no
 * global type parser is changed, so other users of `pg` in the process are untouched).
 */
type TypeParsers = { getTypeParser: (oid: number, format?: string) => unknown };
const INT8 = 20;
const JSON_OID = 114;
const JSONB = 3802;
function apiupTypes(inner: TypeParsers | undefined): TypeParsers {
  return {
    getTypeParser: (oid, format) => {
      if (oid === INT8) return (value: string) => Number(value);
      if (oid === JSONB || oid === JSON_OID) return (value: string) => value;
      return (inner ?? (pg.types as unknown as TypeParsers)).getTypeParser(oid, format);
    },
  };
}
class ApiupPgClient extends pg.Client {
  // drizzle passes its own `types` with every query; ours wrap them.
  override query(config: unknown, values?: unknown, callback?: unknown): never {
    const patched =
      config && typeof config === 'object' && typeof (config as { submit?: unknown }).submit !== 'function'
        ? { ...config, types: apiupTypes((config as { types?: TypeParsers }).types) }
        : config;
    return (super.query as (...args: unknown[]) => never)(patched, values, callback);
  }
}

function openPostgres(url: string, options: OpenOptions): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, Client: ApiupPgClient as unknown as typeof pg.Client });
  // An idle connection the server closed (restart, failover) must not crash the process.
  pool.on('error', () => undefined);
  const orm = drizzlePg({ client: pool });
  const wrap = (source: typeof orm | Parameters<Parameters<typeof orm.transaction>[0]>[0]): DbOrTx =>
    queriesOf(source, 'postgres', async <Row>(query: SQL) => (await source.execute(query)).rows as Row[]);
  const db = Object.assign(wrap(orm), {
    transaction: <T>(work: (tx: DbOrTx) => Promise<T>) => orm.transaction((tx) => work(wrap(tx))),
    close: () => pool.end(),
  });
  pgPools.set(db, { pool, orm, url });
  return db;
}

const pgPools = new WeakMap<object, { pool: pg.Pool; orm: ReturnType<typeof drizzlePg>; url: string }>();

/** The connection URL of a PostgreSQL `Db` (for a second pool, e.g. advisory locks); undefined on SQLite. */
export function postgresUrl(db: Db): string | undefined {
  return pgPools.get(db)?.url;
}

/**
 * The driver's code of a database error: better-sqlite3's `SQLITE_…`, PostgreSQL's SQLSTATE. drizzle
 * wraps a driver's error in one of its own with the original as `cause`.
 */
export function dbErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** PostgreSQL aborted this transaction to break a deadlock; running it again is safe. */
export function isDeadlock(error: unknown): boolean {
  return dbErrorCode(error) === '40P01';
}

/** A unique constraint or unique index refused the row (SQLite and PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = dbErrorCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed/.test(String(error));
}

/**
 * Applies every migration that has not run yet (`drizzle/` for SQLite, `drizzle/pg/` for
 * PostgreSQL). On PostgreSQL, instances that start together take turns on an advisory lock.
 */
export async function migrateDb(db: Db): Promise<void> {
  const sqlite = sqliteConnection(db);
  if (sqlite) {
    migrateSqlite(drizzleSqlite(sqlite), { migrationsFolder });
    return;
  }
  const { pool, orm } = pgPools.get(db)!;
  const lock = await pool.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('apiup:migrate'))`);
    await migratePg(orm, { migrationsFolder: pgMigrationsFolder });
  } finally {
    await lock.query(`select pg_advisory_unlock(hashtext('apiup:migrate'))`).catch(() => undefined);
    lock.release();
  }
}

/** True when every migration file has been applied (for /readyz). */
export async function isMigrated(db: Db): Promise<boolean> {
  try {
    const table = db.dialect === 'postgres' ? 'drizzle.__drizzle_migrations' : '__drizzle_migrations';
    const [applied] = await db.execute<{ n: number }>(sql.raw(`select count(*) as n from ${table}`));
    return Number(applied.n) >= journalEntries(db.dialect);
  } catch {
    return false;
  }
}

const journalCounts = new Map<Dialect, number>();
function journalEntries(dialect: Dialect): number {
  let count = journalCounts.get(dialect);
  if (count === undefined) {
    const folder = dialect === 'postgres' ? pgMigrationsFolder : migrationsFolder;
    count = (JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
    journalCounts.set(dialect, count);
  }
  return count;
}
