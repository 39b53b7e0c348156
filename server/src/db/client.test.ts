import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { testDatabases } from '../../test/helpers/db';
import { testEngine } from '../../test/helpers/postgres';
import { isMigrated, isUniqueViolation, migrateDb, openDb, sqliteConnection } from './client';
import { derivePgSchema } from './pg-schema';
import * as schema from './schema';

const databases = testDatabases();
const fresh = databases.fresh;

function job(name: string, extra: Partial<typeof schema.jobs.$inferInsert> = {}): typeof schema.jobs.$inferInsert {
  const at = Date.UTC(2026, 11, 2, 9, 30);
  return { name, payload: { kunde: 'Jürgen Weißmüller-Oberhäuser' }, maxAttempts: 8, runAt: at, createdAt: at, updatedAt: at, ...extra };
}

describe(`the database on ${testEngine()}`, () => {
  it('applies every migration and says so', async () => {
    const db = await fresh();
    expect(await isMigrated(db)).toBe(true);
    await migrateDb(db); // a second start applies nothing and fails on nothing
    expect(db.dialect).toBe(testEngine());
  });

  it('gives back what the schema types promise: epoch ms as numbers, JSON as objects, booleans as booleans', async () => {
    const db = await fresh();
    const lastError = { code: 'rate_limited', message: 'Zu viele Anfragen – bitte später', retryable: true, at: 1_796_210_933_796 };
    const [row] = await db
      .insert(schema.jobs)
      .values(job('typen', { runAt: 8_640_000_000_000, rerunRequested: true, lastError }))
      .returning();
    expect(row).toMatchObject({ runAt: 8_640_000_000_000, rerunRequested: true, lastError, payload: { kunde: 'Jürgen Weißmüller-Oberhäuser' }, steps: {} });
    expect(typeof row.id).toBe('number');
    const [read] = await db
      .select()
      .from(schema.jobs)
      .where(and(eq(schema.jobs.id, row.id), eq(schema.jobs.rerunRequested, true)))
      .limit(1);
    expect(read).toEqual(row);
    const [counted] = await db.execute<{ n: number }>(sql`select count(*) as n from ${schema.jobs}`);
    expect(Number(counted.n)).toBe(1);
  });

  it('rolls a failed transaction back entirely and commits a good one', async () => {
    const db = await fresh();
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(schema.jobs).values(job('verloren'));
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction(async (tx) => {
      await tx.insert(schema.jobs).values(job('behalten'));
    });
    expect((await db.select({ name: schema.jobs.name }).from(schema.jobs)).map((r) => r.name)).toEqual(['behalten']);
  });

  it('reports a unique violation the same way on both engines', async () => {
    const db = await fresh();
    await db.insert(schema.jobs).values(job('eins', { dedupeKey: 'invoice:deal-4711' }));
    const second = await db
      .insert(schema.jobs)
      .values(job('zwei', { dedupeKey: 'invoice:deal-4711' }))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isUniqueViolation(second)).toBe(true);
    expect(isUniqueViolation(new Error('connection refused'))).toBe(false);
  });
});

describe('one schema, two engines', () => {
  it('derives a PostgreSQL table for every SQLite table, column for column, with the same keys and indexes', () => {
    const pg = derivePgSchema();
    const sqliteTables = Object.entries(schema).filter(([, value]) => {
      try {
        return Boolean(getSqliteTableConfig(value as never).name);
      } catch {
        return false;
      }
    });
    expect(Object.keys(pg).sort()).toEqual(sqliteTables.map(([key]) => key).sort());
    for (const [key, table] of sqliteTables) {
      const lite = getSqliteTableConfig(table as never);
      const post = getPgTableConfig(pg[key]);
      expect(post.name).toBe(lite.name);
      expect(post.columns.map((c) => [c.name, c.notNull, c.primary])).toEqual(lite.columns.map((c) => [c.name, c.notNull, c.primary]));
      expect(post.indexes.map((i) => [i.config.name, i.config.unique, Boolean(i.config.where)])).toEqual(
        lite.indexes.map((i) => [i.config.name, i.config.unique, Boolean(i.config.where)]),
      );
      expect(post.primaryKeys.map((k) => k.getName())).toEqual(lite.primaryKeys.map((k) => k.getName()));
      expect(post.foreignKeys.map((k) => k.getName())).toEqual(lite.foreignKeys.map((k) => k.getName()));
    }
  });
});

describe.runIf(testEngine() === 'sqlite')('openDb on SQLite', () => {
  it('keeps the database to its owner: the folder it creates 0700, the database and its WAL files 0600', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'apiup-db-')), 'daten', 'mandant');
    const path = join(dir, 'apiup.sqlite');
    const db = openDb(path);
    databases.closeAfter(db);
    await migrateDb(db);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777, file).toBe(0o600);
  });

  it("keeps a delivery's statement journal in memory: no temp file per multi-row insert", async () => {
    const db = openDb(join(mkdtempSync(join(tmpdir(), 'apiup-db-')), 'apiup.sqlite'));
    databases.closeAfter(db);
    const connection = sqliteConnection(db)!;
    expect(connection.pragma('temp_store', { simple: true })).toBe(2); // MEMORY
    expect(connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(connection.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });
});
