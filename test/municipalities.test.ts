import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { createActivities } from '../activities';
import { type DatabaseHandle } from '../db/client';
import { loadDemoData } from '../db/demo';
import * as t from '../db/schema';
import { defaultThresholds } from '../domain/goals';
import { loadJustifications } from '../reports/justifications';
import { loadQuarterReport } from '../reports/quarterData';
import { createCycleService, type CycleService } from '../services/cycles';
import { activitiesByMunicipality, asMunicipality, municipalityClient, UNKNOWN_MUNICIPALITY } from '../temporal/municipalities';
import { createReviewWorker, quietTemporalRuntime } from '../temporal/worker';
import { answerAll } from './support/answers';
import { eventually, sharedBundle, uniqueFiscalYear } from './support/harness';
import { openPglite } from './support/pglite';
import { serverClock, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

interface Municipality {
  code: string;
  database: DatabaseHandle;
  cycles: CycleService;
}

/** On a time-skipping test server: the deadlines of the unanswered reviews pass when the test skips time. */
describe('one worker serving many municipalities', () => {
  const fiscalYear = uniqueFiscalYear();
  const taskQueue = `test-municipalities-${randomUUID()}`;
  let server: TimeSkippingServer;
  let worker: Worker;
  let running: Promise<void>;
  let municipalities: Municipality[] = [];

  beforeAll(async () => {
    quietTemporalRuntime();
    server = await startTimeSkippingServer();
    const { client, namespace } = server.target;
    const codes = ['52001', '05001'].map((code) => `${code}${randomUUID().slice(0, 4)}`);
    municipalities = await Promise.all(
      codes.map(async (code) => {
        const database = await openPglite();
        await loadDemoData(database.db, { planYears: [fiscalYear], progressYear: fiscalYear });
        const cycles = createCycleService({
          client: municipalityClient({ connection: client.connection, namespace, municipalityCode: code }),
          db: database.db,
          taskQueue,
          defaultWindow: '10m',
          thresholds: defaultThresholds,
          municipalityCode: code,
        });
        return { code, database, cycles };
      }),
    );
    worker = await createReviewWorker({
      connection: (await server.target.connectWorker()).connection,
      namespace,
      taskQueue,
      activities: activitiesByMunicipality(
        new Map(municipalities.map((m) => [m.code, createActivities({ db: m.database.db, timeZone: 'America/Bogota', now: serverClock })])),
      ),
      workflowBundle: await sharedBundle(),
    });
    running = worker.run();
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await server?.close();
    await Promise.all(municipalities.map((m) => m.database.close()));
  });

  it("runs the same quarter for two municipalities on one task queue, each in its own records", async () => {
    const [pasto] = municipalities as [Municipality, Municipality];
    const started = await Promise.all(municipalities.map((m) => m.cycles.startCycle({ fiscalYear, quarter: 2, window: '2h' })));
    expect(started.map((s) => s.workflowId)).toEqual(municipalities.map((m) => `${m.code}-revision-${fiscalYear}-T2`));

    // Pasto's SINF answers and is approved (update-driven activities); everything else times out.
    const reviewId = `${started[0]?.workflowId}-SINF`;
    const waiting = await eventually(
      async () => {
        const view = await pasto.cycles.reviewStatus(reviewId);
        return view.state === 'awaitingResponse' ? view : undefined;
      },
      { what: `${reviewId} awaiting its response` },
    );
    // Another municipality's service finds none of Pasto's workflows, whoever asks through it.
    const other = (municipalities as [Municipality, Municipality])[1];
    for (const attempt of [
      () => other.cycles.reviewStatus(reviewId),
      () => other.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora ajena' }),
      () => other.cycles.submitResponse(reviewId, answerAll(waiting)),
      () => other.cycles.history(reviewId),
      () => other.cycles.reviewStatus(`revision-${fiscalYear}-T2-SINF`),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'not_found' });
    }
    await pasto.cycles.submitResponse(reviewId, answerAll(waiting));
    await pasto.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    await server.skip('2h');

    const statuses = await Promise.all(started.map((s, i) => (municipalities[i] as Municipality).cycles.cycleStatus(s.workflowId)));
    await Promise.all(
      municipalities.map((m, i) =>
        eventually(
          async () => {
            const [cycle] = await m.database.db.select().from(t.cycles).where(eq(t.cycles.workflowId, started[i]?.workflowId as string));
            return cycle?.status === 'completed';
          },
          { what: `${m.code}'s cycle completed in its own database`, timeoutMs: 90_000 },
        ),
      ),
    );

    for (const [i, m] of municipalities.entries()) {
      const cycleId = started[i]?.workflowId as string;
      const { db } = m.database;
      expect((await db.select().from(t.cycles)).map((c) => c.workflowId)).toEqual([cycleId]);
      const reviews = await db.select().from(t.departmentReviews);
      expect(reviews.map((r) => r.departmentCode).sort()).toEqual(statuses[i]?.cycle.departments.map((d) => d.code).sort());
      expect(reviews.length).toBeGreaterThan(1);
      expect(reviews.every((r) => r.workflowId.startsWith(`${cycleId}-`))).toBe(true);
      const outbox = await db.select({ key: t.outbox.idempotencyKey }).from(t.outbox);
      expect(outbox.every((mail) => mail.key.startsWith(`${cycleId}-`))).toBe(true);
      // Reports find the cycle's own dashboard although its ID carries the municipality.
      const report = await loadQuarterReport(db, { fiscalYear, quarter: 2, thresholds: defaultThresholds });
      expect(report).toMatchObject({ source: 'cycle', cycleWorkflowId: cycleId });
      const outcomes = Object.fromEntries(reviews.map((r) => [r.departmentCode, r.outcome]));
      expect(outcomes.SINF).toBe(m === pasto ? 'keptWithCommitment' : 'noAdjustment');
    }
    // The justifications matrix selects the quarter's reviews by the cycle's prefixed ID.
    const justified = await Promise.all(municipalities.map((m) => loadJustifications(m.database.db, { fiscalYear, quarter: 2, departmentCode: 'SINF' })));
    expect(justified.map((j) => new Set(j.rows.map((r) => r.reviewWorkflowId)))).toEqual(started.map((s) => new Set([`${s.workflowId}-SINF`])));
    expect(justified[0]?.rows.every((r) => r.outcome === 'kept' && r.answer !== null)).toBe(true);
    expect(justified[1]?.rows.every((r) => r.outcome === 'noAdjustment' && r.answer === null)).toBe(true);
  });

  it('fails, retryably, an activity of a municipality the worker does not serve, and writes nothing', async () => {
    const activities = activitiesByMunicipality(new Map(municipalities.map((m) => [m.code, createActivities({ db: m.database.db, timeZone: 'America/Bogota' })])));
    const stranger = `99999${randomUUID().slice(0, 4)}`;
    const register = () =>
      activities.registerCycle({
        cycleWorkflowId: `${stranger}-revision-${fiscalYear}-T1`,
        fiscalYear,
        quarter: 1,
        responseWindow: { amount: 10, unit: 'businessDays' },
        startedBy: 'prueba',
      });
    const unserved = await asMunicipality(stranger, register).catch((e: unknown) => e);
    expect(unserved).toBeInstanceOf(ApplicationFailure);
    expect(unserved).toMatchObject({ type: UNKNOWN_MUNICIPALITY, nonRetryable: false });
    expect((unserved as Error).message).toContain(stranger);
    const unnamed = await register().catch((e: unknown) => e);
    expect(unnamed).toMatchObject({ type: UNKNOWN_MUNICIPALITY, message: 'La actividad no indica su municipio' });
    for (const m of municipalities) {
      expect(await m.database.db.select().from(t.cycles).where(eq(t.cycles.workflowId, `${stranger}-revision-${fiscalYear}-T1`))).toHaveLength(0);
    }
  });
});
