// Lint setup (issue 15): typescript-eslint's recommended rules for all TypeScript, and React's hooks rules
// for the HubSpot UI extensions. Formatting is prettier's job (`npm run format:check`), not the linter's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '**/node_modules/', 'dist/', 'drizzle/meta/', 'drizzle/pg/meta/', 'bench/results*.json', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Unused names fail the type check (noUnusedLocals/noUnusedParameters); `_name` marks a deliberate one.
      // `let x; const f = () => x; x = …`: the closure reads it before the one assignment.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // The database is async on both engines (issue 16): a query or a job call that is not awaited is
    // lost work or an unhandled rejection. Type-aware, so it sees every Promise.
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
    },
  },
  {
    // drizzle's `.get()`, `.all()` and `.run()` exist only on SQLite: the product awaits the query builder instead,
    // so the same code runs on PostgreSQL.
    files: ['server/src/**/*.ts', 'scripts/**/*.ts', 'server/test/**/*.ts'],
    ignores: ['server/src/sandboxes/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[arguments.length=0] > MemberExpression.callee > Identifier.property[name=/^(get|all|run)$/]',
          message: 'SQLite-only: await the drizzle query (`const [row] = await db.select()…limit(1)`, `await db.update()…`) so it runs on PostgreSQL too.',
        },
      ],
    },
  },
  {
    // Tests, scripts and the emulators read JSON bodies of many shapes; `any` there is the honest type of an
    // unknown body (the emulators validate what they accept with their own zod schemas).
    files: ['**/*.test.ts', '**/*.test.tsx', 'server/test/**/*.ts', 'scripts/**/*.ts', 'server/src/sandboxes/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['hubspot-project/**/*.tsx', 'hubspot-project/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
);
