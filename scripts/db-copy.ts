/**
 * `npm run db:copy -- --from data/apiup.sqlite --to postgres://user:password@host:5432/apiup`: copies
 * the SQLite database of a stopped APIUP into an empty PostgreSQL database (server/src/db/copy.ts).
 * Stop APIUP first; start it on PostgreSQL afterwards (`DATABASE_URL`): its live jobs continue there.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDb } from '../server/src/db/client';
import { copyDatabase } from '../server/src/db/copy';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' } } });
if (!values.from || !values.to) {
  process.stderr.write('usage: npm run db:copy -- --from <sqlite file> --to <postgres url>\n');
  process.exit(2);
}
if (!existsSync(values.from)) {
  process.stderr.write(`db:copy: no SQLite database at ${values.from}\n`);
  process.exit(2);
}
const source = openDb(values.from);
const target = openDb(values.to);
try {
  const copied = await copyDatabase(source, target, { onTable: (table, rows) => process.stdout.write(`${table.padEnd(28)} ${rows}\n`) });
  const total = Object.values(copied).reduce((sum, n) => sum + n, 0);
  process.stdout.write(`copied ${total} rows from ${values.from}\n`);
} catch (error) {
  process.stderr.write(`db:copy failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await source.close();
  await target.close();
}
