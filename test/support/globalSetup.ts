import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../../temporal/cli';
import { findFreePort, startDevServer } from '../../temporal/devServer';
import { resolveTestServer } from '../../temporal/testServer';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { TEST_NAMESPACE } from './constants';
import { writeRunFixtures } from './runFixtures';

/**
 * One real Temporal dev server per test run, on its own port with a throwaway database; the path
 * of the time-skipping test server the deadline suites start for themselves (support/timeSkipping.ts);
 * and, built meanwhile, the workflow bundle and migrated database every test file shares.
 */
export default async function globalSetup() {
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const testServerPath = await resolveTestServer({ log });
  const cliPath = await resolveTemporalCli({ log });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-test-'));
  const [started, fixtures] = await Promise.allSettled([
    startDevServer({
      cliPath,
      dbFile: path.join(runDir, 'temporal.db'),
      logFile: path.join(runDir, 'temporal.log'),
      namespace: TEST_NAMESPACE,
      port: await findFreePort(),
      uiPort: await findFreePort(),
      headless: true,
      searchAttributes: searchAttributeTypes,
    }),
    writeRunFixtures(runDir),
  ]);
  if (started.status === 'rejected' || fixtures.status === 'rejected') {
    if (started.status === 'fulfilled') await started.value.stop();
    throw started.status === 'rejected' ? started.reason : (fixtures as PromiseRejectedResult).reason;
  }
  const server = started.value;
  // Test workers are forked after this, so they inherit these variables.
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_TEMPORAL_TEST_SERVER = testServerPath;
  process.env.TEST_TEMPORAL_CLI = cliPath;
  process.env.TEST_RUN_DIR = runDir;
  (globalThis as { __temporalTestServer?: typeof server }).__temporalTestServer = server;
}
