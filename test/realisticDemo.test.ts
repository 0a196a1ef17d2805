import { generateMunicipality, loadMunicipality } from '../scripts/demo';
import { classifyMeasurement, defaultThresholds, isFlagged, measureGoal, type QuarterlyExecution, type YearProgramming } from '../domain/goals';
import { createHarness, eventually, type Harness } from './support/harness';

/** The demo municipality `npm start` loads, run through a real quarterly review. */
describe('a quarterly review of the realistic demo municipality', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('classifies all 306 goals and opens one review per department with flagged goals (2025 T3)', async () => {
    const data = generateMunicipality();
    h = await createHarness({ fiscalYear: 2025, seed: (db) => loadMunicipality(db, data) });

    // What the domain rules say, computed straight from the generated data.
    const expectedFlagged = new Map<string, number>();
    const expectedTotals: Record<string, number> = {};
    for (const goal of data.goals) {
      const year = data.programming.find((p) => p.goalCode === goal.code && p.fiscalYear === 2025);
      if (!year) continue;
      const executionOf = (fiscalYear: number) =>
        [1, 2, 3, 4].map(
          (q) => data.progress.find((p) => p.goalCode === goal.code && p.fiscalYear === fiscalYear && p.quarter === q)?.executed ?? null,
        ) as QuarterlyExecution;
      const programming: YearProgramming = { annualTarget: year.annualTarget, quarterlyTargets: year.quarterlyTargets };
      // The term's 2024 reports count: a reducción goal without línea base is measured from its first report.
      const term = { termTarget: goal.termTarget, annualTargets: [], earlierYears: [{ fiscalYear: 2024, execution: executionOf(2024) }] };
      const status = classifyMeasurement(measureGoal(goal.accumulation, programming, executionOf(2025), 3, { term }), defaultThresholds);
      expectedTotals[status] = (expectedTotals[status] ?? 0) + 1;
      if (isFlagged(status)) expectedFlagged.set(goal.departmentCode, (expectedFlagged.get(goal.departmentCode) ?? 0) + 1);
    }

    const { workflowId } = await h.cycles.startCycle({ fiscalYear: 2025, quarter: 3, window: '10d' });
    const status = await eventually(
      async () => {
        const s = await h.cycles.cycleStatus(workflowId);
        return s.reviews.length === expectedFlagged.size && s.reviews.every((r) => r.state === 'awaitingResponse') ? s : undefined;
      },
      { what: 'every department review awaiting its response', timeoutMs: 90_000 },
    );
    expect(status.cycle.goals).toHaveLength(data.goals.length);
    expect(status.cycle.totals).toEqual(expectedTotals);
    expect(Object.fromEntries(status.reviews.map((r) => [r.department.code, r.goals.length]))).toEqual(Object.fromEntries(expectedFlagged));
    expect(expectedFlagged.size).toBeGreaterThanOrEqual(12);
  });
});
