import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { localDataVersion } from '../db/localDataVersion';
import { sharedRead, sharedReadsByKey } from './sharedRead';

/**
 * The database's data version: a string that changes whenever a write commits (or a writing
 * transaction ends), so a page whose data was read at version V may be answered again without
 * reading its data while the version is still V.
 *
 * - PostgreSQL: the server's current snapshot (`pg_current_snapshot()`, one tiny query that touches
 *   no table), which changes whenever any transaction that wrote commits or aborts, in this process
 *   or any other (the CLI, a second server, a change by hand). Read-only transactions take no
 *   transaction id and leave it unchanged. Concurrent callers share one read (services/sharedRead),
 *   never one started before they asked.
 * - PGlite, which one process owns: the count of writes made through its client
 *   (db/localDataVersion), no query at all.
 */
const readers = new WeakMap<Database, () => Promise<string>>();

export function dataVersion(db: Database): Promise<string> {
  // PGlite: every write goes through this process, which counts them (db/localDataVersion).
  const local = localDataVersion(db);
  if (local) return Promise.resolve(local());
  let read = readers.get(db);
  if (!read) {
    read = sharedRead(async () => {
      const result = (await db.execute(sql`select pg_current_snapshot()::text as version`)) as unknown as { rows: { version: string }[] };
      return String(result.rows[0]?.version ?? '');
    });
    readers.set(db, read);
  }
  return read();
}

/**
 * A keyed read whose result is reused while the data version has not changed since it began: a
 * burst of views of the same cycle costs one read of the version per wave of requests and one read
 * of the records per change. Every caller still gets data as of its arrival: the version is read
 * after it arrived, and a result is tagged with a version read before the read of the data began
 * (a commit in between changes the version, so the next caller reads again). The result is shared:
 * callers must not mutate it. At most `max` keys are kept (the oldest is dropped).
 */
export function readByDataVersion<T>(db: Database, read: (key: string) => Promise<T>, max = 64): (key: string) => Promise<T> {
  const known = new Map<string, { version: string; value: T }>();
  const shared = sharedReadsByKey(read);
  return async (key) => {
    const version = await dataVersion(db);
    const hit = known.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = await shared(key);
    known.delete(key);
    known.set(key, { version, value });
    if (known.size > max) known.delete(known.keys().next().value as string);
    return value;
  };
}
