import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';

/**
 * Writes to a record table behind the application's back (a damaged disk, a hand edit, data from
 * an older version), as a test's setup needs: the table's append-only trigger is disabled for the
 * transaction only.
 */
export async function alterRecordsBehindTheApp(db: Database, table: string, write: (tx: Database) => Promise<unknown>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`alter table "${table}" disable trigger append_only`));
    await write(tx as unknown as Database);
    await tx.execute(sql.raw(`alter table "${table}" enable trigger append_only`));
  });
}
