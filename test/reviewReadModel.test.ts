import { Client, Connection } from '@temporalio/client';
import { createCycleService } from '../services/cycles';
import { readCycleStatus } from '../services/reviewReadModel';
import { defaultThresholds } from '../domain/goals';
import { createApp } from '../server/app';
import { createAppServices } from '../services/appServices';
import { createAuth, createApiToken, createUser } from '../auth';
import { authPages } from '../server/views/errorPages';
import request from 'supertest';
import type { ReviewView } from '../workflows/types';
import { answerAll } from './support/answers';
import { TEST_NAMESPACE } from './support/constants';
import { eventually, reviewIn, testAppSecret, type Harness } from './support/harness';
import { closedWithoutSkipping, createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

/**
 * The monitor, `GET /api/cycles/:id` and `metas cycle status` read the reviews from the records the
 * activities keep at every step (services/reviewReadModel), not from one workflow query per
 * review. At every step of a review the recorded view must equal the workflow's own query.
 * The reminder and the deadline come when the test skips time on its own test server.
 */
describe('review read model', () => {
  let h: Harness;
  let server: TimeSkippingServer;
  beforeAll(async () => {
    server = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
  });

  it('follows every step of the reviews exactly as the workflows report them, and answers without Temporal', async () => {
    h = await createTimeSkippingHarness(server, { planYears: (year) => [year, year + 1] });
    const { db } = h.database;
    const year = h.fiscalYear;
    const { workflowId: cycleId } = await h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '2h', reminders: '1h' });
    const ssalId = `${cycleId}-SSAL`;
    const seduId = `${cycleId}-SEDU`;
    const sinfId = `${cycleId}-SINF`;

    /** The recorded view equals the workflow's query (polled: some steps are the workflow's own). */
    const sameAsWorkflow = (reviewId: string, what: string) =>
      eventually(
        async () => {
          const [fromWorkflow, recorded] = await Promise.all([h.cycles.reviewStatus(reviewId), readCycleStatus(db, cycleId)]);
          const fromRecords = recorded?.reviews.find((r) => r.workflowId === reviewId);
          expect(fromRecords).toEqual(fromWorkflow);
          return fromRecords as ReviewView;
        },
        { what: `${reviewId} recorded as the workflow reports it (${what})`, timeoutMs: 90_000 },
      );

    // Alerted, window opened with its deadline: every review awaits its answer.
    for (const id of [ssalId, seduId, sinfId]) await reviewIn(h, id, 'awaitingResponse');
    const waiting = await sameAsWorkflow(ssalId, 'awaiting response');
    expect(waiting.deadline).not.toBeNull();
    expect(waiting.alertedAt).not.toBeNull();
    expect(waiting.goals.length).toBeGreaterThan(1);
    expect(waiting.goals[0]?.programming.annualTarget).not.toBeNull();
    expect(waiting.goals[0]?.term?.annualTargets.map((y) => y.fiscalYear)).toEqual([year, year + 1]);

    // Answered (one goal reprogrammed): under agreement, with the respondent.
    const reprogrammed = waiting.goals[0]?.goalCode as string;
    await h.cycles.submitResponse(ssalId, answerAll(waiting, [reprogrammed], [0, 0, 2, 2]));
    const answered = await sameAsWorkflow(ssalId, 'answered');
    expect(answered.state).toBe('underAgreement');
    expect(answered.respondent?.name).toBe('Enlace de prueba');
    expect(answered.allowedActions).toEqual(['decide', 'addNote', 'cancelReview']);

    // Changes requested: round 2, the respondent cleared, a new deadline.
    await h.cycles.decide(ssalId, { decision: 'requestChanges', coordinator: 'Coordinadora MMSE', comment: 'Precise las fechas del compromiso', window: '2h' });
    const changes = await sameAsWorkflow(ssalId, 'changes requested');
    expect(changes).toMatchObject({ state: 'awaitingResponse', round: 2, respondent: null });
    expect(changes.changeRequests).toHaveLength(1);

    // A note, then answered again and approved: reprogrammed.
    await h.cycles.addNote(ssalId, { coordinator: 'Coordinadora MMSE', text: 'Llamar al enlace el lunes' });
    expect((await sameAsWorkflow(ssalId, 'noted')).notes?.map((n) => n.text)).toEqual(['Llamar al enlace el lunes']);
    await h.cycles.submitResponse(ssalId, answerAll(changes, [reprogrammed], [0, 0, 2, 2]));
    expect((await sameAsWorkflow(ssalId, 'answered again')).respondent).not.toBeNull();
    await h.cycles.decide(ssalId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    await closedWithoutSkipping(h, ssalId);
    const done = await sameAsWorkflow(ssalId, 'reprogrammed');
    expect(done).toMatchObject({ state: 'reprogrammed', outcome: 'reprogrammed', allowedActions: [] });
    // The review still shows the programming it started with, not the one it applied.
    expect(done.goals.find((g) => g.goalCode === reprogrammed)?.programming).toEqual(waiting.goals[0]?.programming);

    // Cancelled with a reason.
    await h.cycles.cancelReview(seduId, { cancelledBy: 'Cuenta operador', reason: 'La dependencia fue liquidada este trimestre' });
    await closedWithoutSkipping(h, seduId);
    const cancelled = await sameAsWorkflow(seduId, 'cancelled');
    expect(cancelled.cancellation).toMatchObject({ reason: 'La dependencia fue liquidada este trimestre', by: 'Cuenta operador' });

    // Extended, reminded an hour before the new deadline, then the deadline passes: the constancia de negativa.
    await h.cycles.extendDeadline(sinfId, { coordinator: 'Coordinadora MMSE', reason: 'Cierre contable de la dependencia', window: '1h' });
    const extended = await sameAsWorkflow(sinfId, 'extended');
    expect(extended.extensions).toHaveLength(1);
    expect(extended.remindersSent).toBe(0);
    await server.skip(Date.parse(extended.deadline as string) - 3_600_000 + 1_000 - (await server.now()));
    const reminded = await eventually(
      async () => {
        const view = await h.cycles.reviewStatus(sinfId);
        return (view.remindersSent ?? 0) > 0 ? view : undefined;
      },
      { what: 'a reminder sent to SINF', timeoutMs: 90_000 },
    );
    expect(reminded).toMatchObject({ state: 'awaitingResponse', remindersSent: 1 });
    // Awaiting the result skips to the deadline.
    await h.client.workflow.getHandle(sinfId).result();
    const negativa = await sameAsWorkflow(sinfId, 'no adjustment');
    expect(negativa).toMatchObject({ state: 'noAdjustment', outcome: 'noAdjustment', respondent: null });
    expect(negativa.remindersSent).toBeGreaterThan(0);

    // Temporal unreachable: the cycle, its monitor and its pages still answer from the records.
    const closed = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS as string });
    await closed.close();
    const offline = createCycleService({ client: new Client({ connection: closed, namespace: TEST_NAMESPACE }), db, taskQueue: h.taskQueue, defaultWindow: '1m', thresholds: defaultThresholds });
    await expect(offline.reviewStatus(ssalId)).rejects.toThrow();
    const status = await offline.cycleStatus(cycleId);
    expect(status.reviews.map((r) => [r.department.code, r.state, r.outcome])).toEqual([
      ['SEDU', 'cancelled', 'cancelled'],
      ['SINF', 'noAdjustment', 'noAdjustment'],
      ['SSAL', 'reprogrammed', 'reprogrammed'],
    ]);
    expect(status.cycle.departments.map((d) => [d.code, d.outcome])).toEqual([
      ['SEDU', 'cancelled'],
      ['SINF', 'noAdjustment'],
      ['SSAL', 'reprogrammed'],
    ]);
    expect(status.cycle.goals.length).toBeGreaterThan(0);
    expect(status).toEqual(await readCycleStatus(db, cycleId));

    const auth = createAuth({ db, pages: authPages, secret: testAppSecret, secureCookies: false });
    const app = createApp({ cycles: offline, services: createAppServices(db), auth, log: () => undefined });
    const viewer = await createUser(db, { email: 'lector.modelo@pruebas.gov.co', name: 'Cuenta lector', role: 'viewer', password: 'una clave de pruebas suficientemente larga' });
    const { token } = await createApiToken(db, { userId: viewer.id, name: 'pruebas' });
    const monitor = await request(app).get(`/api/cycles/${cycleId}/monitor`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(monitor.body.reviews.map((r: { departmentCode: string; state: string; stateLabel: string; running: boolean }) => [r.departmentCode, r.state, r.stateLabel, r.running])).toEqual([
      ['SEDU', 'cancelled', 'Cancelada', false],
      ['SINF', 'noAdjustment', 'Negativa registrada', false],
      ['SSAL', 'reprogrammed', 'Reprogramada', false],
    ]);
    expect(monitor.body.reviews.find((r: { departmentCode: string }) => r.departmentCode === 'SEDU').cancellation.reason).toBe('La dependencia fue liquidada este trimestre');
    expect(monitor.body.reviews.every((r: { flaggedGoals: number }) => r.flaggedGoals > 0)).toBe(true);
    // Every role that reads the monitor reaches the constancia from it: linked on the row, and the PDF downloads.
    type Row = { departmentCode: string; documents: { id: number; label: string }[] };
    const documentsOf = (code: string) => (monitor.body.reviews as Row[]).find((r) => r.departmentCode === code)?.documents;
    expect(documentsOf('SINF')).toEqual([expect.objectContaining({ label: 'Constancia de negativa de ajustes' })]);
    expect(documentsOf('SEDU')).toEqual([]);
    const constancia = documentsOf('SINF')![0]!;
    const pdf = await request(app).get(`/api/documents/${constancia.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(pdf.headers['content-type']).toMatch(/application\/pdf/);
    const page = await request(app).get(`/ciclos/${cycleId}`).set('Authorization', `Bearer ${token}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(`href="/api/documents/${constancia.id}"`);
    expect(page.text).toContain('Constancia de negativa de ajustes (PDF)');
    const api = await request(app).get(`/api/cycles/${cycleId}`).set('Authorization', `Bearer ${token}`).expect(200);
    expect(api.body.reviews).toHaveLength(3);
  }, 300_000);
});
