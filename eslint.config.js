// Lint setup (issue 15): typescript-eslint's recommended rules for all TypeScript, and React's hooks rules
// for the HubSpot UI extensions. Formatting is prettier's job (`npm run format:check`), not the linter's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '**/node_modules/', 'dist/', 'drizzle/meta/', 'bench/results*.json', '**/*.js', '**/*.cjs'] },
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
