import type { PGlite } from '@electric-sql/pglite';

/**
 * The data version of an embedded database (PGlite), kept without a query: the embedded database
 * belongs to one process (the command line goes through the API), so every write passes through
 * this client. The count moves when a statement that may write, a multi-statement script or a
 * transaction has finished (committed or not), before its caller continues; a plain SELECT leaves
 * it. See services/dataVersion.ts for how views use it.
 */
const versions = new WeakMap<object, () => string>();

/** The local data version of a database handle, or undefined (PostgreSQL: read from the server). */
export const localDataVersion = (db: object): (() => string) | undefined => versions.get(db);

const readsOnly = /^\s*select\b/i;

/** Counts the client's writes; call before the client is used, then register the drizzle handle. */
export function countWrites(client: PGlite): { register(db: object): void } {
  let count = 0;
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  const counted = async <T>(work: Promise<T>, writes: boolean): Promise<T> => {
    try {
      return await work;
    } finally {
      if (writes) count += 1;
    }
  };
  client.query = ((text: string, ...rest: unknown[]) => counted(query(text, ...(rest as [])), !readsOnly.test(text))) as PGlite['query'];
  client.exec = ((text: string, ...rest: unknown[]) => counted(exec(text, ...(rest as [])), true)) as PGlite['exec'];
  client.transaction = ((callback: Parameters<PGlite['transaction']>[0]) => counted(transaction(callback), true)) as PGlite['transaction'];
  return { register: (db) => versions.set(db, () => `local:${count}`) };
}
