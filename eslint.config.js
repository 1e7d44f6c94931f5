// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'var/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The core is the pure domain: no I/O, no adapters, no clock, no randomness.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'crypto', 'os', 'child_process'], message: 'src/core does no I/O.' },
            { group: ['**/store/**', '**/routing/**', '**/geo/**', '**/alerting/**', '**/interop/**', '**/server/**', '**/cli/**', '**/sim/**', '**/log/**', '**/read-models/**', '**/reactors/**', '**/fleet/**', '**/volunteers/**', '**/config/*.ts', '**/composition/**', '**/accounts/**', '**/web/**'], message: 'src/core imports nothing from adapters or entry points.' },
            { group: ['better-sqlite3', 'pg', 'fastify', 'fastify/*', '@fastify/*', 'ws', 'pino'], message: 'src/core imports no infrastructure.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time comes in with the command (now).' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes in with the command (now).' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Randomness comes in as an input.' },
      ],
    },
  },
  {
    // Adapters do not reach up into entry points.
    files: ['src/store/**/*.ts', 'src/routing/**/*.ts', 'src/geo/**/*.ts', 'src/interop/**/*.ts', 'src/alerting/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/cli/**', '**/sim/**', '**/log/**', '**/read-models/**', '**/reactors/**', '**/fleet/**', '**/volunteers/**', '**/config/*.ts', '**/composition/**'], message: 'Adapters depend only on the core.' }] }],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
