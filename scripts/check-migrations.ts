/**
 * Schema drift check (part of `npm test`), for both engines: applies every SQLite migration to a
 * fresh database, then asks drizzle-kit whether the schema in server/src/db/schema would generate
 * anything new for SQLite (`drizzle/`) or for PostgreSQL (`drizzle/pg/`, from the tables derived in
 * server/src/db/pg-schema.ts). It must not. It also checks that `pg-tables.ts` names every table.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrateDb, openDb } from '../server/src/db/client';
import * as pgTables from '../server/src/db/pg-tables';

const db = openDb(':memory:');
await migrateDb(db);
const tables = await db.execute(sql`select name from sqlite_master where type = 'table'`);
await db.close();

const exported = Object.keys(pgTables).filter((name) => name !== 'derivedTableCount').length;
if (exported !== pgTables.derivedTableCount) {
  process.stderr.write(
    `server/src/db/pg-tables.ts exports ${exported} tables, server/src/db/schema has ${pgTables.derivedTableCount}: add the missing ones.\n`,
  );
  process.exit(1);
}

const engines = [
  { dialect: 'sqlite', schema: './server/src/db/schema/index.ts', out: 'drizzle', generate: 'npm run db:generate -- --name <what_changed>' },
  { dialect: 'postgresql', schema: './server/src/db/pg-tables.ts', out: 'drizzle/pg', generate: 'npm run db:generate -- --name <what_changed>' },
];
for (const engine of engines) {
  // Generate into a scratch copy so a drift never writes into drizzle/.
  const scratch = mkdtempSync(join(tmpdir(), 'apiup-drift-'));
  try {
    cpSync(engine.out, join(scratch, 'out'), { recursive: true });
    const before = readdirSync(join(scratch, 'out')).length;
    const output = execFileSync(
      'npx',
      [
        'drizzle-kit',
        'generate',
        '--dialect',
        engine.dialect,
        '--schema',
        engine.schema,
        '--out',
        relative(process.cwd(), join(scratch, 'out')),
        '--name',
        'drift_check',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const after = readdirSync(join(scratch, 'out')).length;
    if (after !== before || !/No schema changes/i.test(output)) {
      process.stderr.write(
        `Schema drift (${engine.dialect}): server/src/db/schema differs from ${engine.out}/ migrations.\nRun: ${engine.generate}\n${output}\n`,
      );
      process.exit(1);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
process.stdout.write(`migrations ok: ${tables.length} tables, no schema drift on SQLite or PostgreSQL\n`);
