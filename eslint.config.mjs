import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/**
 * The layers (README, "Architecture"): each part's folders, and the arrows that must never exist
 * between parts. Each "never" arrow becomes a no-restricted-imports pattern on the part's folders,
 * type-only imports included, so import knots can't come back.
 */
const parts = {
  Domain: ['domain'],
  Machines: ['machines'],
  Workflows: ['workflows'],
  Db: ['db'],
  Documents: ['documents', 'mail'],
  Reports: ['reports'],
  Imports: ['imports'],
  Activities: ['activities'],
  Services: ['services'],
  Auth: ['auth'],
  Server: ['server'],
  Runtime: ['temporal', 'config'],
  Scripts: ['scripts'],
};

const never = [
  ['Domain', 'Machines', 'rules know no machine'],
  ['Domain', 'Workflows', 'rules know no engine'],
  ['Domain', 'Db', 'rules know no storage'],
  ['Domain', 'Server', 'rules know no web'],
  ['Machines', 'Workflows', 'the machine knows no engine'],
  ['Machines', 'Activities', 'machines are pure'],
  ['Machines', 'Db', 'machines are pure'],
  ['Machines', 'Server', 'machines are pure'],
  ['Workflows', 'Db', 'workflows are deterministic: use an activity'],
  ['Workflows', 'Server', 'workflows are deterministic'],
  ['Workflows', 'Services', 'workflows are deterministic'],
  ['Workflows', 'Reports', 'workflows are deterministic: use an activity'],
  ['Db', 'Workflows', 'storage knows no engine'],
  ['Db', 'Activities', 'storage knows no engine'],
  ['Db', 'Services', 'storage is below use cases'],
  ['Db', 'Server', 'storage knows no web'],
  ['Reports', 'Activities', 'reports read, they do not act'],
  ['Reports', 'Workflows', 'reports read the database (db/ read models)'],
  ['Reports', 'Server', 'reports know no web'],
  ['Documents', 'Activities', 'adapters are below activities'],
  ['Documents', 'Server', 'adapters know no web'],
  ['Activities', 'Server', 'activities know no web'],
  ['Imports', 'Server', 'imports know no web'],
  ['Server', 'Workflows', 'routes use services, not engine internals'],
  ['Server', 'Db', 'routes read through services and read models'],
  ['Server', 'Activities', 'routes reach the engine through services'],
];

/**
 * "Never" arrows the code still breaks while other branches remove them: reported as warnings
 * until then. Move each into `never` once `npx eslint .` shows no warning for it.
 */
const pendingNever = [
  ['Activities', 'Services', 'activities are below use cases'],
  ['Auth', 'Server', 'auth is below the routes'],
];

/** `../db`, `../../db/schema`, …: an import that climbs to the root and enters one of `to`'s folders. */
const importPatternsOf = (arrows, from) =>
  arrows
    .filter(([source]) => source === from)
    .flatMap(([, to, why]) =>
      parts[to].map((folder) => ({ regex: `^(\\.\\./)+${folder}(/.*)?$`, message: `Never ${from} -> ${to} (${folder}/): ${why}.` })),
    );

// Named too, so a picture of the layers can be generated from the same tables.
export { parts as layerParts, never as neverArrows, pendingNever as pendingNeverArrows };

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
