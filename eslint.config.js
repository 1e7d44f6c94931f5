// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';
import local from './eslint-rules/no-import-cycle.js';

// Follows the repo's explicit `.ts` import specifiers (allowImportingTsExtensions).
const tsResolver = createTypeScriptImportResolver({ project: import.meta.dirname + '/tsconfig.json' });

export default tseslint.config(
  { ignores: ['node_modules/**', 'var/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  // The pages talk to the server over HTTP only: nothing of the server's code reaches a browser.
  {
    files: ['web/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/../../src/**', '**/../../../src/**', 'node:*'], message: 'web/ uses the HTTP API, never the server code.' }] }] },
  },
  // The responder's service worker is plain JavaScript served as is.
  { files: ['web/public/**/*.js'], languageOptions: { globals: globals.serviceworker } },
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
    // No import cycles. import-x/no-cycle skips type-only imports (it has no option to count them),
    // so local/no-import-cycle counts every import, `import type` and `export type … from` included.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    plugins: { 'import-x': importX, local },
    settings: {
      // Without `.ts` here import-x would not read the imported files, and would find no cycle at all.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [tsResolver],
      'local/resolver': tsResolver,
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: false }],
      'local/no-import-cycle': 'error',
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
