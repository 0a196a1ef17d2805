import { and, eq } from 'drizzle-orm';
import * as t from '../db/schema';
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
    // SINF has no liaison address, and this installation has no COORDINATOR_EMAIL: nobody to send its alert to.
    await db.update(t.departments).set({ liaisonEmail: null }).where(eq(t.departments.code, 'SINF'));
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

    // The deadline passes: every review, SINF's too, ends with its constancia, and the cycle completes.
    await server.skip('3h');
    const summary = await h.client.workflow.getHandle(workflowId).result();
    expect(Object.values(summary.outcomes).every((o) => o === 'noAdjustment')).toBe(true);
    const records = await db.select().from(t.records).where(and(eq(t.records.kind, 'noAdjustment'), eq(t.records.reviewWorkflowId, `${workflowId}-SINF`)));
    expect(records).toHaveLength(1);
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
  });
});
