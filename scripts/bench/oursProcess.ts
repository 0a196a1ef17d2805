/**
 * Child process of the benchmark for OUR side: the app as `npm start` runs it (worker, activities,
 * database, outbox mailer, the cycle service the HTTP API calls), for every municipality in this one
 * process so its RSS is "the worker process". One worker per namespace and task queue serves its
 * municipalities (temporal/municipalities.ts): each has its own database, mailer and cycle service,
 * its cycles carry its code in their IDs and header. Scripted liaisons answer through
 * `cycles.submitResponse` (what the response form calls: the raw submission stored, then the
 * `submitResponse` update) and a scripted coordinator approves through `cycles.decide`.
 *
 * Started by scripts/bench/run.ts with `fork`; not meant to be run by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { like, sql } from 'drizzle-orm';
import { Client as PgClient } from 'pg';
import { createActivities } from '../../activities';
import { deriveKey, signReviewLink } from '../../auth/reviewLinks';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { loadMunicipality } from '../demo';
import * as t from '../../db/schema';
import { defaultThresholds } from '../../domain/goals';
import { createMailer, type Mailer } from '../../mail';
import { createCycleService, type CycleService } from '../../services/cycles';
import { AppError } from '../../services/errors';
import { connectClient, connectWorker } from '../../temporal/connection';
import { activitiesByMunicipality, municipalityClient } from '../../temporal/municipalities';
import { bundleWorkflows, createReviewWorker, quietTemporalRuntime } from '../../temporal/worker';
import { consolidationGoals } from '../../db/verdicts';
import { scriptedResponse } from './liaisons';
import { BENCH_FISCAL_YEAR, BENCH_QUARTER, benchMunicipality } from './municipalities';
import { mb, serveParent, sleep, startMeasuring, workerGroups, type ChildMunicipality, type ChildRunResult, type ChildSetup, type RowCounts } from './protocol';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const linkKey = deriveKey('clave-del-benchmark-de-metas-pdm-de-32-caracteres', 'review-links');

interface Municipality {
  spec: ChildMunicipality;
  database: DatabaseHandle;
  mailer: Mailer;
  cycles: CycleService;
  client: Client;
  rowsBefore: RowStats;
}

let setup: ChildSetup;
let municipalities: Municipality[] = [];
let workers: { worker: Worker; run: Promise<void> }[] = [];
let workerConnection: NativeConnection | null = null;
let client: Client | null = null;
let afterDatabasesMb: number | null = null;
let baseMb = 0;
let databasesClosed = false;

serveParent({
  async setup(s) {
    setup = s;
    quietTemporalRuntime();
    client = await connectClient({ ...s.temporal, TEMPORAL_NAMESPACE: s.municipalities[0]?.namespace ?? 'default' });
    workerConnection = await connectWorker({ ...s.temporal, TEMPORAL_NAMESPACE: 'unused' });
    const bundle = s.workflowBundleFile ? { code: fs.readFileSync(s.workflowBundleFile, 'utf8'), sourceMap: '' } : await bundleWorkflows();
    baseMb = mb(process.memoryUsage.rss());
    const databases: { database: DatabaseHandle; rowsBefore: RowStats }[] = [];
    // A PostgreSQL server allows 100 connections by default: the municipalities share about 80.
    const poolSize = Math.max(2, Math.min(10, Math.floor(80 / s.municipalities.length)));
    // Setup only: every PGlite folder starts as a copy of one freshly migrated cluster (about 2 s
    // saved per municipality); openDatabase then finds its migrations applied.
    const template = s.municipalities[0]?.pgliteDir ? path.join(path.dirname(s.municipalities[0].pgliteDir), '..', 'template') : null;
    if (template) await (await openDatabase({ pgliteDir: template })).close();
    for (const spec of s.municipalities) {
      if (template && spec.pgliteDir) fs.cpSync(template, spec.pgliteDir, { recursive: true });
      let database = await openDatabase({ databaseUrl: spec.databaseUrl, pgliteDir: spec.pgliteDir, poolSize });
      await loadMunicipality(database.db, benchMunicipality(spec));
      if (database.dialect === 'postgres') {
        // The baseline counters must include the load, which the pool's backends flush on exit.
        await database.close();
        const rowsBefore = await settledPostgresStats(spec.databaseUrl as string);
        database = await openDatabase({ databaseUrl: spec.databaseUrl, poolSize });
        databases.push({ database, rowsBefore });
      } else {
        databases.push({ database, rowsBefore: await rowStats(database) });
      }
    }
    afterDatabasesMb = mb(process.memoryUsage.rss());
    municipalities = s.municipalities.map((spec, i) => {
      const { database, rowsBefore } = databases[i] as (typeof databases)[number];
      const mailer = createMailer({ db: database.db, from: 'Oficina de Planeación <planeacion@municipio.gov.co>' });
      const municipality = municipalityClient({ connection: (client as Client).connection, namespace: spec.namespace, municipalityCode: spec.code });
      const cycles = createCycleService({
        client: municipality,
        db: database.db,
        taskQueue: spec.taskQueue,
        defaultWindow: s.window,
        defaultReminders: s.reminders,
        thresholds: defaultThresholds,
        municipalityCode: spec.code,
      });
      return { spec, database, mailer, cycles, client: municipality, rowsBefore };
    });
    const activitiesOf = (m: Municipality) =>
      createActivities({
        db: m.database.db,
        timeZone: 'America/Bogota',
        mailer: m.mailer,
        publicUrl: PUBLIC_URL,
        reviewLink: ({ reviewWorkflowId, departmentCode }) =>
          `${PUBLIC_URL}/responder/${reviewWorkflowId}/${signReviewLink({ reviewWorkflowId, departmentCode, issuedAt: new Date() }, linkKey)}`,
      });
    workers = await Promise.all(
      workerGroups(s.municipalities).map(async (group) => {
        const served = municipalities.filter((m) => group.includes(m.spec));
        const worker = await createReviewWorker({
          connection: workerConnection as NativeConnection,
          namespace: (group[0] as ChildMunicipality).namespace,
          taskQueue: (group[0] as ChildMunicipality).taskQueue,
          activities: activitiesByMunicipality(new Map(served.map((m) => [m.spec.code, activitiesOf(m)]))),
          workflowBundle: bundle,
          maxConcurrentActivities: s.maxConcurrentActivities,
        });
        return { worker, run: worker.run() };
      }),
    );
  },

  async run(progress) {
    const measuring = await startMeasuring(setup.profileFile);
    const started = measuring.startedAtMs;
    const calls = { polls: 0, queries: 0, updates: 0, retries: 0, late: 0 };
    const answeredMs: number[] = [];
    let cyclesDone = 0;
    const cycles = await Promise.all(
      municipalities.map(async (m) => {
        const { workflowId } = await m.cycles.startCycle({
          fiscalYear: BENCH_FISCAL_YEAR,
          quarter: BENCH_QUARTER,
          window: setup.window,
          reminders: setup.reminders,
          startedBy: 'benchmark',
        });
        await answerAlerts(m, workflowId, calls, (ms) => {
          answeredMs.push(ms - started);
          progress({ type: 'progress', cyclesDone, cyclesTotal: municipalities.length, answered: answeredMs.length });
        });
        const summary = await m.client.workflow.getHandle(workflowId).result();
        cyclesDone += 1;
        progress({ type: 'progress', cyclesDone, cyclesTotal: municipalities.length, answered: answeredMs.length });
        return { namespace: m.spec.namespace, workflowId, finishedMs: Date.now() - started, outcomes: summary.outcomes as Record<string, string> };
      }),
    );
    const { wallMs, peakMb, profile, lifetimeMaxMb, cpuMs } = await measuring.stop();
    const result: ChildRunResult = {
      startedAtMs: started,
      wallMs,
      cycles,
      answeredMs,
      clientCalls: calls,
      memory: {
        baseMb,
        afterDatabasesMb,
        readyMb: measuring.readyMb,
        peakMb,
        peakWithoutDatabasesMb: Math.round(peakMb - ((afterDatabasesMb ?? baseMb) - baseMb)),
        lifetimeMaxMb,
      },
      cpuMs,
      rows: await rowsWritten(),
      profile,
    };
    return result;
  },

  async shutdown() {
    for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await Promise.all(workers.map((w) => w.run.catch(() => undefined)));
    for (const m of municipalities) {
      m.mailer.close();
      if (!databasesClosed) await m.database.close();
    }
    await workerConnection?.close();
    await client?.connection.close();
  },
});

/**
 * The municipality's liaisons: each one reads its alert e-mail (the outbox, polled), opens the form
 * (the review's state, as the form page queries it), submits the response; the coordinator then
 * approves. The departments marked silent never answer.
 */
async function answerAlerts(m: Municipality, cycleId: string, calls: ChildRunResult['clientCalls'], answered: (atMs: number) => void) {
  const speaking = new Set(m.spec.expected.filter((r) => !r.silent).map((r) => `${cycleId}-${r.departmentCode}`));
  const handled = new Set<string>();
  const pending: Promise<void>[] = [];
  let failure: unknown = null;
  while (handled.size < speaking.size) {
    calls.polls += 1;
    const alerts = await m.database.db
      .select({ key: t.outbox.idempotencyKey })
      .from(t.outbox)
      .where(like(t.outbox.idempotencyKey, `${cycleId}-%:alert`));
    for (const { key } of alerts) {
      const reviewId = key.slice(0, -':alert'.length);
      if (!speaking.has(reviewId) || handled.has(reviewId)) continue;
      handled.add(reviewId);
      pending.push(
        respond(m, reviewId, calls).then(
          (outcome) => {
            if (outcome === 'answered') answered(Date.now());
            else calls.late += 1;
          },
          (error: unknown) => {
            failure ??= error;
          },
        ),
      );
    }
    if (handled.size < speaking.size) await sleep(setup.pollMs);
  }
  await Promise.all(pending);
  if (failure) throw failure;
}

/**
 * One liaison and the coordinator, as people at a form: open it, send the response, approve it.
 * A refusal because the deadline passed ends it ('late': the system was too slow for the window).
 * Any other failure (an overloaded worker failing the workflow task that carried the update) is
 * met as a person would: look at the review again and redo the step it still needs.
 */
async function respond(m: Municipality, reviewId: string, calls: ChildRunResult['clientCalls']): Promise<'answered' | 'late'> {
  for (let attempt = 0; ; attempt++) {
    try {
      calls.queries += 1;
      const view = await m.cycles.reviewStatus(reviewId);
      if (view.state === 'noAdjustment') return 'late';
      if (view.outcome) return 'answered';
      if (view.allowedActions.includes('submitResponse')) {
        calls.updates += 1;
        await m.cycles.submitResponse(reviewId, scriptedResponse(view, { now: new Date(), consolidation: await consolidationGoals(m.database.db, reviewId) }));
      }
      calls.updates += 1;
      await m.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinación MMSE (benchmark)' });
      return 'answered';
    } catch (error) {
      if (error instanceof AppError && error.code === 'deadline_passed') return 'late';
      if (attempt >= 30) throw error;
      calls.retries += 1;
      await sleep(1000);
    }
  }
}

type RowStats = Map<string, { inserted: number; updated: number; deleted: number }>;

async function rowStats(database: DatabaseHandle): Promise<RowStats> {
  if (database.dialect === 'pglite') await database.db.execute(sql`select pg_stat_force_next_flush()`);
  const result = (await database.db.execute(
    sql`select relname, n_tup_ins::int as ins, n_tup_upd::int as upd, n_tup_del::int as del from pg_stat_user_tables`,
  )) as unknown as { rows: { relname: string; ins: number; upd: number; del: number }[] };
  return new Map(result.rows.map((r) => [r.relname, { inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del) }]));
}

/**
 * Rows inserted, updated and deleted during the run, from PostgreSQL's own counters
 * (pg_stat_user_tables). PGlite's single backend flushes them on request; on a PostgreSQL server the
 * pool's backends flush theirs when they exit, so the pools are closed first and the counters read
 * from a fresh connection until they stop changing.
 */
async function rowsWritten(): Promise<RowCounts> {
  const totals: RowCounts = { inserted: 0, updated: 0, deleted: 0, byTable: {} };
  const afterStats: RowStats[] = [];
  if (municipalities.some((m) => m.database.dialect === 'postgres')) {
    databasesClosed = true;
    for (const m of municipalities) await m.database.close();
    for (const m of municipalities) afterStats.push(await settledPostgresStats(m.spec.databaseUrl as string));
  } else {
    for (const m of municipalities) afterStats.push(await rowStats(m.database));
  }
  municipalities.forEach((m, i) => {
    for (const [table, after] of afterStats[i] as RowStats) {
      const before = m.rowsBefore.get(table) ?? { inserted: 0, updated: 0, deleted: 0 };
      const delta = { inserted: after.inserted - before.inserted, updated: after.updated - before.updated, deleted: after.deleted - before.deleted };
      if (!delta.inserted && !delta.updated && !delta.deleted) continue;
      const row = (totals.byTable[table] ??= { inserted: 0, updated: 0, deleted: 0 });
      row.inserted += delta.inserted;
      row.updated += delta.updated;
      row.deleted += delta.deleted;
      totals.inserted += delta.inserted;
      totals.updated += delta.updated;
      totals.deleted += delta.deleted;
    }
  });
  return totals;
}

async function settledPostgresStats(url: string): Promise<RowStats> {
  let last = '';
  let stats: RowStats = new Map();
  for (let attempt = 0; attempt < 20; attempt++) {
    await sleep(300);
    const pg = new PgClient({ connectionString: url });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ relname: string; ins: string; upd: string; del: string }>(
        'select relname, n_tup_ins as ins, n_tup_upd as upd, n_tup_del as del from pg_stat_user_tables order by relname',
      );
      stats = new Map(rows.map((r) => [r.relname, { inserted: Number(r.ins), updated: Number(r.upd), deleted: Number(r.del) }]));
      const key = JSON.stringify(rows);
      if (key === last) return stats;
      last = key;
    } finally {
      await pg.end();
    }
  }
  return stats;
}
