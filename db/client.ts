import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { Pool } from 'pg';
import { countWrites } from './localDataVersion';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /** 'pglite' (embedded, the default) or 'postgres' (DATABASE_URL). */
  dialect: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const migrationsFolder = path.join(__dirname, 'migrations');

export interface DatabaseOptions {
  /** postgres://… for a real server; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data folder; omit for an in-memory database (tests that need no persistence). */
  pgliteDir?: string;
  /**
   * An in-memory PGlite starts from this dump (PGlite's dumpDataDir) instead of an empty cluster:
   * the tests open every database from one migrated dump rather than repeating initdb and migrations.
   */
  pgliteDump?: Blob;
  /** Connections of the PostgreSQL pool (default 10); a worker serving many municipalities keeps each small. */
  poolSize?: number;
}

/** Opens the database and applies pending migrations (idempotent), so every start runs on the current schema. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle connection the server ends (a restart, a failover, an administrator) is dropped from the
    // pool and the next query opens another; unheard, the pool's 'error' event would end the process.
    pool.on('error', (error) => console.warn(`PostgreSQL cerró una conexión inactiva: ${error.message}`));
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder });
    return { db: db as unknown as Database, dialect: 'postgres', close: () => pool.end() };
  }
  if (options.pgliteDir) fs.mkdirSync(options.pgliteDir, { recursive: true });
  const client = options.pgliteDir ? new PGlite(options.pgliteDir) : new PGlite(options.pgliteDump ? { loadDataDir: options.pgliteDump } : {});
  const writes = countWrites(client);
  const db = drizzlePglite(client, { schema });
  writes.register(db);
  await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as Database, dialect: 'pglite', close: () => client.close() };
}
