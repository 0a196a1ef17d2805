import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { openDatabase, type DatabaseHandle } from '../../db/client';

const DUMP_FILE = 'pglite-migrated.tar';

/** Written once per run by the global setup: an empty PGlite cluster with every migration applied. */
export async function writeMigratedPgliteDump(runDir: string): Promise<void> {
  const handle = await openDatabase({});
  try {
    const dump = await (handle.db as unknown as { $client: PGlite }).$client.dumpDataDir('none');
    fs.writeFileSync(path.join(runDir, DUMP_FILE), Buffer.from(await dump.arrayBuffer()));
  } finally {
    await handle.close();
  }
}

let dump: Blob | undefined;

/**
 * A fresh, empty, migrated in-memory PGlite database. Loaded from the run's dump, which skips
 * initdb and the migrations (seconds of CPU each); openDatabase still checks the migrations. Outside
 * a jest run with the global setup it is built from scratch.
 */
export function openPglite(): Promise<DatabaseHandle> {
  const file = process.env.TEST_RUN_DIR && path.join(process.env.TEST_RUN_DIR, DUMP_FILE);
  if (file && fs.existsSync(file)) dump ??= new Blob([fs.readFileSync(file)]);
  return openDatabase({ pgliteDump: dump });
}
