import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import request from 'supertest';
import { createActivities } from '../activities';
import { type DatabaseHandle } from '../db/client';
import { loadDemoData } from '../db/demo';
import * as t from '../db/schema';
import { alterRecordsBehindTheApp } from './support/appendOnly';
import type { ReviewView } from '../workflows/types';
import { answerAll } from './support/answers';
import { createHarness, createTestApp, eventually, reviewLinkOf, type Harness, type TestApp } from './support/harness';
import { openPglite } from './support/pglite';

/**
 * Issue 12, numbers: every target within 0..10^12 at every way in, and a department whose stored
 * data cannot be processed ends its review visibly (dataError, never retried) while the other
 * departments and the quarter's pages go on. Real Temporal, real database, the HTTP app.
 */
describe('numbers: limits at every way in, and unusable stored data failing visibly', () => {
  let h: Harness;
  let app: TestApp['app'];
  let admin: TestApp['admin'];
  let as: TestApp['as'];
  let cycleId: string;
  /** A SINF goal the demo leaves "atrasada" in T3, so its review processes it. */
  const corruptGoal = '2402002-01';
  const range = 'debe ser un número finito entre 0 y 1.000.000.000.000';

  beforeAll(async () => {
    h = await createHarness();
    ({ app, admin, as } = await createTestApp(h));
    // Data stored before the limits existed: a reprogramming of 1e308 per quarter (the annual sum overflowed).
    await h.database.db.insert(t.goalProgramming).values({
      goalCode: corruptGoal,
      fiscalYear: h.fiscalYear,
      version: 2,
      annualTarget: 1e308,
      quarterlyTargets: [1e308, 1e308, 1e308, 1e308],
      reason: 'Reprogramación aprobada antes de los límites (dato de prueba)',
      createdBy: 'prueba',
    });
    const started = await admin.post('/api/cycles').send({ fiscalYear: h.fiscalYear, quarter: 3, window: '10m' }).expect(201);
    cycleId = started.body.workflowId;
  });
  afterAll(async () => {
    await h?.close();
  });

  const reviewOf = (department: string) => `${cycleId}-${department}`;

  it('ends the department with unusable stored data as "Error de datos", at once and never retried', async () => {
    const reviewId = reviewOf('SINF');
    const view = await eventually(
      async () => {
        const res = await admin.get(`/api/reviews/${reviewId}`).expect(200);
        return (res.body as ReviewView).outcome === 'dataError' ? (res.body as ReviewView) : undefined;
      },
      { what: 'the SINF review to end in dataError', timeoutMs: 60_000 },
    );
    expect(view.state).toBe('dataError');
    expect(view.allowedActions).toEqual([]);
    expect(view.dataError?.reason).toMatch(/^Los datos guardados de la dependencia SINF no se pueden procesar/);
    expect(view.dataError?.problems).toContainEqual(`Meta ${corruptGoal}: la programación anual de ${h.fiscalYear} (1e+308) ${range}`);
    expect(view.dataError?.problems).toContainEqual(`Meta ${corruptGoal}: la programación de ${h.fiscalYear} T1 (1e+308) ${range}`);
    expect(view.goals.find((g) => g.goalCode === corruptGoal)?.state).toBe('dataError');

    // The workflow completed (not failed, not retrying): one failed attempt, marked non-retryable and typed.
    const description = await eventually(
      async () => {
        const d = await h.client.workflow.getHandle(reviewId).describe();
        return d.status.name === 'RUNNING' ? undefined : d;
      },
      { what: 'the SINF review workflow to close' },
    );
    expect(description.status.name).toBe('COMPLETED');
    expect(await h.client.workflow.getHandle(reviewId).result()).toBe('dataError');
    const history = await h.cycles.history(reviewId);
    const events = (history.events ?? []) as unknown as Record<string, Record<string, unknown>>[];
    const failed = events.filter((e) => String(e.eventType).includes('ACTIVITY_TASK_FAILED'));
    expect(failed).toHaveLength(1);
    const attributes = failed[0]!.activityTaskFailedEventAttributes as { failure: { message: string; applicationFailureInfo: { type: string; nonRetryable: boolean } }; retryState: string };
    expect(attributes.failure.applicationFailureInfo).toMatchObject({ type: 'InvalidStoredData', nonRetryable: true });
    expect(attributes.retryState).toBe('RETRY_STATE_NON_RETRYABLE_FAILURE');
    const attempts = events.filter((e) => String(e.eventType).includes('ACTIVITY_TASK_STARTED')).map((e) => (e.activityTaskStartedEventAttributes as { attempt: number }).attempt);
    expect(Math.max(...attempts)).toBe(1);

    // Recorded: the review row and the audit entry with the reason; no alert e-mail with a broken matrix.
    const [row] = await h.database.db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, reviewId));
    expect(row).toMatchObject({ status: 'dataError', outcome: 'dataError' });
    expect(row?.completedAt).not.toBeNull();
    const [audit] = await h.database.db
      .select()
      .from(t.auditLog)
      .where(and(eq(t.auditLog.subject, reviewId), eq(t.auditLog.action, 'review.dataError')));
    expect(audit?.details).toMatchObject({ reason: view.dataError?.reason, problems: view.dataError?.problems });
    const alerts = await h.database.db.select().from(t.outbox);
    expect(alerts.filter((m) => JSON.stringify(m.to).includes('enlace.infraestructura'))).toEqual([]);
  });

  it('shows the failure in the cycle monitor (API and page), with the reason', async () => {
    const monitor = await eventually(
      async () => {
        const res = await admin.get(`/api/cycles/${cycleId}/monitor`).expect(200);
        const sinf = (res.body.reviews as { departmentCode: string; state: string }[]).find((r) => r.departmentCode === 'SINF');
        return sinf?.state === 'dataError' ? res.body : undefined;
      },
      { what: 'the monitor to show SINF in dataError' },
    );
    const sinf = (monitor.reviews as { departmentCode: string; stateLabel: string; dataError: { reason: string; problems: string[] } | null }[]).find(
      (r) => r.departmentCode === 'SINF',
    );
    expect(sinf?.stateLabel).toBe('Error de datos');
    expect(sinf?.dataError?.reason).toMatch(/no se pueden procesar/);
    const page = await admin.get(`/ciclos/${cycleId}/estado`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('Error de datos');
    expect(page.text).toContain('no se pueden procesar');
  });

  it('refuses answers out of range with a Spanish 400 naming the goal and the quarter (API and form)', async () => {
    const reviewId = reviewOf('SSAL');
    const view = await eventually(
      async () => {
        const v = (await admin.get(`/api/reviews/${reviewId}`).expect(200)).body as ReviewView;
        return v.state === 'awaitingResponse' ? v : undefined;
      },
      { what: 'the SSAL review awaiting response (not blocked by SINF)' },
    );
    const liaison = await as('liaison', 'SSAL');
    const goal = view.goals[0]!.goalCode;
    const withTargets = (targets: unknown[]) => {
      const submission = answerAll(view, [goal]);
      (submission.answers[0] as { newQuarterlyTargets: unknown[] }).newQuarterlyTargets = targets;
      return submission;
    };
    const refused = async (body: unknown) => {
      const res = await liaison.post(`/api/reviews/${reviewId}/response`).send(body as object).expect(400);
      expect(res.body.error.code).toBe('invalid_input');
      return res.body.error.details as string[];
    };
    expect(await refused(withTargets([1, 2, 1e308, 4]))).toEqual([`Meta ${goal}, nueva programación T3: ${range}`]);
    expect(await refused(withTargets([-1, 2, 3, 4]))).toEqual([`Meta ${goal}, nueva programación T1: ${range}`]);
    expect(await refused(withTargets([1, 'NaN', 'Infinity', '1e308']))).toEqual([
      `Meta ${goal}, nueva programación T2: ${range}`,
      `Meta ${goal}, nueva programación T3: ${range}`,
      `Meta ${goal}, nueva programación T4: ${range}`,
    ]);
    expect(await refused(withTargets([6e11, 6e11, 0, 0]))).toEqual([
      `Meta ${goal}, nueva programación: la suma de los cuatro trimestres (1.200.000.000.000) supera el máximo de 1.000.000.000.000`,
    ]);
    // JSON's 1e400 parses to Infinity: refused the same way.
    const raw = JSON.stringify(withTargets([1, 2, 3, 4])).replace('"newQuarterlyTargets":[1,2,3,4]', '"newQuarterlyTargets":[1,2,3,1e400]');
    const infinite = await liaison.post(`/api/reviews/${reviewId}/response`).set('Content-Type', 'application/json').send(raw).expect(400);
    expect(infinite.body.error.details).toEqual([`Meta ${goal}, nueva programación T4: ${range}`]);

    // The liaison's form: the same message, what was typed kept in the form.
    const link = reviewLinkOf(reviewId, 'SSAL');
    const fields: Record<string, string> = { respondentName: 'Jorge Eliécer Bravo' };
    for (const g of view.goals) {
      fields[`action__${g.goalCode}`] = 'keep';
      fields[`justification__${g.goalCode}`] = 'La contratación se firmó tarde en la vigencia';
      fields[`commitment__${g.goalCode}`] = 'Recuperar el rezago en el segundo semestre';
    }
    Object.assign(fields, { [`action__${goal}`]: 'reprogram', [`q1__${goal}`]: '1', [`q2__${goal}`]: '2', [`q3__${goal}`]: '2.000.000.000.000', [`q4__${goal}`]: 'Infinity' });
    const form = await request(app).post(link).type('form').send(fields).expect(400);
    // Beside each field, naming the goal; T1 and T2 have elapsed (T3 review) and are not read from the post.
    expect(form.text).toMatch(new RegExp(`Nueva programación T3 de la meta ${goal} \\([^)]+\\): ${range.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(form.text).toContain(`Nueva programación T4 de la meta ${goal}`);
    expect(form.text).toContain('«Infinity» no es un número');
    expect(form.text).toContain('value="2.000.000.000.000"');

    // Nothing refused reached the review; a valid answer is taken and agreed: SSAL goes on normally.
    expect(((await admin.get(`/api/reviews/${reviewId}`).expect(200)).body as ReviewView).state).toBe('awaitingResponse');
    await liaison.post(`/api/reviews/${reviewId}/response`).send(answerAll(view)).expect(200);
    await eventually(async () => ((await admin.get(`/api/reviews/${reviewId}`).expect(200)).body as ReviewView).state === 'underAgreement', {
      what: 'SSAL under agreement',
    });
    const decided = await admin.post(`/api/reviews/${reviewId}/decision`).send({ decision: 'approve', coordinator: 'Coordinadora MMSE' }).expect(200);
    expect(decided.body.outcome).toBe('keptWithCommitment');
  });

  it('still serves the quarter\'s tablero and matrices, marking the goal with unusable data', async () => {
    const year = h.fiscalYear;
    const dashboard = await admin.get(`/api/dashboard?year=${year}&quarter=3`).expect(200);
    expect(dashboard.body.source).toBe('cycle');
    expect(dashboard.body.goals).toHaveLength(20);
    const marked = (dashboard.body.goals as { goalCode: string; status: string; expectedToDate: number | null; dataError?: string }[]).find((g) => g.goalCode === corruptGoal);
    expect(marked).toMatchObject({ status: 'notEvaluated', expectedToDate: null });
    expect(marked?.dataError).toMatch(/datos guardados inválidos/);
    expect(dashboard.body.invalidGoals.map((g: { goalCode: string }) => g.goalCode)).toContain(corruptGoal);

    await admin.get(`/api/dashboard?year=${year}&quarter=3&format=xlsx`).buffer(true).expect(200);
    await admin.get(`/api/dashboard?year=${year}&quarter=3&format=pptx`).buffer(true).expect(200);
    for (const kind of ['quarterly', 'cumulative', 'justification']) {
      await admin.get(`/api/matrices/${kind}?year=${year}&quarter=3`).buffer(true).expect(200);
      await admin.get(`/api/matrices/${kind}?year=${year}&quarter=3&department=SINF`).buffer(true).expect(200);
    }
    // The goal's own record and history still answer, showing what is stored.
    await admin.get(`/api/goals/${corruptGoal}/history`).expect(200);
    const viewer = await as('viewer');
    await viewer.get(`/metas/${corruptGoal}`).set('Accept', 'text/html').expect(200);
    const tablero = await viewer.get(`/tablero?anio=${year}&trimestre=3`).set('Accept', 'text/html').expect(200);
    expect(tablero.text).toContain('datos guardados que no se pueden usar');
    expect(tablero.text).toContain(corruptGoal);
  });
});

describe('numbers: the activities refuse unusable data without retrying', () => {
  let handle: DatabaseHandle;
  const year = 2026;
  beforeAll(async () => {
    handle = await openPglite();
    await loadDemoData(handle.db, { planYears: [year], progressYear: year });
  });
  afterAll(() => handle.close());

  const failureOf = async (run: () => Promise<unknown>) => {
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    return error as ApplicationFailure;
  };

  it('openResponseWindow: a recorded alert whose measurements overflowed (stored as null) fails as InvalidStoredData', async () => {
    const activities = createActivities({ db: handle.db, timeZone: 'America/Bogota' });
    const reviewWorkflowId = `revision-${year}-T2-SINF-prueba`;
    await activities.sendAlert({
      reviewWorkflowId,
      cycleWorkflowId: `revision-${year}-T2`,
      fiscalYear: year,
      quarter: 2,
      department: { code: 'SINF', name: 'Secretaría de Infraestructura', liaisonName: null, liaisonEmail: 'enlace@demo.gov.co' },
      goals: [],
    });
    // What an alert recorded before the limits looks like: Infinity went through JSON as null.
    const measurement = { accumulation: 'sum', annualTarget: 1e308, expectedToDate: null, executedToDate: 7, progressPercent: 0, annualPercent: 0 };
    await alterRecordsBehindTheApp(handle.db, 'alerts', (tx) =>
      tx.update(t.alerts).set({ goals: [{ goalCode: '2402002-01', name: 'Vías rurales mejoradas', status: 'behind', measurement }] }).where(eq(t.alerts.reviewWorkflowId, reviewWorkflowId)),
    );
    const failure = await failureOf(() => activities.openResponseWindow({ reviewWorkflowId, deadline: new Date().toISOString() }));
    expect(failure).toMatchObject({ type: 'InvalidStoredData', nonRetryable: true });
    expect(failure.details?.[0]).toEqual([
      'Meta 2402002-01: la programación anual medida (1e+308) debe ser un número finito entre 0 y 1.000.000.000.000',
      'Meta 2402002-01: lo esperado a la fecha (vacío) debe ser un número finito entre 0 y 1.000.000.000.000',
    ]);
  });

  it('applyReprogramming: an answer of 1e308 (accepted before the limits) is never written', async () => {
    const activities = createActivities({ db: handle.db, timeZone: 'America/Bogota' });
    const before = await handle.db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, '2402002-01'));
    const failure = await failureOf(() =>
      activities.applyReprogramming({
        reviewWorkflowId: `revision-${year}-T2-SINF-prueba`,
        fiscalYear: year,
        quarter: 2,
        department: { code: 'SINF', name: 'Secretaría de Infraestructura', liaisonName: null, liaisonEmail: null },
        approvedBy: 'Coordinadora MMSE',
        goals: [
          {
            goalCode: '2402002-01',
            answer: {
              goalCode: '2402002-01',
              action: 'reprogram',
              justification: 'Reprogramación registrada antes de los límites',
              commitment: 'Cumplir la nueva programación',
              newQuarterlyTargets: [1e308, 1e308, 1e308, 1e308],
            },
          },
        ],
      }),
    );
    expect(failure).toMatchObject({ type: 'InvalidStoredData', nonRetryable: true });
    expect(failure.details?.[0]).toContainEqual('Meta 2402002-01, newQuarterlyTargets.0: debe ser un número finito entre 0 y 1.000.000.000.000');
    expect(await handle.db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, '2402002-01'))).toEqual(before);
    expect(await handle.db.select().from(t.reprogrammings)).toEqual([]);
  });
});
