import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../db/client';
import { demoGoals, loadDemoData } from '../db/demo';
import { latestExecution, latestProgramming, programmedYears } from '../db/queries';
import * as t from '../db/schema';
import { openPglite } from './support/pglite';
import { createPostgresDatabase, eventually } from './support/harness';
import { adminQuery } from './support/runFixtures';

describe('database', () => {
  it('keeps PGlite data across restarts, migrates idempotently and loads the demo once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metas-pdm-pglite-'));
    try {
      const first = await openDatabase({ pgliteDir: dir });
      expect(await loadDemoData(first.db)).toBe(true);
      await first.db.insert(t.goalProgress).values({
        goalCode: demoGoals[0]!.code,
        fiscalYear: 2026,
        quarter: 1,
        version: 2,
        executed: 7,
        reportedBy: 'corrección',
      });
      await first.close();

      const second = await openDatabase({ pgliteDir: dir });
      expect(await loadDemoData(second.db)).toBe(false);
      const [goals] = await second.db.select({ n: sql<number>`count(*)::int` }).from(t.goals);
      expect(goals?.n).toBe(demoGoals.length);
      expect(await programmedYears(second.db)).toEqual([2024, 2025, 2026, 2027]);
      // A correction is a new version; the latest one counts and the first one is kept.
      expect((await latestExecution(second.db, 2026)).get(demoGoals[0]!.code)).toEqual([7, 6, null, null]);
      const versions = await second.db.select().from(t.goalProgress).where(sql`${t.goalProgress.goalCode} = ${demoGoals[0]!.code} and quarter = 1`);
      expect(versions.map((v) => v.executed).sort()).toEqual([5, 7]);
      expect((await latestProgramming(second.db, 2026)).size).toBe(demoGoals.length);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a duplicate programming version instead of overwriting it', async () => {
    const handle = await openPglite();
    try {
      await loadDemoData(handle.db);
      const duplicate = handle.db.insert(t.goalProgramming).values({
        goalCode: demoGoals[0]!.code,
        fiscalYear: 2026,
        version: 1,
        annualTarget: 999,
        quarterlyTargets: null,
        reason: 'sobrescritura',
        createdBy: 'prueba',
      });
      await expect(duplicate).rejects.toThrow();
    } finally {
      await handle.close();
    }
  });

  it('outlives PostgreSQL ending its idle connections (a restart, a failover): the next query reconnects', async () => {
    const adminUrl = process.env.TEST_DATABASE_URL;
    // PostgreSQL runs where TEST_DATABASE_URL is set (CI sets it, support/harness.ts insists).
    if (!adminUrl) return;
    const pg = await createPostgresDatabase(adminUrl);
    const warnings = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const handle = await openDatabase({ databaseUrl: pg.url });
    try {
      await handle.db.execute(sql`select 1`);
      const name = new URL(pg.url).pathname.slice(1);
      await adminQuery(adminUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      await eventually(async () => warnings.mock.calls.some(([message]) => String(message).includes('cerró una conexión inactiva')), { what: 'the pool to hear the ended connection' });
      const result = (await handle.db.execute(sql`select 41 + 1 as answer`)) as unknown as { rows: { answer: number }[] };
      const [row] = result.rows;
      expect(Number(row?.answer)).toBe(42);
    } finally {
      warnings.mockRestore();
      await handle.close();
      await pg.drop();
    }
  });
});
