import { migrateDb, openDb, type Db } from '../../src/db/client';

/** A fresh, migrated in-memory database per test. */
export function makeTestDb(): Db {
  const db = openDb(':memory:');
  migrateDb(db);
  return db;
}

/** A clock tests move by hand. */
export class FakeClock {
  constructor(public current = Date.UTC(2026, 10, 24, 9, 0, 0)) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}
