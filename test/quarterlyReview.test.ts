import { and, eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { responsesWithVerdicts } from '../db/responseVerdicts';
import { AppError } from '../services/errors';
import { reviewTimeline } from '../services/timeline';
import { answerAll } from './support/answers';
import { reviewIn, testDatabases, type Harness } from './support/harness';
import { saveHistories } from './support/histories';
import { createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

const expectAppError = async (promise: Promise<unknown>, code: string, message: RegExp) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect([(error as AppError).message, ...(error as AppError).details].join(' | ')).toMatch(message);
  return error as AppError;
};

/**
 * Deadlines pass when the test skips time on a Temporal test server of its own, never while it is
 * still acting: windows are hours long, yet each test takes seconds. The search attributes as
 * Temporal's UI lists them are checked on the dev server (cancellation.test.ts, cli.test.ts).
 */
describe.each(testDatabases)('quarterly review, deadlines on a time-skipping server (%s)', (database) => {
  let server: TimeSkippingServer;
  let opened: Harness | undefined;
  beforeEach(async () => {
    server = await startTimeSkippingServer();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
    await server.close();
  });

  it('runs PE-P-008 end to end: reprogramming, changes requested, and a constancia on timeout', async () => {
    const h = await harness();
    const year = h.fiscalYear;
    const started = await h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '2h', startedBy: 'operador.prueba' });
    expect(started).toEqual({ workflowId: `revision-${year}-T2`, created: true });
    // Starting the same quarter again returns the same workflow.
    expect(await h.cycles.startCycle({ fiscalYear: year, quarter: 2 })).toEqual({ workflowId: started.workflowId, created: false });

    const ssalId = `${started.workflowId}-SSAL`;
    const seduId = `${started.workflowId}-SEDU`;
    const sinfId = `${started.workflowId}-SINF`;

    // Salud answers: one goal reprogrammed, the others kept; the coordinator approves.
    const ssal = await reviewIn(h, ssalId, 'awaitingResponse');
    expect(ssal.goals.map((g) => g.goalCode).sort()).toEqual(['1905002-01', '1905003-01', '1906002-01', '1906003-01']);
    expect(Object.fromEntries(ssal.goals.map((g) => [g.goalCode, g.status]))).toEqual({
      '1905002-01': 'noReport',
      '1905003-01': 'overachieved',
      '1906002-01': 'overachieved',
      '1906003-01': 'behind',
    });
    const answered = await h.cycles.submitResponse(ssalId, answerAll(ssal, ['1905002-01'], [0, 0, 2, 2]));
    expect(answered.state).toBe('underAgreement');
    await reviewIn(h, ssalId, 'underAgreement');
    const approved = await h.cycles.decide(ssalId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    expect(approved.outcome).toBe('reprogrammed');
    expect(Object.fromEntries(approved.goals.map((g) => [g.goalCode, g.state]))).toEqual({
      '1905002-01': 'reprogrammed',
      '1905003-01': 'keptWithCommitment',
      '1906002-01': 'keptWithCommitment',
      '1906003-01': 'keptWithCommitment',
    });

    // Educación answers, the coordinator asks for changes, the liaison answers again, approved.
    const sedu = await reviewIn(h, seduId, 'awaitingResponse');
    await h.cycles.submitResponse(seduId, answerAll(sedu));
    await reviewIn(h, seduId, 'underAgreement');
    const changes = await h.cycles.decide(seduId, {
      decision: 'requestChanges',
      coordinator: 'Coordinadora MMSE',
      comment: 'Precise el compromiso con fechas por trimestre',
      window: '3h',
    });
    expect(changes.state).toBe('awaitingResponse');
    expect(changes.round).toBe(2);
    expect(changes.changeRequests).toHaveLength(1);
    expect(Date.parse(changes.deadline as string)).toBeGreaterThan(Date.parse(sedu.deadline as string));
    await h.cycles.submitResponse(seduId, answerAll(changes));
    await reviewIn(h, seduId, 'underAgreement');
    expect((await h.cycles.decide(seduId, { decision: 'approve', coordinator: 'Coordinadora MMSE' })).outcome).toBe('keptWithCommitment');

    // Infraestructura never answers: awaiting the cycle's result skips time to its deadline.
    const sinfDeadline = Date.parse((await h.cycles.reviewStatus(sinfId)).deadline as string);
    const summary = await h.client.workflow.getHandle(started.workflowId).result();
    expect(await server.now()).toBeGreaterThanOrEqual(sinfDeadline);
    expect(summary.outcomes).toEqual({ SSAL: 'reprogrammed', SEDU: 'keptWithCommitment', SINF: 'noAdjustment' });
    expect(summary.totals).toEqual({ onTrack: 9, noReport: 3, overachieved: 4, behind: 4 });

    const status = await h.cycles.cycleStatus(started.workflowId);
    expect(status.execution).toBe('COMPLETED');
    expect(status.cycle.phase).toBe('completed');
    expect(status.reviews.map((r) => [r.department.code, r.state])).toEqual([
      ['SEDU', 'keptWithCommitment'],
      ['SINF', 'noAdjustment'],
      ['SSAL', 'reprogrammed'],
    ]);
    expect(status.cycle.goals).toHaveLength(20);

    // The records the municipality keeps.
    const { db } = h.database;
    const versions = await db
      .select()
      .from(t.goalProgramming)
      .where(and(eq(t.goalProgramming.goalCode, '1905002-01'), eq(t.goalProgramming.fiscalYear, year)))
      .orderBy(t.goalProgramming.version);
    expect(versions.map((v) => [v.version, v.annualTarget, v.quarterlyTargets])).toEqual([
      [1, 4, [1, 1, 1, 1]],
      [2, 4, [0, 0, 2, 2]],
    ]);
    const [reprogramming] = await db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, ssalId));
    expect(reprogramming).toMatchObject({ goalCode: '1905002-01', approvedBy: 'Coordinadora MMSE' });
    expect(reprogramming?.before).toEqual({ annualTarget: 4, quarterlyTargets: [1, 1, 1, 1] });

    const records = await db.select().from(t.records);
    const constancia = records.find((r) => r.reviewWorkflowId === sinfId);
    expect(constancia?.kind).toBe('noAdjustment');
    expect(constancia?.goalCodes.sort()).toEqual(['2402002-01', '2402003-01']);
    expect(constancia?.body).toContain('CONSTANCIA DE NEGATIVA DE AJUSTES');
    expect(records.filter((r) => r.kind === 'commitment').map((r) => r.reviewWorkflowId).sort()).toEqual([seduId, ssalId]);

    const decisions = await db.select().from(t.decisions).where(eq(t.decisions.reviewWorkflowId, seduId)).orderBy(t.decisions.round);
    expect(decisions.map((d) => [d.round, d.decision])).toEqual([
      [1, 'requestChanges'],
      [2, 'approve'],
    ]);
    const responses = await responsesWithVerdicts(db);
    expect(responses.map((r) => r.accepted)).toEqual([true, true, true]);

    const sinfSteps = await db
      .select()
      .from(t.goalReviewStates)
      .where(and(eq(t.goalReviewStates.reviewWorkflowId, sinfId), eq(t.goalReviewStates.goalCode, '2402003-01')))
      .orderBy(t.goalReviewStates.sequence);
    expect(sinfSteps.map((s) => s.state)).toEqual(['noReport', 'alerted', 'awaitingResponse', 'noAdjustment']);

    const actions = (await db.select({ action: t.auditLog.action }).from(t.auditLog)).map((a) => a.action);
    expect(actions.filter((a) => a === 'alert.sent')).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(['cycle.started', 'noAdjustment.recorded', 'reprogramming.applied', 'cycle.completed']));

    // The constancia was recorded when the deadline passed, not before.
    const recorded = reviewTimeline(await h.cycles.history(sinfId)).find((e) => e.kind === 'noAdjustmentRecorded');
    expect(Date.parse(recorded?.time as string)).toBeGreaterThanOrEqual(sinfDeadline);

    await saveHistories(h.client, 'end-to-end', [started.workflowId, ssalId, seduId, sinfId]);
  });

  it("rejects bad, unknown, incomplete, duplicate and late responses with the workflow's messages", async () => {
    const h = await harness();
    const year = h.fiscalYear;
    await expectAppError(h.cycles.startCycle({ fiscalYear: 2019, quarter: 2 }), 'year_outside_plan', /2019 no hace parte del plan/);
    await expectAppError(h.cycles.startCycle({ fiscalYear: year, quarter: 5 }), 'invalid_input', /trimestre debe estar entre 1 y 4/);
    await expectAppError(h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '3x' }), 'invalid_input', /plazo inválido/);

    const { workflowId } = await h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '2h' });
    const sinfId = `${workflowId}-SINF`;
    const ssalId = `${workflowId}-SSAL`;
    const sinf = await reviewIn(h, sinfId, 'awaitingResponse');
    const valid = answerAll(sinf);

    await expectAppError(
      h.cycles.submitResponse(sinfId, { ...valid, answers: valid.answers.map((a) => ({ ...a, justification: '' })) }),
      'invalid_input',
      /Meta 2402002-01, justificación: escriba al menos 10 caracteres/,
    );
    await expectAppError(h.cycles.submitResponse(sinfId, { respondent: { name: 'Enlace' } }), 'invalid_input', /answers/);
    await expectAppError(
      h.cycles.submitResponse(sinfId, { ...valid, answers: [...valid.answers, { ...valid.answers[0], goalCode: '9999999-99' }] }),
      'invalid_input',
      /no hacen parte de esta revisión: 9999999-99/,
    );
    await expectAppError(
      h.cycles.submitResponse(sinfId, { ...valid, answers: valid.answers.slice(0, 1) }),
      'invalid_input',
      /Falta responder estas metas: 2402003-01/,
    );
    await expectAppError(
      h.cycles.decide(sinfId, { decision: 'approve', coordinator: 'Coordinadora MMSE' }),
      'conflict',
      /No hay una respuesta de la dependencia pendiente de decisión/,
    );

    const ssal = await reviewIn(h, ssalId, 'awaitingResponse');
    await h.cycles.submitResponse(ssalId, answerAll(ssal));
    await expectAppError(h.cycles.submitResponse(ssalId, answerAll(ssal)), 'conflict', /ya respondió/);
    await reviewIn(h, ssalId, 'underAgreement');
    await expectAppError(
      h.cycles.decide(ssalId, { decision: 'requestChanges', coordinator: 'Coordinadora MMSE' }),
      'invalid_input',
      /comentario/,
    );

    // After the deadline: the constancia is recorded and a late answer is refused.
    expect((await h.cycles.reviewStatus(sinfId)).state).toBe('awaitingResponse');
    await server.skip('2h');
    await reviewIn(h, sinfId, 'noAdjustment');
    await expectAppError(h.cycles.submitResponse(sinfId, valid), 'deadline_passed', /venció/);

    const stored = await responsesWithVerdicts(h.database.db);
    expect(stored).toHaveLength(7);
    expect(stored.filter((r) => r.accepted === true)).toHaveLength(1);
    expect(stored.filter((r) => r.accepted === false).every((r) => (r.rejectionReason ?? '').length > 0)).toBe(true);
    await expectAppError(h.cycles.cycleStatus(`revision-${year}-T4`), 'not_found', /No existe el ciclo/);
  });

  it('extends a deadline: the review keeps waiting past the original deadline and accepts the answer', async () => {
    const h = await harness();
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '2h' });
    const sinfId = `${workflowId}-SINF`;
    const seduId = `${workflowId}-SEDU`;
    const sinf = await reviewIn(h, sinfId, 'awaitingResponse');

    await expectAppError(
      h.cycles.extendDeadline(sinfId, { coordinator: 'Coordinadora MMSE', reason: 'Solicitud del secretario', window: 'mañana' }),
      'invalid_input',
      /plazo inválido/,
    );
    const extended = await h.cycles.extendDeadline(sinfId, {
      coordinator: 'Coordinadora MMSE',
      reason: 'Solicitud del secretario de despacho',
      window: '3h',
    });
    expect(Date.parse(extended.deadline as string) - Date.parse(sinf.deadline as string)).toBe(3 * 3_600_000);
    expect(extended.extensions).toHaveLength(1);

    // Past the original deadline: Educación, not extended, gets its constancia; Infraestructura waits.
    await server.skip('2h');
    expect(await server.now()).toBeGreaterThan(Date.parse(sinf.deadline as string));
    await reviewIn(h, seduId, 'noAdjustment');
    expect((await h.cycles.reviewStatus(sinfId)).state).toBe('awaitingResponse');
    const answered = await h.cycles.submitResponse(sinfId, answerAll(sinf));
    expect(answered.state).toBe('underAgreement');
    await saveHistories(h.client, 'deadline-extension', [sinfId]);
  });

  async function harness() {
    opened = await createTimeSkippingHarness(server, { database });
    return opened;
  }
});
