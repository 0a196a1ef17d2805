import { eq, like } from 'drizzle-orm';
import * as t from '../db/schema';
import { reviewTimeline } from '../services/timeline';
import { AppError } from '../services/errors';
import { answerAll } from './support/answers';
import { registerTestAgreement, termTargetOf } from './support/councilAgreements';
import { saveHistories } from './support/histories';
import request from 'supertest';
import { createHarness, createTestApp, eventually, reviewIn, reviewLinkOf, type Harness } from './support/harness';

const reason = 'La secretaría fue fusionada por el Decreto 0120 de 2026';

describe('cancelling a department review', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('ends a review waiting for its answer: recorded with the reason, the department told, the link closed to answers', async () => {
    h = await createHarness({ defaultWindow: '10m' });
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    const reviewId = `${workflowId}-SINF`;
    const waiting = await reviewIn(h, reviewId, 'awaitingResponse');
    expect(waiting.allowedActions).toContain('cancelReview');

    const { as, app } = await createTestApp(h);
    const liaison = await as('liaison', 'SINF');
    expect((await liaison.post(`/api/reviews/${reviewId}/cancellation`).send({ reason })).status).toBe(403);
    const operator = await as('operator');
    const missingReason = await operator.post(`/api/reviews/${reviewId}/cancellation`).send({ reason: 'porque' });
    expect(missingReason.status).toBe(400);
    expect(JSON.stringify(missingReason.body)).toMatch(/motivo/);

    const cancelled = await operator.post(`/api/reviews/${reviewId}/cancellation`).send({ reason });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', outcome: 'cancelled', allowedActions: [] });
    expect(cancelled.body.cancellation).toMatchObject({ reason, by: 'Cuenta operator' });
    expect(cancelled.body.goals.every((g: { state: string }) => g.state === 'cancelled')).toBe(true);

    const { db } = h.database;
    const [audit] = await db.select().from(t.auditLog).where(eq(t.auditLog.idempotencyKey, `${reviewId}:cancelled`));
    expect(audit).toMatchObject({ action: 'review.cancelled', actor: 'Cuenta operator', details: expect.objectContaining({ reason }) });
    const [mail] = await db.select().from(t.outbox).where(like(t.outbox.idempotencyKey, `${reviewId}:cancelled`));
    expect(mail?.subject).toMatch(/Revisión cancelada/);
    expect(mail?.text).toContain(reason);
    await eventually(async () => {
      const [stored] = await db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, reviewId));
      return stored?.outcome === 'cancelled' && stored.status === 'cancelled';
    }, { what: 'the review stored as cancelled' });

    // Nothing else can happen to it: the answer is refused with the reason.
    const late = await h.cycles.submitResponse(reviewId, answerAll(waiting)).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(AppError);
    expect((late as AppError).message).toMatch(/ya terminó/);
    const again = await operator.post(`/api/reviews/${reviewId}/cancellation`).send({ reason });
    expect(again.status).toBe(409);
    // The liaison's e-mailed link says so instead of offering the form.
    const link = await request(app).get(reviewLinkOf(reviewId, 'SINF'));
    expect(link.status).toBe(200);
    expect(link.text).toContain('Esta revisión fue cancelada por Cuenta operator');
    expect(link.text).not.toContain('<textarea');

    // The cycle counts it and the other departments go on.
    const cycle = await eventually(async () => {
      const status = await h!.cycles.cycleStatus(workflowId);
      return status.cycle.departments.find((d) => d.code === 'SINF')?.outcome === 'cancelled' ? status : undefined;
    });
    expect(cycle.reviews.filter((r) => r.state === 'awaitingResponse').length).toBeGreaterThan(0);

    // Search attributes as the Temporal UI lists them (the dev server's visibility; the test server has none).
    const listed = await eventually(
      async () => {
        const found = [];
        for await (const wf of h!.client.workflow.list({ query: `FiscalYear = ${h!.fiscalYear} AND DepartmentCode = 'SINF'` })) found.push(wf);
        return found.length === 1 && found[0]?.searchAttributes.ReviewStatus?.[0] === 'cancelled' ? found : undefined;
      },
      { what: 'visibility of the SINF review' },
    );
    expect(listed[0]?.workflowId).toBe(reviewId);
    expect(listed[0]?.searchAttributes.Quarter).toEqual([2]);

    const timeline = reviewTimeline(await h.cycles.history(reviewId));
    const entry = timeline.find((e) => e.kind === 'reviewCancelled');
    expect(entry).toMatchObject({ actor: 'Cuenta operator', detail: reason });
    expect(timeline.at(-1)).toMatchObject({ kind: 'reviewCompleted', detail: 'Cancelada' });
    await saveHistories(h.client, 'cancellation', [reviewId]);
  });

  it('ends a review under agreement without applying the proposed reprogramming', async () => {
    h = await createHarness({ defaultWindow: '10m' });
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    const reviewId = `${workflowId}-SINF`;
    const waiting = await reviewIn(h, reviewId, 'awaitingResponse');
    const reprogrammed = waiting.goals[0]!.goalCode;
    const answer = answerAll(waiting, [reprogrammed]);
    const councilAgreementId = await registerTestAgreement(h.database.db, reprogrammed, termTargetOf(waiting, reprogrammed, [1, 2, 3, 4]));
    const authorised = { ...answer, answers: answer.answers.map((a) => (a.action === 'reprogram' ? { ...a, councilAgreementId } : a)) };
    expect((await h.cycles.submitResponse(reviewId, authorised)).state).toBe('underAgreement');
    const versionsBefore = await h.database.db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, reprogrammed));

    const view = await h.cycles.cancelReview(reviewId, { cancelledBy: 'Coordinadora MMSE', reason });
    expect(view).toMatchObject({ state: 'cancelled', outcome: 'cancelled' });
    const versionsAfter = await h.database.db.select().from(t.goalProgramming).where(eq(t.goalProgramming.goalCode, reprogrammed));
    expect(versionsAfter).toHaveLength(versionsBefore.length);
    // Each step's snapshot is rebuilt by the activity from the event the workflow sent: the stored
    // machine states end where the workflow's did, with the answer and the cancellation in context.
    const steps = await eventually(async () => {
      const rows = await h!.database.db.select().from(t.goalReviewStates).where(eq(t.goalReviewStates.reviewWorkflowId, reviewId));
      return rows.some((r) => r.state === 'cancelled') ? rows : undefined;
    }, { what: 'the cancelled steps stored' });
    for (const goal of view.goals) {
      const own = steps.filter((r) => r.goalCode === goal.goalCode).sort((a, b) => a.sequence - b.sequence);
      expect(own.map((r) => r.event)).toEqual(['progress.reported', 'alert.sent', 'response.window.opened', 'response.submitted', 'agreement.opened', 'review.cancelled']);
      const last = own.at(-1)!.snapshot as { value: string; context: { answer: unknown; cancellation: { reason: string } } };
      expect(last.value).toBe('cancelled');
      expect(last.context.answer).toEqual(goal.answer);
      expect(last.context.cancellation.reason).toBe(reason);
    }
    const decision = await h.cycles.decide(reviewId, { decision: 'approve', coordinator: 'Coordinadora MMSE' }).catch((e: unknown) => e);
    expect((decision as AppError).message).toMatch(/ya terminó/);
  });
});
