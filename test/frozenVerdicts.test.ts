import { loadQuarterData } from '../db/queries';
import { defaultThresholds } from '../domain/goals';
import { cumulativeLagging, type CumulativeLaggingRow } from '../domain/quarterData';
import { loadCumulativeLagging } from '../reports';
import { goalHistory } from '../services/goalHistory';
import { createHarness, eventually, type Harness } from './support/harness';
import { saveHistories } from './support/histories';
import { LAGGED_GOAL as GOAL, reprogramInThirdQuarter, seedLaggedGoal, storedDashboard as snapshotOf } from './support/verdictScenario';

const rowOf = (rows: unknown, goalCode: string) => (rows as CumulativeLaggingRow[]).find((r) => r.goalCode === goalCode);

describe('frozen verdicts: a T3 reprogramming never rewrites T1–T2', () => {
  let h: Harness | undefined;
  const cycles: string[] = [];
  afterEach(async () => {
    // The reviews wait for answers for hours: ending the cycles ends them too.
    for (const id of cycles) await h?.client.workflow.getHandle(id).terminate('fin de la prueba').catch(() => undefined);
    await h?.close();
    h = undefined;
  });

  it('keeps the goal no iniciada in T1 and T2 in the Q3 cumulative matrix, with T1/T2 values, after reprogramming it to [0, 0, 10, 30]', async () => {
    h = await createHarness({ defaultWindow: '2h', seed: seedLaggedGoal });
    const { db } = h.database;
    const year = h.fiscalYear;

    for (const quarter of [1, 2] as const) {
      const { workflowId } = await h.cycles.startCycle({ fiscalYear: year, quarter, startedBy: 'operador.prueba' });
      cycles.push(workflowId);
      const snapshot = await snapshotOf(h, quarter);
      const goal = (snapshot.goals as { goalCode: string; status: string; programming?: unknown }[]).find((g) => g.goalCode === GOAL);
      // The verdict is recorded with the programming in force.
      expect(goal).toMatchObject({ status: 'notStarted', programming: { annualTarget: 2, quarterlyTargets: [0.5, 0.5, 0.5, 0.5] } });
    }

    // In T3 the goal is reprogrammed to [0, 0, 10, 30] and reports 10: on track with the new programming.
    await reprogramInThirdQuarter(db, year);
    // Recomputed with the current programming, as before, the goal would vanish from the matrix: the test can fail.
    const recomputed = cumulativeLagging((await loadQuarterData(db, year)).goals, 3, defaultThresholds);
    expect(rowOf(recomputed, GOAL)).toBeUndefined();

    // Before the T3 cycle runs, the matrix preview reads the T1/T2 verdicts and says T3 is calculated now.
    const preview = await loadCumulativeLagging(db, { fiscalYear: year, quarter: 3, thresholds: defaultThresholds });
    expect(preview.source).toBe('live');
    expect(preview.currentBasisQuarters).toEqual([3]);
    expect(preview.goals.find((g) => g.goalCode === GOAL)?.byQuarter).toEqual([
      expect.objectContaining({ quarter: 1, status: 'notStarted', expectedToDate: 0.5, executedToDate: 0, basis: 'recorded' }),
      expect.objectContaining({ quarter: 2, status: 'notStarted', expectedToDate: 1, executedToDate: 0, basis: 'recorded' }),
      expect.objectContaining({ quarter: 3, status: 'onTrack', expectedToDate: 10, executedToDate: 10, basis: 'current' }),
    ]);

    const t3 = await h.cycles.startCycle({ fiscalYear: year, quarter: 3, startedBy: 'operador.prueba' });
    cycles.push(t3.workflowId);
    const snapshot = await snapshotOf(h, 3);
    // The cycle stores the matrix from the recorded verdicts: T1 and T2 as they were judged.
    expect(rowOf(snapshot.cumulativeLagging, GOAL)?.byQuarter).toEqual([
      expect.objectContaining({ quarter: 1, status: 'notStarted', expectedToDate: 0.5, executedToDate: 0, basis: 'recorded' }),
      expect.objectContaining({ quarter: 2, status: 'notStarted', expectedToDate: 1, executedToDate: 0, basis: 'recorded' }),
      expect.objectContaining({ quarter: 3, status: 'onTrack', expectedToDate: 10, executedToDate: 10, basis: 'recorded' }),
    ]);
    const state = await h.cycles.cycleStatus(t3.workflowId);
    expect(rowOf(state.cycle.cumulativeLagging, GOAL)).toBeDefined();

    const matrix = await loadCumulativeLagging(db, { fiscalYear: year, quarter: 3, thresholds: defaultThresholds });
    expect(matrix.source).toBe('cycle');
    expect(matrix.currentBasisQuarters).toEqual([]);
    expect(matrix.goals.find((g) => g.goalCode === GOAL)?.byQuarter.map((q) => [q.quarter, q.status])).toEqual([
      [1, 'notStarted'],
      [2, 'notStarted'],
      [3, 'onTrack'],
    ]);

    // The goal's page history keeps each quarter's verdict with the programming it was judged by.
    const history = await goalHistory(db, GOAL);
    expect(history.statuses.map((s) => [s.quarter, s.status, s.programming?.quarterlyTargets])).toEqual([
      [1, 'notStarted', [0.5, 0.5, 0.5, 0.5]],
      [2, 'notStarted', [0.5, 0.5, 0.5, 0.5]],
      [3, 'onTrack', [0, 0, 10, 30]],
    ]);

    await eventually(async () => (await h?.cycles.cycleStatus(t3.workflowId))?.cycle.phase === 'reviewing', { what: 'the T3 reviews started' });
    await saveHistories(h.client, 'frozen-verdicts', [t3.workflowId]);
  });
});
