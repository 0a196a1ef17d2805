import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows } from '../../temporal/worker';
import { Client as PgClient } from 'pg';
import { openDatabase } from '../../db/client';
import { writeMigratedPgliteDump } from './pglite';

/**
 * What every test file would otherwise rebuild, made once by the jest global setup into the run's
 * folder: the workflow bundle and an empty PGlite database with every migration applied. Each
 * test still gets its own database (loaded from the dump) and its own workers.
 */
const BUNDLE_FILE = 'workflow-bundle.js';

export async function writeRunFixtures(runDir: string): Promise<void> {
  const [bundle] = await Promise.all([bundleWorkflows(), writeMigratedPgliteDump(runDir), writePostgresTemplate(runDir)]);
  fs.writeFileSync(path.join(runDir, BUNDLE_FILE), bundle.code);
}

/**
 * With TEST_DATABASE_URL, a migrated PostgreSQL database each test database is copied from
 * (CREATE DATABASE … TEMPLATE), named after the run's folder; globalTeardown drops it.
 */
export const postgresTemplateName = (runDir: string) => `metas_template_${path.basename(runDir).replace(/[^A-Za-z0-9]/g, '').toLowerCase()}`;

async function writePostgresTemplate(runDir: string): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return;
  const name = postgresTemplateName(runDir);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Migrated and closed: a template may have no connection while it is copied.
  await (await openDatabase({ databaseUrl: url.toString() })).close();
}

export async function dropPostgresTemplate(runDir: string): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${postgresTemplateName(runDir)} WITH (FORCE)`);
}

export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** The file holding the run's workflow bundle, or undefined outside a jest run with the global setup. */
export const workflowBundleFile = () => {
  const file = process.env.TEST_RUN_DIR && path.join(process.env.TEST_RUN_DIR, BUNDLE_FILE);
  return file && fs.existsSync(file) ? file : undefined;
};

/** The run's workflow bundle, or undefined outside a jest run with the global setup. */
export function readWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> | undefined {
  const file = process.env.TEST_RUN_DIR && path.join(process.env.TEST_RUN_DIR, BUNDLE_FILE);
  // Source maps are inline in the code (the SDK no longer reads sourceMap).
  return file && fs.existsSync(file) ? Promise.resolve({ code: fs.readFileSync(file, 'utf8'), sourceMap: '' }) : undefined;
}
