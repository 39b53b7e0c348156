/**
 * The PostgreSQL side of the test suites. The `postgres` vitest project sets `APIUP_TEST_ENGINE=postgres`;
 * its global setup (`server/test/postgres.global-setup.ts`) puts the server's admin URL in
 * `APIUP_TEST_POSTGRES_URL` (one `.ci/run` started, or a throw-away one of its own). Every test
 * database is new and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type TestEngine = 'sqlite' | 'postgres';

export function testEngine(): TestEngine {
  return process.env.APIUP_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestPostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestPostgresDatabase(): Promise<TestPostgresDatabase> {
  const admin = process.env.APIUP_TEST_POSTGRES_URL;
  if (!admin) throw new Error('APIUP_TEST_POSTGRES_URL is not set: run the postgres suites through vitest (npm test), whose global setup starts the server');
  const name = `apiup_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(admin, `create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(admin, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
