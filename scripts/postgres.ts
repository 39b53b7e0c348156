/**
 * `npx tsx scripts/postgres.ts`: starts a throw-away PostgreSQL server (scripts/postgres/throwaway.ts),
 * prints `APIUP_TEST_POSTGRES_URL=<url>` on its first line and keeps it running until SIGINT/SIGTERM or
 * until standard input closes; then stops it and deletes its folder. `.ci/run` uses it so the
 * `postgres` test project runs against one server.
 */
import { startThrowawayPostgres } from './postgres/throwaway';

const server = await startThrowawayPostgres();
process.stdout.write(`APIUP_TEST_POSTGRES_URL=${server.url}\n`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
