import { and, eq, inArray } from 'drizzle-orm';
import { answerAll } from './support/answers';
import * as t from '../db/schema';
import { updateDepartment } from '../services/departments';
import { createHarness, eventually, reviewIn, type Harness } from './support/harness';
import { createTimeSkippingHarness, startTimeSkippingServer, type TimeSkippingServer } from './support/timeSkipping';

const reason = 'La secretaría fue fusionada por el Decreto 0120 de 2026';

/** One department's trouble stays that department's: the cycle and the other reviews go on. */
describe('a department review in trouble', () => {
  let h: Harness | undefined;
  let server: TimeSkippingServer | undefined;
  afterEach(async () => {
    await h?.close();
    await server?.close();
    h = server = undefined;
  });

  it('an e-mail refused for good (no liaison, no coordination address) becomes a note, and the review waits and ends as usual', async () => {
    server = await startTimeSkippingServer();
    h = await createTimeSkippingHarness(server, { defaultWindow: '2h' });
    const { db } = h.database;
    // SINF and SEDU have no liaison address, and this installation has no COORDINATOR_EMAIL: nobody to send their e-mails to.
    // Changed as a new version (an alert goes to the version current when it is recorded).
    for (const code of ['SINF', 'SEDU']) await updateDepartment(db, code, { liaisonEmail: '', reason: 'Sin enlace designado' }, 'prueba');
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    const sinf = await eventually(
      async () => {
        const view = await reviewIn(h!, `${workflowId}-SINF`, 'awaitingResponse');
        return view.notes?.length ? view : undefined;
      },
      { what: 'the note on the refused alert' },
    );
    expect(sinf.notes).toEqual([
      expect.objectContaining({ coordinator: 'Sistema de correo', text: expect.stringMatching(/^No se pudo entregar el correo \(alerta\): La dependencia no tiene correo de enlace/) }),
    ]);
    expect(sinf.allowedActions).toContain('resendAlert');
    await reviewIn(h, `${workflowId}-SEDU`, 'awaitingResponse');

    // SINF answers through its link (the coordinator passed it on) and is agreed: its receipt and its
    // agreement record cannot be e-mailed either, and the review still ends agreed.
    await h.cycles.submitResponse(`${workflowId}-SINF`, answerAll(sinf));
    await h.cycles.decide(`${workflowId}-SINF`, { decision: 'approve', coordinator: 'Coordinadora MMSE' });

    // The deadline passes: the others end with their constancia, SEDU's too, and the cycle completes.
    await server.skip('3h');
    const summary = await h.client.workflow.getHandle(workflowId).result();
    expect(summary.outcomes.SINF).toBe('keptWithCommitment');
    expect(Object.entries(summary.outcomes).filter(([code]) => code !== 'SINF').every(([, o]) => o === 'noAdjustment')).toBe(true);
    const records = await db.select().from(t.records).where(and(eq(t.records.kind, 'noAdjustment'), eq(t.records.reviewWorkflowId, `${workflowId}-SEDU`)));
    expect(records).toHaveLength(1);
    // Refusals after a review ended are in the audit log: SEDU's constancia e-mail, SINF's agreement record.
    const audit = await db.select().from(t.auditLog).where(inArray(t.auditLog.subject, [`${workflowId}-SEDU`, `${workflowId}-SINF`]));
    const sedu = audit.filter((a) => a.subject === `${workflowId}-SEDU` && a.action === 'review.note').map((a) => JSON.stringify(a.details));
    expect(sedu.some((d) => d.includes('No se pudo entregar el correo (constancia de negativa)'))).toBe(true);
    expect(audit.find((a) => a.subject === `${workflowId}-SINF` && a.action === 'mail.rejected')).toBeDefined();
    const [sinfRow] = await db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, `${workflowId}-SINF`));
    expect(sinfRow).toMatchObject({ outcome: 'keptWithCommitment', completedAt: expect.anything() });
  });

  it('a review terminated outside the product is counted as failed, and the cycle completes with the others', async () => {
    h = await createHarness({ defaultWindow: '10m' });
    const { workflowId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2 });
    const reviews = await eventually(
      async () => {
        const { cycle } = await h!.cycles.cycleStatus(workflowId);
        return cycle.phase === 'reviewing' ? cycle.departments : undefined;
      },
      { what: 'the cycle reviewing' },
    );
    expect(reviews.length).toBeGreaterThan(1);
    for (const d of reviews) await reviewIn(h, d.reviewWorkflowId, 'awaitingResponse');
    const [terminated, ...others] = reviews;
    await h.client.workflow.getHandle(terminated!.reviewWorkflowId).terminate('Terminada a mano desde Temporal UI');
    for (const d of others) await h.cycles.cancelReview(d.reviewWorkflowId, { reason, cancelledBy: 'Operadora' });

    const summary = await h.client.workflow.getHandle(workflowId).result();
    expect(summary.outcomes).toEqual({ [terminated!.code]: 'failed', ...Object.fromEntries(others.map((d) => [d.code, 'cancelled'])) });
    // Recorded as ended, so no page offers it as running.
    const [row] = await h.database.db.select().from(t.departmentReviews).where(eq(t.departmentReviews.workflowId, terminated!.reviewWorkflowId));
    expect(row).toMatchObject({ status: 'failed', outcome: 'failed', completedAt: expect.anything() });
  });
});
