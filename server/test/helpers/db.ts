import { afterEach } from 'vitest';
import { migrateDb, openDb, type Db } from '../../src/db/client';
import { createTestPostgresDatabase, testEngine } from './postgres';

/**
 * A fresh, migrated database per test: in memory on SQLite, or a new database on the test
 * PostgreSQL server when the suite runs in the `postgres` project (`APIUP_TEST_ENGINE=postgres`).
 * `db.close()` also drops the PostgreSQL database.
 */
export async function makeTestDb(): Promise<Db> {
  if (testEngine() === 'sqlite') {
    const db = openDb(':memory:');
    await migrateDb(db);
    return db;
  }
  const database = await createTestPostgresDatabase();
  const db = openDb(database.url, { poolSize: 4 });
  await migrateDb(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      await database.drop();
    },
  });
}

/**
 * Databases that close (and on PostgreSQL are dropped) after each test of the scope that calls this:
 * `fresh()` is a new `makeTestDb()`, `closeAfter(db)` adopts one the test opened itself.
 */
export function testDatabases(): { fresh(): Promise<Db>; closeAfter(db: Db): Db } {
  const opened: Db[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
  });
  const closeAfter = (db: Db) => {
    opened.push(db);
    return db;
  };
  return { fresh: async () => closeAfter(await makeTestDb()), closeAfter };
}

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public current = Date.UTC(2026, 10, 24, 9, 0, 0)) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}
