/**
 * Global setup of the `postgres` vitest project: the suites there run against PostgreSQL. Uses the
 * server in `APIUP_TEST_POSTGRES_URL` when one is given (`.ci/run` starts one), else starts a
 * throw-away server from the machine's PostgreSQL binaries for this run and stops it afterwards.
 */
import { startThrowawayPostgres } from '../../scripts/postgres/throwaway';

export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.APIUP_TEST_POSTGRES_URL) return async () => undefined;
  const server = await startThrowawayPostgres();
  process.env.APIUP_TEST_POSTGRES_URL = server.url;
  return () => server.stop();
}
