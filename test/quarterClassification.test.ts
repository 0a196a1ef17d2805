import fc from 'fast-check';
import { accumulationTypes, type AccumulationType, type Quarter, type QuarterlyExecution, type Thresholds, type YearProgramming } from '../domain/goals';
import { classifyGoal, countByStatus, cumulativeLagging, isFlaggedStatus, type GoalForReview } from '../domain/quarterData';
import { classifyGoals, countByStatus as countMachines, isFlaggedGoal } from '../workflows/classifyQuarter';

// The live dashboard, the cycle preview and the cumulative matrix classify with domain/quarterData.ts;
// the cycle starts each goal's machine (workflows/classifyQuarter.ts). Both must say the same.

const amount = fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const programmingArb: fc.Arbitrary<YearProgramming> = fc.record({
  annualTarget: maybe(amount),
  quarterlyTargets: fc.option(fc.tuple(maybe(amount), maybe(amount), maybe(amount), maybe(amount)), { nil: null }),
});
const executionArb: fc.Arbitrary<QuarterlyExecution> = fc.tuple(maybe(amount), maybe(amount), maybe(amount), maybe(amount));
const percentArb = fc.integer({ min: 0, max: 300 });
const thresholdsArb: fc.Arbitrary<Thresholds> = fc.record({ behindBelowPercent: percentArb, overachievedAbovePercent: percentArb });
const quarterArb = fc.constantFrom<Quarter>(1, 2, 3, 4);

const goalArb: fc.Arbitrary<GoalForReview> = fc
  .record({
    index: fc.nat({ max: 999 }),
    accumulation: fc.constantFrom<AccumulationType>(...accumulationTypes),
    programming: programmingArb,
    execution: executionArb,
  })
  .map(({ index, accumulation, programming, execution }) => ({
    goalCode: `M-${index}`,
    departmentCode: `D${index % 3}`,
    name: `Meta ${index}`,
    strategicLine: 'Línea',
    accumulation,
    programming,
    execution,
    term: { accumulation, termTarget: 100, annualTargets: [] },
  }));

describe('quarter classification: domain arithmetic and the goal machines agree', () => {
  it('same status and measurement per goal, same totals, same flagged goals', () => {
    fc.assert(
      fc.property(fc.array(goalArb, { maxLength: 8 }), quarterArb, thresholdsArb, (goals, quarter, thresholds) => {
        const machines = classifyGoals(goals, quarter, thresholds);
        const pure = goals.map((goal) => classifyGoal(goal, quarter, thresholds));
        expect(pure).toEqual(machines.map(({ state }) => ({ status: state.context.status, measurement: state.context.measurement })));
        expect(countByStatus(pure.map((p) => p.status))).toEqual(countMachines(machines));
        expect(pure.map((p) => isFlaggedStatus(p.status))).toEqual(machines.map(isFlaggedGoal));
      }),
      { numRuns: 500 },
    );
  });

  it('the cumulative matrix lists exactly the goals a machine found lagging in some quarter, quarter by quarter', () => {
    fc.assert(
      fc.property(fc.array(goalArb, { maxLength: 6 }), fc.constantFrom<Quarter>(3, 4), thresholdsArb, (goals, quarter, thresholds) => {
        const expected = goals.flatMap((goal) => {
          const byQuarter = ([1, 2, 3, 4] as const)
            .filter((q) => q <= quarter)
            .map((q) => {
              const { context } = classifyGoals([goal], q, thresholds)[0]!.state;
              return { quarter: q, status: context.status, expectedToDate: context.measurement!.expectedToDate, executedToDate: context.measurement!.executedToDate };
            });
          const lagged = byQuarter.some((row) => row.status === 'notStarted' || row.status === 'behind' || row.status === 'noReport');
          return lagged ? [{ goalCode: goal.goalCode, departmentCode: goal.departmentCode, byQuarter }] : [];
        });
        expect(cumulativeLagging(goals, quarter, thresholds)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('a lagging goal is in the matrix (a quarter without its report too), a goal on track all year is not', () => {
    const goal = (code: string, execution: QuarterlyExecution): GoalForReview => ({
      goalCode: code,
      departmentCode: 'SEDU',
      name: code,
      strategicLine: 'Línea',
      accumulation: 'sum',
      programming: { annualTarget: 100, quarterlyTargets: [25, 25, 25, 25] },
      execution,
      term: { accumulation: 'sum', termTarget: 400, annualTargets: [] },
    });
    const rows = cumulativeLagging([goal('LAG', [null, 10, 60, null]), goal('OK', [25, 25, 25, null])], 3, { behindBelowPercent: 80, overachievedAbovePercent: 120 });
    expect(rows.map((r) => r.goalCode)).toEqual(['LAG']);
    // T1 had 25 programmed and no report: sin reporte, not read as zero.
    expect(rows[0]!.byQuarter.map((q) => q.status)).toEqual(['noReport', 'behind', 'onTrack']);
    // Cycles started before DNP's arithmetic list what they listed then.
    const v1 = cumulativeLagging([goal('LAG', [null, 10, 60, null]), goal('OK', [25, 25, 25, null])], 3, { behindBelowPercent: 80, overachievedAbovePercent: 120 }, 'v1');
    expect(v1[0]!.byQuarter.map((q) => q.status)).toEqual(['notStarted', 'behind', 'onTrack']);
  });
});
