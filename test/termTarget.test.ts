import { and, eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { checkTermTarget, impliedTermTarget } from '../domain/termTarget';
import { AppError } from '../services/errors';
import { goalHistory } from '../services/goalHistory';
import { answerAll } from './support/answers';
import { registerTestAgreement } from './support/councilAgreements';
import request from 'supertest';
import { createHarness, createTestApp, reviewIn, reviewLinkOf, testDatabases, type Harness } from './support/harness';

describe('meta cuatrienio (pure rule)', () => {
  const sumGoal = {
    accumulation: 'sum' as const,
    termTarget: 160,
    annualTargets: [2024, 2025, 2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 40 })),
  };

  it('a suma goal keeps its total when the pending amount moves to a later year', () => {
    const check = checkTermTarget('G', sumGoal, { fiscalYear: 2026, newQuarterlyTargets: [3, 4, 10, 10], futureAnnualTargets: { '2027': 53 } });
    expect(check).toMatchObject({ ok: true, altersTermTarget: false, termTargetBefore: 160, termTargetAfter: 160, officialTermTarget: 160 });
  });

  it('lowering a year without moving the rest alters the meta cuatrienio', () => {
    expect(checkTermTarget('G', sumGoal, { fiscalYear: 2026, newQuarterlyTargets: [3, 4, 10, 10] })).toMatchObject({
      ok: true,
      altersTermTarget: true,
      termTargetAfter: 147,
    });
  });

  it('refuses moving amounts to a past year or outside the term', () => {
    const past = checkTermTarget('G', sumGoal, { fiscalYear: 2026, newQuarterlyTargets: [10, 10, 10, 10], futureAnnualTargets: { '2025': 1 } });
    expect(past).toEqual({ ok: false, message: expect.stringContaining('2025 no es una vigencia posterior') });
    const outside = checkTermTarget('G', sumGoal, { fiscalYear: 2026, newQuarterlyTargets: [10, 10, 10, 10], futureAnnualTargets: { '2031': 1 } });
    expect(outside.ok).toBe(false);
  });

  it('stock, capacidad and reducción goals are judged year by year against the official meta cuatrienio', () => {
    for (const accumulation of ['stock', 'capacity', 'reduction', 'annualReduction'] as const) {
      const level = { accumulation, termTarget: 95, annualTargets: [2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 95 })) };
      expect(impliedTermTarget(accumulation, level.annualTargets)).toBe(95);
      // The quarters move inside the year; the year's level (T4) stays at the meta cuatrienio.
      expect(checkTermTarget('G', level, { fiscalYear: 2026, newQuarterlyTargets: [90, 90, 92, 95] })).toMatchObject({ altersTermTarget: false });
      // Lowering 2026's level alone alters it now (before, only the last year was checked).
      expect(checkTermTarget('G', level, { fiscalYear: 2026, newQuarterlyTargets: [90, 90, 92, 93] })).toMatchObject({
        altersTermTarget: true,
        yearsOff: [{ fiscalYear: 2026, before: 95, after: 93 }],
        description: 'la meta cuatrienio es 95 y la programación de 2026 pasaría de 95 a 93, más lejos de ella',
      });
      expect(checkTermTarget('G', level, { fiscalYear: 2026, newQuarterlyTargets: [90, 90, 92, 95], futureAnnualTargets: { '2027': 90 } })).toMatchObject({
        altersTermTarget: true,
        termTargetAfter: 90,
        yearsOff: [{ fiscalYear: 2027, before: 95, after: 90 }],
      });
    }
  });

  it('compares with the official meta cuatrienio, not with what the old programming implied', () => {
    // The plan programs 30 a year (120) but the official meta cuatrienio is 160: keeping the total is
    // fine, moving towards 160 is fine, moving away from it alters the meta cuatrienio.
    const uneven = { accumulation: 'sum' as const, termTarget: 160, annualTargets: [2024, 2025, 2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 30 })) };
    expect(checkTermTarget('G', uneven, { fiscalYear: 2026, newQuarterlyTargets: [5, 5, 10, 10] })).toMatchObject({ altersTermTarget: false, officialTermTarget: 160 });
    expect(checkTermTarget('G', uneven, { fiscalYear: 2026, newQuarterlyTargets: [10, 10, 10, 10] })).toMatchObject({ altersTermTarget: false, termTargetAfter: 130 });
    expect(checkTermTarget('G', uneven, { fiscalYear: 2026, newQuarterlyTargets: [5, 5, 5, 5] })).toMatchObject({
      altersTermTarget: true,
      description: 'la meta cuatrienio pasaría de 120 a 110 (meta cuatrienio vigente: 160)',
    });
    // A goal whose official target was raised by an acuerdo (a new version): the same programming now falls short.
    const raised = { ...uneven, termTarget: 120 };
    expect(checkTermTarget('G', raised, { fiscalYear: 2026, newQuarterlyTargets: [10, 10, 10, 10] })).toMatchObject({ altersTermTarget: true });
  });

  it('flujo goals are judged year by year: cutting 2026 from 12 to 2 alters the meta cuatrienio', () => {
    const flow = { accumulation: 'flow' as const, termTarget: 12, annualTargets: [2024, 2025, 2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 12 })) };
    expect(impliedTermTarget('flow', flow.annualTargets)).toBe(48);
    expect(checkTermTarget('G', flow, { fiscalYear: 2026, newQuarterlyTargets: [2, 2, 2, 2] })).toMatchObject({
      ok: true,
      altersTermTarget: true,
      termTargetBefore: 48,
      termTargetAfter: 38,
    });
    expect(checkTermTarget('G', flow, { fiscalYear: 2026, newQuarterlyTargets: [2, 2, 2, 2] })).toMatchObject({
      yearsOff: [{ fiscalYear: 2026, before: 12, after: 2 }],
      description: 'la meta cuatrienio es 12 y la programación de 2026 pasaría de 12 a 2, más lejos de ella',
    });
    expect(checkTermTarget('G', flow, { fiscalYear: 2026, newQuarterlyTargets: [3, 6, 9, 12] })).toMatchObject({ altersTermTarget: false });
    // Cutting a later year (not only the last one) is flagged the same way.
    expect(checkTermTarget('G', flow, { fiscalYear: 2025, newQuarterlyTargets: [12, 12, 12, 12], futureAnnualTargets: { '2026': 2 } })).toMatchObject({
      altersTermTarget: true,
      yearsOff: [{ fiscalYear: 2026, before: 12, after: 2 }],
    });
  });
});

describe.each(testDatabases)('meta cuatrienio in a review on the real dev server (%s)', (database) => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('refuses a reprogramming that changes the four-year total unless an Acuerdo del Concejo is named', async () => {
    h = await createHarness({ database, planYears: (year) => [year, year + 1] });
    const year = h.fiscalYear;
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '5m' });
    const reviewId = `${workflowId}-SINF`;
    const view = await reviewIn(h, reviewId, 'awaitingResponse');
    const lowered = answerAll(view, ['2402002-01'], [3, 4, 10, 10]);

    const error = await h.cycles.submitResponse(reviewId, lowered).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/Acuerdo del Concejo/);
    expect((error as AppError).details.join(' ')).toMatch(/2402002-01: la meta cuatrienio pasaría de 80 a 67 \(meta cuatrienio vigente: 160\)/);

    // Moving the pending 13 km to next year keeps the total: accepted and applied to both years.
    const moved = {
      ...lowered,
      answers: lowered.answers.map((a) => (a.action === 'reprogram' ? { ...a, futureAnnualTargets: { [String(year + 1)]: 53 } } : a)),
    };
    expect((await h.cycles.submitResponse(reviewId, moved)).state).toBe('underAgreement');
    expect((await h.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora MMSE' })).outcome).toBe('reprogrammed');

    const versions = await h.database.db
      .select()
      .from(t.goalProgramming)
      .where(and(eq(t.goalProgramming.goalCode, '2402002-01')))
      .orderBy(t.goalProgramming.fiscalYear, t.goalProgramming.version);
    expect(versions.map((v) => [v.fiscalYear - year, v.version, v.annualTarget])).toEqual([
      [0, 1, 40],
      [0, 2, 27],
      [1, 1, 40],
      [1, 2, 53],
    ]);
    const [reprogramming] = await h.database.db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, reviewId));
    expect(reprogramming).toMatchObject({ altersTermTarget: false, councilAgreement: null, decisionRound: 1 });
    expect(reprogramming?.after).toMatchObject({ futureAnnualTargets: { [String(year + 1)]: 53 } });

    // With the Concejo's agreement named, the change is applied and recorded as altering the total.
    const ssalId = `${workflowId}-SSAL`;
    const ssal = await reviewIn(h, ssalId, 'awaitingResponse');
    const withAgreement = answerAll(ssal, ['1905002-01'], [0, 0, 1, 1]);
    const councilAgreementId = await registerTestAgreement(h.database.db, '1905002-01', '6');
    withAgreement.answers = withAgreement.answers.map((a) => (a.action === 'reprogram' ? { ...a, councilAgreementId } : a));
    await h.cycles.submitResponse(ssalId, withAgreement);
    await h.cycles.decide(ssalId, { decision: 'approve', coordinator: 'Coordinadora MMSE' });
    const [council] = await h.database.db.select().from(t.reprogrammings).where(eq(t.reprogrammings.reviewWorkflowId, ssalId));
    // Recomputed at application against the official meta cuatrienio, now the acuerdo's 6, which the
    // new programming (0 + 0 + 1 + 1 and 4 next year) meets: the record names the acuerdo it relied on.
    expect(council).toMatchObject({ goalCode: '1905002-01', altersTermTarget: false, councilAgreementId, councilAgreement: expect.stringMatching(/^Acuerdo T-.* del 15 de marzo de 2026 \(meta cuatrienio 6\)$/) });

    // The goal's full history: every version, the quarter's status and the review it went through.
    const history = await goalHistory(h.database.db, '2402002-01');
    expect(history.programming.map((v) => [v.fiscalYear - year, v.version, v.reprogramming?.reviewWorkflowId ?? null])).toEqual([
      [0, 1, null],
      [0, 2, reviewId],
      [1, 1, null],
      [1, 2, reviewId],
    ]);
    expect(history.statuses).toEqual([expect.objectContaining({ cycleWorkflowId: workflowId, quarter: 2, status: 'behind' })]);
    expect(history.reviews).toEqual([
      expect.objectContaining({
        reviewWorkflowId: reviewId,
        outcome: 'reprogrammed',
        states: expect.arrayContaining([expect.objectContaining({ state: 'reprogrammed' })]),
        answer: expect.objectContaining({ action: 'reprogram', newQuarterlyTargets: [3, 4, 10, 10] }),
      }),
    ]);
    expect(history.progress.map((p) => [p.quarter, p.executed])).toEqual([
      [1, 3],
      [2, 4],
    ]);
    await expect(goalHistory(h.database.db, 'NO-EXISTE')).rejects.toThrow('No existe la meta NO-EXISTE');
  });

  it('lets the liaison move the pending amount to next year in the form, and shows the refusal when the total changes', async () => {
    h = await createHarness({ database, planYears: (year) => [year, year + 1] });
    const year = h.fiscalYear;
    const { app } = await createTestApp(h);
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: year, quarter: 2, window: '5m' });
    const reviewId = `${workflowId}-SINF`;
    await reviewIn(h, reviewId, 'awaitingResponse');
    const link = reviewLinkOf(reviewId, 'SINF');
    const form = await request(app).get(link).expect(200);
    expect(form.text).toContain(`name="y${year + 1}__2402002-01"`);
    expect(form.text).toContain('Acuerdo del Concejo');

    const fields: Record<string, string> = {
      respondentName: 'María Fernanda Guerrero',
      'action__2402002-01': 'reprogram',
      'justification__2402002-01': 'Temporada de lluvias retrasó las obras',
      'commitment__2402002-01': 'Terminar los tramos pendientes el año siguiente',
      'q1__2402002-01': '3',
      'q2__2402002-01': '4',
      'q3__2402002-01': '10',
      'q4__2402002-01': '10',
      'action__2402003-01': 'keep',
      'justification__2402003-01': 'El contrato de obra se firmó en junio',
      'commitment__2402003-01': 'Iniciar la obra en el tercer trimestre',
    };
    const refused = await request(app).post(link).type('form').send(fields).expect(400);
    // T1 has elapsed (T2 review) and keeps its 10: 10 + 4 + 10 + 10 = 34 instead of 40.
    expect(refused.text).toContain('la meta cuatrienio pasaría de 80 a 74');
    await request(app)
      .post(link)
      .type('form')
      .send({ ...fields, [`y${year + 1}__2402002-01`]: '46' })
      .expect(200);
    const view = await h.cycles.reviewStatus(reviewId);
    expect(view.goals.find((g) => g.goalCode === '2402002-01')?.answer).toMatchObject({ futureAnnualTargets: { [String(year + 1)]: 46 } });
  });
});
