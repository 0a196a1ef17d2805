import { eq } from 'drizzle-orm';
import type { ApplicationFailure } from '@temporalio/common';
import { createAudit } from '../activities/audit';
import { createProgrammingActivities } from '../activities/programming';
import { loadDemoData } from '../db/demo';
import * as t from '../db/schema';
import type { GoalAnswer } from '../domain/review';
import { answerAll } from './support/answers';
import { openPglite } from './support/pglite';
import { createHarness, createTestApp, reviewIn, type Harness } from './support/harness';

const reprogram = (newQuarterlyTargets: [number, number, number, number]): GoalAnswer => ({
  goalCode: '2402002-01',
  action: 'reprogram',
  justification: 'La temporada de lluvias retrasó las obras',
  commitment: 'Terminar los tramos pendientes en el semestre',
  newQuarterlyTargets,
});

describe('closed periods when the agreement is applied (activities/programming)', () => {
  it('refuses an elapsed quarter at the application date and never touches executed values', async () => {
    const handle = await openPglite();
    try {
      const { db } = handle;
      await loadDemoData(db, { planYears: [2030, 2031], progressYear: 2030 });
      const progressBefore = await db.select().from(t.goalProgress).where(eq(t.goalProgress.goalCode, '2402002-01'));
      // Decided in May 2030: T1 has elapsed, T2–T4 have not.
      const { applyReprogramming } = createProgrammingActivities({ db, audit: createAudit(db), now: () => new Date('2030-05-02T15:00:00Z') });
      const ref = { reviewWorkflowId: 'revision-2030-T1-SINF', fiscalYear: 2030, quarter: 1, department: { code: 'SINF', name: 'Infraestructura', liaisonName: null, liaisonEmail: null } };

      const refused = (await applyReprogramming({ ...ref, approvedBy: 'Coordinadora MMSE', goals: [{ goalCode: '2402002-01', answer: reprogram([3, 10, 13, 14]) }] }).catch(
        (e: unknown) => e,
      )) as ApplicationFailure;
      expect(refused.message).toBe('La reprogramación no se aplica: La meta 2402002-01: el trimestre T1 de 2030 ya transcurrió; su programación no se puede cambiar');
      expect(refused.nonRetryable).toBe(true);
      expect(await db.select().from(t.reprogrammings)).toEqual([]);

      await applyReprogramming({ ...ref, approvedBy: 'Coordinadora MMSE', goals: [{ goalCode: '2402002-01', answer: reprogram([10, 5, 12, 13]) }] });
      const versions = await db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, '2402002-01'));
      expect(versions.filter((v) => v.fiscalYear === 2030).map((v) => [v.version, v.quarterlyTargets])).toEqual([
        [1, [10, 10, 10, 10]],
        [2, [10, 5, 12, 13]],
      ]);
      // Executed values are the progress reports: the reprogramming wrote none of them.
      expect(await db.select().from(t.goalProgress).where(eq(t.goalProgress.goalCode, '2402002-01'))).toEqual(progressBefore);
    } finally {
      await handle.close();
    }
  });

  it('refuses reprogramming a closed vigencia at the application date', async () => {
    const handle = await openPglite();
    try {
      const { db } = handle;
      await loadDemoData(db, { planYears: [2030, 2031], progressYear: 2030 });
      const { applyReprogramming } = createProgrammingActivities({ db, audit: createAudit(db), now: () => new Date('2031-01-15T15:00:00Z') });
      const ref = { reviewWorkflowId: 'revision-2030-T4-SINF', fiscalYear: 2030, quarter: 4, department: { code: 'SINF', name: 'Infraestructura', liaisonName: null, liaisonEmail: null } };
      const refused = (await applyReprogramming({ ...ref, approvedBy: 'Coordinadora MMSE', goals: [{ goalCode: '2402002-01', answer: reprogram([10, 10, 10, 12]) }] }).catch(
        (e: unknown) => e,
      )) as ApplicationFailure;
      expect(refused.message).toContain('La meta 2402002-01: la vigencia 2030 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar');
    } finally {
      await handle.close();
    }
  });
});

describe('closed periods through the JSON API', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('refuses reprogramming a closed vigencia (2023) with the goal and the year, and takes an answer that keeps it', async () => {
    h = await createHarness({ fiscalYear: 2023, planYears: (year) => [year, year + 1] });
    const { as } = await createTestApp(h);
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: 2023, quarter: 2, window: '5m' });
    const reviewId = `${workflowId}-SINF`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const liaison = await as('liaison', 'SINF');

    // The total is kept (3 + 4 + 16,5 + 16,5 = 40), so only the closed period refuses it.
    const refused = await liaison.post(`/api/reviews/${reviewId}/response`).send(answerAll(view, ['2402002-01'], [3, 4, 16.5, 16.5])).expect(400);
    expect(refused.body.error).toMatchObject({
      code: 'invalid_input',
      message: 'La meta 2402002-01: la vigencia 2023 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar',
    });
    const moved = answerAll(view, ['2402002-01'], [10, 10, 10, 10]);
    moved.answers = moved.answers.map((a) => (a.action === 'reprogram' ? { ...a, futureAnnualTargets: { '2024': 45 } } : a));
    const intoClosed = await liaison.post(`/api/reviews/${reviewId}/response`).send(moved).expect(400);
    expect(intoClosed.body.error.details).toEqual(['La meta 2402002-01: la vigencia 2024 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar']);

    const kept = await liaison.post(`/api/reviews/${reviewId}/response`).send(answerAll(view, [])).expect(200);
    expect(kept.body.respondent).toMatchObject({ name: 'Enlace de prueba' });
  });
});
