import { defineConfig } from 'vitest/config';

/**
 * Two projects. `sqlite`: every suite, on the embedded default. `postgres`: the storage, queue and
 * exactly-once suites once more on PostgreSQL (issue 16), with `APIUP_TEST_ENGINE=postgres`; its global
 * setup uses the server in `APIUP_TEST_POSTGRES_URL` (`.ci/run` starts one) or starts a throw-away one.
 */
export const postgresSuites = [
  'server/src/db/**/*.test.ts',
  'server/src/jobs/**/*.test.ts',
  'server/test/integration/multi-instance.test.ts',
  'server/test/integration/db-copy.test.ts',
  'server/test/integration/invoicing.exactly-once.test.ts',
  'server/test/integration/invoicing.crash.test.ts',
  'server/test/integration/invoicing.e2e.test.ts',
  'server/test/integration/webhook-intake.hostile.test.ts',
  'server/test/integration/portal-lifecycle.test.ts',
  'server/test/integration/reconcile.test.ts',
  'server/test/integration/sync.e2e.test.ts',
  'server/test/integration/sync.privacy-deletion.test.ts',
];

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['server/**/*.test.ts', 'hubspot-project/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'postgres', include: postgresSuites, env: { APIUP_TEST_ENGINE: 'postgres' }, globalSetup: ['server/test/postgres.global-setup.ts'] },
      },
    ],
  },
});
