import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { files: ['*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  {
    // Small scripts the pages load in the browser (progressive enhancement, no build step).
    files: ['server/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: Object.fromEntries(
        ['window', 'document', 'fetch', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'FormData', 'XMLHttpRequest', 'URL'].map((name) => [name, 'readonly']),
      ),
    },
  },
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'test-results/**', 'db/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Workflow code is replayed: it must be deterministic, so no I/O and no Node built-ins.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins in workflows/.' })),
          patterns: [
            { group: ['../db/*', '../db', '../server/*', '../services/*', '../temporal/*', '../config', '../config/*'], message: 'Workflows do no I/O: use an activity.' },
            { group: ['pg', '@electric-sql/*', 'drizzle-orm', 'drizzle-orm/*', 'express', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Workflows do no I/O: use an activity.' },
            { group: ['../activities', '../activities/*'], allowTypeImports: true, message: 'Workflows call activities through proxyActivities; import their types only.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use sleep() in a loop from @temporalio/workflow.' },
        { name: 'process', message: 'Workflows must not read the environment; pass it in the input.' },
        { name: 'fetch', message: 'Workflows do no I/O: use an activity.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() or random() from @temporalio/workflow only when needed.' },
      ],
    },
  },
);
