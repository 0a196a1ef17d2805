import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../../temporal/cli';
import { findFreePort, startDevServer } from '../../temporal/devServer';
import { resolveTestServer } from '../../temporal/testServer';
import { searchAttributeTypes } from '../../workflows/searchAttributes';
import { TEST_NAMESPACE } from './constants';

/** One real Temporal dev server per test run, on its own port with a throwaway database. */
export default async function globalSetup() {
  // The time-skipping test server each deadline suite starts for itself (support/timeSkipping.ts).
  const testServerPath = await resolveTestServer({ log: (m) => process.stderr.write(`${m}\n`) });
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-test-'));
  const cliPath = await resolveTemporalCli({ log: (m) => process.stderr.write(`${m}\n`) });
  const port = await findFreePort();
  const server = await startDevServer({
    cliPath,
    dbFile: path.join(runDir, 'temporal.db'),
    logFile: path.join(runDir, 'temporal.log'),
    namespace: TEST_NAMESPACE,
    port,
    uiPort: await findFreePort(),
    headless: true,
    searchAttributes: searchAttributeTypes,
  });
  // Test workers are forked after this, so they inherit these variables.
  process.env.TEST_TEMPORAL_ADDRESS = server.address;
  process.env.TEST_TEMPORAL_TEST_SERVER = testServerPath;
  process.env.TEST_TEMPORAL_CLI = cliPath;
  process.env.TEST_RUN_DIR = runDir;
  (globalThis as { __temporalTestServer?: typeof server }).__temporalTestServer = server;
}
