/**
 * `npm run bench`: what a quarterly cycle costs against the Temporal floor (see run.ts and the
 * README's "Cycle benchmark").
 *
 *   npm run bench -- [--sizes small,large,many,max] [--no-answer-share 0.2] [--window 20s]
 *                    [--reminders 10s] [--out bench-results/] [--max-municipalities 30] [--keep] [--profile]
 *                    [--namespace-per-municipality]
 *
 * TEMPORAL_ADDRESS (with TEMPORAL_TLS / TEMPORAL_TLS_CERT_PATH / TEMPORAL_TLS_KEY_PATH /
 * TEMPORAL_API_KEY) uses an existing cluster, which must allow registering namespaces; otherwise a
 * dev server is started. DATABASE_URL (a role that may CREATE DATABASE) puts each municipality in
 * a PostgreSQL database of its own, dropped afterwards; otherwise PGlite folders in a temporary
 * directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseResponseWindow } from '../../domain/responseWindow';
import { markdownReport, writeReport } from './report';
import { runBench } from './run';
import { DEFAULT_SIZES, SIZES, type BenchResult } from './results';
import { targetsOf } from './targets';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES.join(',') },
      'no-answer-share': { type: 'string', default: '0.2' },
      window: { type: 'string', default: '20s' },
      reminders: { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      'max-municipalities': { type: 'string' },
      'poll-ms': { type: 'string', default: '250' },
      keep: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'namespace-per-municipality': { type: 'boolean', default: false },
      'max-concurrent-activities': { type: 'string' },
      report: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(
      [
        'npm run bench -- [options]',
        `  --sizes LIST              ${Object.entries(SIZES)
          .map(([k, s]) => `${k} (${s.municipalities} × ${s.goals ?? '~300'})`)
          .join(', ')}; default ${DEFAULT_SIZES.join(',')}`,
        '  --no-answer-share N       share of liaisons that never answer (default 0.2)',
        '  --window W                response window, a clock window (default 20s)',
        '  --reminders R             reminders before the deadline, e.g. 10s; "" for none (default: half the window)',
        '  --out DIR                 where the JSON and Markdown go (default bench-results/)',
        '  --max-municipalities N    municipalities of the max size (default 30)',
        '  --keep                    keep the work folder (PGlite data, dev server database and log)',
        '  --report FILE.json        only re-render the tables (and targets) of an earlier run, into OUT',
        '  --profile                 CPU-profile each worker process\'s main thread during its run (into OUT/profiles/)',
        '  --namespace-per-municipality  each municipality in its own namespace with its own worker (default: one shared)',
        '  --max-concurrent-activities N  activities our worker runs at once (default: the SDK\'s 100)',
      ].join('\n'),
    );
    return;
  }

  if (values.report) {
    const earlier = JSON.parse(fs.readFileSync(values.report, 'utf8')) as BenchResult;
    const again: BenchResult = { ...earlier, failedSizes: earlier.failedSizes ?? [], targets: targetsOf(earlier.sizes) };
    writeReport(again, path.resolve(values.out));
    console.log(markdownReport(again));
    return;
  }

  const share = Number(values['no-answer-share']);
  if (!Number.isFinite(share) || share < 0 || share > 1) fail('--no-answer-share: a number between 0 and 1');
  const window = parseResponseWindow(values.window);
  if (!window.ok || window.window.unit !== 'milliseconds') fail('--window: a clock window such as 20s or 2m');
  const reminders = values.reminders ?? `${Math.max(1, Math.round(window.window.amount / 2000))}s`;
  const maxMunicipalities = values['max-municipalities'] === undefined ? undefined : Number(values['max-municipalities']);
  if (maxMunicipalities !== undefined && !(Number.isInteger(maxMunicipalities) && maxMunicipalities > 0)) fail('--max-municipalities: a positive integer');
  const maxConcurrentActivities = values['max-concurrent-activities'] === undefined ? undefined : Number(values['max-concurrent-activities']);
  if (maxConcurrentActivities !== undefined && !(Number.isInteger(maxConcurrentActivities) && maxConcurrentActivities > 0)) {
    fail('--max-concurrent-activities: a positive integer');
  }
  const sizes = values.sizes.split(',').map((name) => {
    const size = SIZES[name.trim()];
    if (!size) fail(`--sizes: unknown size "${name}" (${Object.keys(SIZES).join(', ')})`);
    return name.trim() === 'max' && maxMunicipalities ? { ...size, municipalities: maxMunicipalities } : size;
  });

  const env = process.env;
  const result = await runBench({
    sizes,
    noAnswerShare: share,
    window: values.window,
    reminders,
    pollMs: Number(values['poll-ms']),
    temporal: env.TEMPORAL_ADDRESS
      ? {
          temporalAddress: env.TEMPORAL_ADDRESS,
          TEMPORAL_TLS: env.TEMPORAL_TLS === 'true' || env.TEMPORAL_TLS === '1',
          TEMPORAL_TLS_CERT_PATH: env.TEMPORAL_TLS_CERT_PATH,
          TEMPORAL_TLS_KEY_PATH: env.TEMPORAL_TLS_KEY_PATH,
          TEMPORAL_API_KEY: env.TEMPORAL_API_KEY,
        }
      : undefined,
    databaseUrl: env.DATABASE_URL,
    namespacePerMunicipality: values['namespace-per-municipality'],
    maxConcurrentActivities,
    keepWorkDir: values.keep,
    profileDir: values.profile ? path.resolve(values.out, 'profiles') : undefined,
    log: (line) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
  const files = writeReport(result, path.resolve(values.out));
  console.log(`\n${markdownReport(result)}`);
  console.log(`Results: ${path.relative(process.cwd(), files.json)} and ${path.relative(process.cwd(), files.markdown)}`);
  if (result.failedSizes.length) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
