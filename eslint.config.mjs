import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layers (docs/layers.json; README, "Architecture"): each part's folders, and the arrows that
 * must never exist between parts. Each "never" arrow becomes a no-restricted-imports pattern on the
 * part's folders, type-only imports included, so import knots can't come back. "pendingNever"
 * arrows are warnings until the code stops breaking them. The same file draws docs/architecture.svg.
 */
const { parts, never, pendingNever } = JSON.parse(readFileSync(new URL('./docs/layers.json', import.meta.url), 'utf8'));

/** `../db`, `../../db/schema`, …: an import that climbs to the root and enters one of `to`'s folders. */
const importPatternsOf = (arrows, from) =>
  arrows
    .filter(([source]) => source === from)
    .flatMap(([, to, why]) =>
      parts[to].map((folder) => ({ regex: `^(\\.\\./)+${folder}(/.*)?$`, message: `Never ${from} -> ${to} (${folder}/): ${why}.` })),
    );

const filesOf = (part) => parts[part].map((folder) => `${folder}/**/*.ts`);

const layerRules = Object.keys(parts)
  // Workflows' patterns join the determinism rule below (one no-restricted-imports per file).
  .filter((part) => part !== 'Workflows')
  .map((part) => ({
    files: filesOf(part),
    rules: {
      'no-restricted-imports': ['error', { patterns: importPatternsOf(never, part) }],
      '@typescript-eslint/no-restricted-imports': ['warn', { patterns: importPatternsOf(pendingNever, part) }],
    },
  }))
  .filter((block) => block.rules['no-restricted-imports'][1].patterns.length + block.rules['@typescript-eslint/no-restricted-imports'][1].patterns.length > 0);

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
  ...layerRules,
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
            ...importPatternsOf(never, 'Workflows'),
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
