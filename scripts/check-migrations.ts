/**
 * Schema drift check (part of `npm test`): applies every migration to a fresh database, then asks
 * drizzle-kit whether the schema in server/src/db/schema would generate anything new. It must not.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { migrateDb, openDb } from '../server/src/db/client';

const db = openDb(':memory:');
migrateDb(db);
const tables = db.$client.prepare("select name from sqlite_master where type = 'table'").all();
db.$client.close();

// Generate into a scratch copy so a drift never writes into drizzle/.
const scratch = mkdtempSync(join(tmpdir(), 'apiup-drift-'));
try {
  cpSync('drizzle', join(scratch, 'drizzle'), { recursive: true });
  const before = readdirSync(join(scratch, 'drizzle')).length;
  const output = execFileSync(
    'npx',
    [
      'drizzle-kit',
      'generate',
      '--dialect',
      'sqlite',
      '--schema',
      './server/src/db/schema/index.ts',
      '--out',
      relative(process.cwd(), join(scratch, 'drizzle')),
      '--name',
      'drift_check',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const after = readdirSync(join(scratch, 'drizzle')).length;
  if (after !== before || !/No schema changes/i.test(output)) {
    process.stderr.write(
      `Schema drift: server/src/db/schema differs from drizzle/ migrations.\nRun: npm run db:generate -- --name <what_changed>\n${output}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`migrations ok: ${tables.length} tables, no schema drift\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
