import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../../temporal/worker';
import { writeMigratedPgliteDump } from './pglite';

/**
 * What every test file would otherwise rebuild, made once by the jest global setup into the run's
 * folder: the workflow bundle and an empty PGlite database with every migration applied. Each
 * test still gets its own database (loaded from the dump) and its own workers.
 */
const BUNDLE_FILE = 'workflow-bundle.js';

export async function writeRunFixtures(runDir: string): Promise<void> {
  const [bundle] = await Promise.all([bundleWorkflows(), writeMigratedPgliteDump(runDir)]);
  fs.writeFileSync(path.join(runDir, BUNDLE_FILE), bundle.code);
}

/** The run's workflow bundle, or undefined outside a jest run with the global setup. */
export function readWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> | undefined {
  const file = process.env.TEST_RUN_DIR && path.join(process.env.TEST_RUN_DIR, BUNDLE_FILE);
  // Source maps are inline in the code (the SDK no longer reads sourceMap).
  return file && fs.existsSync(file) ? Promise.resolve({ code: fs.readFileSync(file, 'utf8'), sourceMap: '' }) : undefined;
}
