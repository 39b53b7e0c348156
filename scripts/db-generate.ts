/**
 * `npm run db:generate -- --name <what_changed>`: one migration per engine from the one schema in
 * server/src/db/schema — `drizzle/` (SQLite) and `drizzle/pg/` (PostgreSQL, from the derived tables).
 */
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
for (const config of ['drizzle.config.ts', 'drizzle.pg.config.ts']) {
  execFileSync('npx', ['drizzle-kit', 'generate', '--config', config, ...args], { stdio: 'inherit' });
}
