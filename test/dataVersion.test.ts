import { asc, eq } from 'drizzle-orm';
import { openDatabase, type DatabaseHandle } from '../db/client';
import { openPglite } from './support/pglite';
import * as t from '../db/schema';
import { dataVersion, readByDataVersion } from '../services/dataVersion';
import { createPostgresDatabase, testDatabaseKinds } from './support/harness';

/**
 * Views under load reuse what they read while the database's data version is unchanged
 * (services/dataVersion). What they show must still be fresh: a write committed before a read
 * began, in this process or by another connection (another process: the CLI, a second server),
 * is visible to that read.
 */
describe.each(testDatabaseKinds)('data version (%s)', (kind) => {
  let handle: DatabaseHandle;
  /** A second connection to the same database (PostgreSQL only; PGlite is one process). */
  let other: DatabaseHandle | null = null;
  let drop: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (kind === 'pglite') handle = await openPglite();
    else {
      const pg = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
      drop = pg.drop;
      handle = await openDatabase({ databaseUrl: pg.url });
      other = await openDatabase({ databaseUrl: pg.url, poolSize: 1 });
    }
  });
  afterAll(async () => {
    await other?.close();
    await handle?.close();
    await drop?.();
  });

  const names = (db: DatabaseHandle['db']) => db.select({ name: t.departments.name }).from(t.departments).orderBy(asc(t.departments.code));

  it('changes with every committed write, not with reads', async () => {
    const { db } = handle;
    const before = await dataVersion(db);
    await names(db);
    expect(await dataVersion(db)).toBe(before);
    await db.insert(t.departments).values({ code: 'DV1', name: 'Versión uno' });
    const afterInsert = await dataVersion(db);
    expect(afterInsert).not.toBe(before);
    await db.update(t.departments).set({ name: 'Versión uno bis' }).where(eq(t.departments.code, 'DV1'));
    expect(await dataVersion(db)).not.toBe(afterInsert);
  });

  it('reuses a read while nothing was written, and a write is visible on the next read', async () => {
    const { db } = handle;
    let reads = 0;
    const read = readByDataVersion(db, async () => {
      reads += 1;
      return (await names(db)).map((r) => r.name);
    });
    const first = await read('departments');
    const concurrent = await Promise.all(Array.from({ length: 20 }, () => read('departments')));
    expect(concurrent.every((r) => r === first)).toBe(true);
    // On a shared PostgreSQL server another database's commits also move the version (a re-read, still correct).
    const exact = kind === 'pglite';
    if (exact) expect(reads).toBe(1);

    await db.insert(t.departments).values({ code: 'DV2', name: 'Versión dos' });
    expect(await read('departments')).toContain('Versión dos');
    if (exact) expect(reads).toBe(2);

    // A write racing concurrent readers: those who asked after it committed see it.
    const racing = Promise.all(Array.from({ length: 10 }, () => read('departments')));
    await db.insert(t.departments).values({ code: 'DV3', name: 'Versión tres' });
    await racing;
    expect(await read('departments')).toContain('Versión tres');

    // A transaction: visible once committed; a rolled back one changes nothing that is shown.
    await db.transaction(async (tx) => {
      await tx.insert(t.departments).values({ code: 'DV4', name: 'Versión cuatro' });
    });
    expect(await read('departments')).toContain('Versión cuatro');
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(t.departments).values({ code: 'DV5', name: 'Versión cinco' });
        throw new Error('deshacer');
      }),
    ).rejects.toThrow('deshacer');
    expect(await read('departments')).not.toContain('Versión cinco');
  });

  it('sees a write made by another connection (another process) on the next read', async () => {
    if (!other) return; // PGlite: one process owns the database.
    const { db } = handle;
    const read = readByDataVersion(db, async () => (await names(db)).map((r) => r.name));
    expect(await read('departments')).not.toContain('Otra conexión');
    await other.db.insert(t.departments).values({ code: 'DV6', name: 'Otra conexión' });
    expect(await read('departments')).toContain('Otra conexión');
  });
});
