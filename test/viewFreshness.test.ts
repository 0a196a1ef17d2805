import type { ReviewView } from '../workflows/types';
import { answerAll } from './support/answers';
import { createHarness, createTestApp, eventually, reviewIn, type Harness } from './support/harness';

/**
 * The views reuse what they read while nothing was written (services/dataVersion). A write that
 * completed before a request arrived is in that request's answer — with no polling — and the
 * reused data never crosses departments.
 */
describe('views reused between writes stay fresh and scoped', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('shows a note and an answer on the very next read, and a liaison only its own department', async () => {
    h = await createHarness();
    const { as } = await createTestApp(h);
    const viewer = await as('viewer');
    const { workflowId: cycleId } = await h.cycles.startCycle({ fiscalYear: h.fiscalYear, quarter: 2, window: '1h' });
    const ssalId = `${cycleId}-SSAL`;
    const waiting = await reviewIn(h, ssalId, 'awaitingResponse');
    const cycle = () => viewer.get(`/api/cycles/${cycleId}`).expect(200);
    // The workflows' own state runs ahead of their records: wait until the records show every review waiting.
    await eventually(async () => ((await cycle()).body.reviews as ReviewView[]).every((r) => r.state === 'awaitingResponse' && r.deadline !== null), {
      what: 'every review recorded as awaiting its answer',
    });

    const monitor = () => viewer.get(`/api/cycles/${cycleId}/monitor`).expect(200);
    const ssalOf = (body: { reviews: ReviewView[] }) => body.reviews.find((r) => r.workflowId === ssalId) as ReviewView;
    type MonitorRow = { workflowId: string; state: string };
    const ssalRow = (body: { reviews: MonitorRow[] }) => body.reviews.find((r) => r.workflowId === ssalId) as MonitorRow;

    // Warm: concurrent reads share one read and reuse it; an unchanged body answers 304 to its ETag.
    const warm = await Promise.all(Array.from({ length: 10 }, () => cycle()));
    expect(new Set(warm.map((r) => r.text)).size).toBe(1);
    const etag = warm[0]?.headers.etag as string;
    expect(etag).toBeTruthy();
    await viewer.get(`/api/cycles/${cycleId}`).set('If-None-Match', etag).expect(304);
    expect(ssalRow((await monitor()).body).state).toBe('awaitingResponse');
    expect(ssalOf((await cycle()).body).notes).toEqual([]);

    // A note (recorded by the workflow's activity before the update returns): on the next read.
    await h.cycles.addNote(ssalId, { coordinator: 'Coordinadora MMSE', text: 'Revisar con la secretaría' });
    expect(ssalOf((await cycle()).body).notes?.map((n) => n.text)).toEqual(['Revisar con la secretaría']);
    await viewer.get(`/api/cycles/${cycleId}`).set('If-None-Match', etag).expect(200);

    // An answer: the monitor and the cycle status show it on the next read.
    await h.cycles.submitResponse(ssalId, answerAll(waiting));
    expect(ssalRow((await monitor()).body).state).toBe('underAgreement');
    expect(ssalOf((await cycle()).body).state).toBe('underAgreement');

    // With every reader's cache warm, a liaison still gets only its own department's review.
    const liaison = await as('liaison', 'SEDU');
    const own = await liaison.get(`/api/cycles/${cycleId}`).expect(200);
    expect(own.body.reviews.map((r: ReviewView) => r.department.code)).toEqual(['SEDU']);
    expect(JSON.stringify(own.body)).not.toContain('Revisar con la secretaría');
    const ownMonitor = await liaison.get(`/api/cycles/${cycleId}/monitor`).expect(200);
    expect(ownMonitor.body.reviews.map((r: { departmentCode: string }) => r.departmentCode)).toEqual(['SEDU']);
  }, 240_000);
});
