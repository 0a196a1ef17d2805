import fc from 'fast-check';
import {
  annualTargetFromQuarters,
  accumulationTypes,
  classifyMeasurement,
  defaultThresholds,
  goalStatuses,
  measureGoal,
  type AccumulationType,
  type GoalStatus,
  type Quarter,
  type QuarterlyExecution,
  type Thresholds,
  type YearProgramming,
} from '../domain/goals';

const annual = (annualTarget: number | null): YearProgramming => ({ annualTarget, quarterlyTargets: null });
const quarterly = (
  annualTarget: number | null,
  quarterlyTargets: [number | null, number | null, number | null, number | null],
): YearProgramming => ({ annualTarget, quarterlyTargets });

/** Execution reported up to some quarter; later quarters are null. */
const exec = (...values: (number | null)[]): QuarterlyExecution => {
  const [a = null, b = null, c = null, d = null] = values;
  return [a, b, c, d];
};

const classify = (
  accumulation: AccumulationType,
  programming: YearProgramming,
  execution: QuarterlyExecution,
  quarter: Quarter,
  thresholds: Thresholds = defaultThresholds,
): GoalStatus => classifyMeasurement(measureGoal(accumulation, programming, execution, quarter), thresholds);

describe('measureGoal: arithmetic per accumulation type', () => {
  it('sum without quarterly programming spreads the annual target evenly and adds executed values', () => {
    const m = measureGoal('sum', annual(100), exec(20, 25), 2);
    expect(m).toMatchObject({
      accumulation: 'sum',
      annualTarget: 100,
      expectedToDate: 50,
      executedToDate: 45,
      progressPercent: 90,
      annualPercent: 45,
    });
    expect(classifyMeasurement(m, defaultThresholds)).toBe('onTrack');
    expect(classify('sum', annual(100), exec(20, 24), 2)).toBe('behind'); // 44 of 50 = 88 %
  });

  it('sum with quarterly programming adds the programmed quarters (nulls count as zero)', () => {
    const m = measureGoal('sum', quarterly(100, [10, 20, 30, 40]), exec(15, 15), 2);
    expect(m.expectedToDate).toBe(30);
    expect(m.executedToDate).toBe(30);
    expect(m.progressPercent).toBe(100);
    expect(m.annualPercent).toBe(30);
    expect(classifyMeasurement(m, defaultThresholds)).toBe('onTrack');
    // The same execution against an even spread (50 expected) is behind: the quarterly plan matters.
    expect(classify('sum', annual(100), exec(15, 15), 2)).toBe('behind');
    expect(measureGoal('sum', quarterly(100, [null, 20, 30, 50]), exec(5, 15), 2).expectedToDate).toBe(20);
  });

  it('sum: the whole annual target is expected by Q4', () => {
    const m = measureGoal('sum', annual(80), exec(20, 20, 20, 12), 4);
    expect(m.expectedToDate).toBe(80);
    expect(m.executedToDate).toBe(72);
    expect(m.progressPercent).toBe(90);
    expect(classifyMeasurement(m, defaultThresholds)).toBe('onTrack');
  });

  it('flow: the last reported value counts, against the annual level', () => {
    expect(measureGoal('flow', annual(100), exec(95, 80), 2)).toMatchObject({ expectedToDate: 100, executedToDate: 80, progressPercent: 80 });
    expect(classify('flow', annual(100), exec(95, 80), 2)).toBe('behind');
    expect(classify('flow', annual(100), exec(80, 95), 2)).toBe('onTrack');
    // A quarter without a report is "sin reporte": the last reported value is not carried.
    expect(measureGoal('flow', annual(100), exec(95, null), 2).executedToDate).toBeNull();
    expect(classify('flow', annual(100), exec(95, null), 2)).toBe('noReport');
  });

  it('flow with quarterly programming expects the last programmed level up to the quarter', () => {
    const m = measureGoal('flow', quarterly(100, [50, 60, null, 100]), exec(50, 60, 55), 3);
    expect(m).toMatchObject({ expectedToDate: 60, executedToDate: 55, progressPercent: expect.closeTo(91.67, 2), annualPercent: 55 });
    expect(classifyMeasurement(m, defaultThresholds)).toBe('onTrack');
  });

  it('stock: a level to keep, judged by the last reported value', () => {
    expect(classify('stock', annual(200), exec(200, 150), 2)).toBe('behind'); // 75 %
    expect(classify('stock', annual(200), exec(150, 190), 2)).toBe('onTrack'); // 95 %
    expect(classify('stock', annual(200), exec(190, 200), 2)).toBe('achieved');
    expect(measureGoal('stock', annual(200), exec(190, 200), 2)).toMatchObject({ executedToDate: 200, annualPercent: 100 });
  });

  it('reduction: lower is better, measured from the línea base: (LB − value) / (LB − target)', () => {
    const fromBaseline = (execution: QuarterlyExecution, quarter: Quarter) =>
      classifyMeasurement(measureGoal('reduction', annual(10), execution, quarter, { baseline: 20 }), defaultThresholds);
    expect(measureGoal('reduction', annual(10), exec(12), 1, { baseline: 20 })).toMatchObject({
      expectedToDate: 10,
      executedToDate: 12,
      progressPercent: 80,
      annualPercent: 80,
      baseline: 20,
      baselineSource: 'plan',
    });
    expect(fromBaseline(exec(12), 1)).toBe('behind'); // 80 %
    expect(fromBaseline(exec(11), 1)).toBe('onTrack'); // 90 %
    expect(fromBaseline(exec(10), 1)).toBe('achieved');
    expect(fromBaseline(exec(8), 1)).toBe('overachieved'); // 120 %
    expect(fromBaseline(exec(0), 1)).toBe('overachieved');
    // Later reports replace earlier ones; a value back above the baseline after progress is atrasada.
    expect(fromBaseline(exec(8, 12), 2)).toBe('behind');
    expect(fromBaseline(exec(8, 25), 2)).toBe('behind');
  });

  it('reduction without a línea base is measured from its first report of the term', () => {
    const m = measureGoal('reduction', annual(10), exec(14, 12), 2);
    expect(m).toMatchObject({ baseline: 14, baselineSource: 'firstReport', annualPercent: 50 });
  });

  it('reduction to zero: reaching zero is achieved', () => {
    expect(classify('reduction', annual(0), exec(0), 1)).toBe('achieved');
    expect(classifyMeasurement(measureGoal('reduction', annual(0), exec(0), 1, { baseline: 5 }), defaultThresholds)).toBe('achieved');
  });

  it('reduction to zero: still having cases is not "on track"', () => {
    // Target 0, baseline 10 and 5 cases reported: half way, 50 %, atrasada.
    const m = measureGoal('reduction', annual(0), exec(5), 1, { baseline: 10 });
    expect(m.annualPercent).toBe(50);
    expect(classifyMeasurement(m, defaultThresholds)).toBe('behind');
  });
});

describe('classifyMeasurement: statuses', () => {
  it('notEvaluated when nothing is programmed for the year and nothing was executed', () => {
    expect(classify('sum', annual(null), exec(), 1)).toBe('notEvaluated');
    expect(classify('sum', annual(0), exec(0), 1)).toBe('notEvaluated');
    expect(classify('flow', annual(0), exec(), 1)).toBe('notEvaluated');
    expect(classify('stock', annual(null), exec(), 3)).toBe('notEvaluated');
  });

  it('execution with nothing programmed is its own verdict, not hidden as "no evaluada"', () => {
    expect(classify('sum', annual(null), exec(10), 1)).toBe('unprogrammedExecution');
    expect(classify('sum', annual(0), exec(10), 1)).toBe('unprogrammedExecution');
    expect(classify('stock', annual(null), exec(5), 3)).toBe('unprogrammedExecution');
    expect(classify('reduction', annual(null), exec(5), 1)).toBe('unprogrammedExecution');
  });

  it('notStarted when a report says nothing was executed while something was expected', () => {
    expect(classify('sum', annual(100), exec(0, 0), 2)).toBe('notStarted');
    expect(classify('stock', annual(100), exec(0), 1)).toBe('notStarted');
    expect(classify('flow', annual(100), exec(0, 0, 0), 3)).toBe('notStarted');
  });

  it('sin reporte when something was programmed and the quarter has no report (never read as zero)', () => {
    expect(classify('sum', annual(100), exec(), 2)).toBe('noReport');
    expect(classify('flow', annual(100), exec(null, null, null), 3)).toBe('noReport');
    expect(classify('reduction', annual(10), exec(), 1)).toBe('noReport');
    expect(classify('sum', annual(200), exec(89.99), 2)).toBe('noReport');
  });

  it('nothing executed while nothing was expected yet is on track, not "not started"', () => {
    expect(classify('sum', quarterly(100, [0, 0, 50, 50]), exec(), 2)).toBe('onTrack');
    expect(classify('sum', quarterly(100, [0, 0, 50, 50]), exec(0, 0), 2)).toBe('onTrack');
  });

  it('behind below 90 % of the expected progress by default', () => {
    expect(classify('sum', annual(200), exec(89.99, 0), 2)).toBe('behind');
    expect(classify('sum', annual(200), exec(45, 44.99), 2)).toBe('behind');
    expect(classify('sum', annual(200), exec(1, 0), 2)).toBe('behind');
    expect(classify('sum', annual(200), exec(90, 0), 2)).toBe('onTrack');
  });

  it('onTrack from 90 % of the expected progress until the annual programming is reached', () => {
    expect(classify('sum', annual(200), exec(50, 50), 2)).toBe('onTrack');
    expect(classify('sum', annual(200), exec(150, 0), 2)).toBe('onTrack'); // ahead of schedule, 75 % of the year
    expect(classify('sum', annual(200), exec(199, 0, 0, 0), 4)).toBe('onTrack');
  });

  it('"achieved" means actually reaching the programming, not reaching it after rounding the percentage', () => {
    // 999 950 of 1 000 000 is 99.995 %: 50 units short, yet round2 makes it 100 % before comparing.
    const m = measureGoal('sum', annual(1_000_000), exec(999_950, 0, 0, 0), 4);
    expect(m.executedToDate).toBeLessThan(1_000_000);
    expect(classifyMeasurement(m, defaultThresholds)).toBe('onTrack');
  });

  it('achieved at exactly 100 % of the annual programming', () => {
    const m = measureGoal('sum', annual(200), exec(100, 100), 2);
    expect(m.annualPercent).toBe(100);
    expect(classifyMeasurement(m, defaultThresholds)).toBe('achieved');
    expect(classify('flow', annual(40), exec(40), 1)).toBe('achieved');
  });

  it('overachieved above 100 % of the annual programming', () => {
    expect(classify('sum', annual(200), exec(100, 101), 2)).toBe('overachieved');
    expect(classify('sum', annual(100), exec(120), 1)).toBe('overachieved');
    expect(classify('stock', annual(50), exec(60), 1)).toBe('overachieved');
  });

  it('configurable thresholds change the outcome', () => {
    // 92 % of the expected progress.
    expect(classify('sum', annual(100), exec(92, 0, 0, 0), 4)).toBe('onTrack');
    expect(classify('sum', annual(100), exec(92, 0, 0, 0), 4, { behindBelowPercent: 95, overachievedAbovePercent: 100 })).toBe('behind');
    // 85 % of the expected progress.
    expect(classify('sum', annual(100), exec(85, 0, 0, 0), 4)).toBe('behind');
    expect(classify('sum', annual(100), exec(85, 0, 0, 0), 4, { behindBelowPercent: 80, overachievedAbovePercent: 100 })).toBe('onTrack');
    // 105 % of the annual programming.
    expect(classify('sum', annual(100), exec(105, 0, 0, 0), 4)).toBe('overachieved');
    const tolerant: Thresholds = { behindBelowPercent: 90, overachievedAbovePercent: 110 };
    expect(classify('sum', annual(100), exec(105, 0, 0, 0), 4, tolerant)).toBe('achieved');
    expect(classify('sum', annual(100), exec(110, 0, 0, 0), 4, tolerant)).toBe('achieved');
    expect(classify('sum', annual(100), exec(111, 0, 0, 0), 4, tolerant)).toBe('overachieved');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** noReport, notStarted < behind < onTrack < achieved < overachieved; the unprogrammed statuses stand apart. */
const unprogrammed: readonly GoalStatus[] = ['notEvaluated', 'unprogrammedExecution'];
const rank: Record<Exclude<GoalStatus, 'notEvaluated' | 'unprogrammedExecution'>, number> = {
  noReport: 0,
  notStarted: 0,
  behind: 1,
  onTrack: 2,
  achieved: 3,
  overachieved: 4,
};

/** Finite, non-negative numbers: counts, percentages, money, tiny and large values alike. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.integer({ min: 0, max: 1000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 0.01, 0.005, 1e-9, 1e12),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const programmingArb: fc.Arbitrary<YearProgramming> = fc.record({
  annualTarget: maybe(amount),
  quarterlyTargets: fc.option(fc.tuple(maybe(amount), maybe(amount), maybe(amount), maybe(amount)), { nil: null }),
});
const executionArb: fc.Arbitrary<QuarterlyExecution> = fc.tuple(maybe(amount), maybe(amount), maybe(amount), maybe(amount));
const quarterArb = fc.constantFrom<Quarter>(1, 2, 3, 4);
const percentArb = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }));
const thresholdsArb: fc.Arbitrary<Thresholds> = fc.record({ behindBelowPercent: percentArb, overachievedAbovePercent: percentArb });
const positive = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true }));

function assertNotMoreBehind(before: GoalStatus, after: GoalStatus) {
  if (before === 'notEvaluated' || after === 'notEvaluated' || before === 'unprogrammedExecution' || after === 'unprogrammedExecution') {
    // Same programming, so "evaluated or not" cannot change with the execution.
    expect(unprogrammed).toContain(before);
    expect(unprogrammed).toContain(after);
    return;
  }
  if (rank[after] < rank[before]) throw new Error(`went from ${before} to ${after}`);
}

describe('classification properties (fast-check)', () => {
  it('(a) sum, flow, stock, capacity: executing more never makes a goal more behind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AccumulationType>('sum', 'flow', 'stock', 'capacity'),
        programmingArb,
        executionArb,
        quarterArb,
        thresholdsArb,
        fc.nat({ max: 3 }),
        positive,
        (accumulation, programming, execution, quarter, thresholds, index, delta) => {
          const current = execution[index] ?? null;
          // A missing report may be filled in only where values add up: for flow and stock a new
          // report replaces the last level, which is not "more" execution.
          if (current === null && accumulation !== 'sum') return;
          // For levels, raising an earlier report under a later one turns the later one into a drop
          // (95 then 0 is atrasada, by design): only the latest level reported to the quarter is raised.
          if (accumulation !== 'sum' && execution.slice(index + 1, quarter).some((v) => v !== null)) return;
          const more = [...execution] as QuarterlyExecution;
          more[index] = (current ?? 0) + delta;
          const before = classify(accumulation, programming, execution, quarter, thresholds);
          const after = classify(accumulation, programming, more, quarter, thresholds);
          assertNotMoreBehind(before, after);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('(b) reduction with a línea base: a lower executed value never makes a goal more behind', () => {
    fc.assert(
      fc.property(
        programmingArb,
        executionArb,
        quarterArb,
        thresholdsArb,
        fc.nat({ max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (programming, execution, quarter, thresholds, index, factor) => {
          const current = execution[index] ?? null;
          if (current === null) return;
          const lower = [...execution] as QuarterlyExecution;
          lower[index] = current * factor;
          const withBaseline = (e: QuarterlyExecution) => classifyMeasurement(measureGoal('reduction', programming, e, quarter, { baseline: 50 }), thresholds);
          const before = withBaseline(execution);
          const after = withBaseline(lower);
          assertNotMoreBehind(before, after);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('(c) classification never throws and always returns a known status', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...accumulationTypes),
        programmingArb,
        executionArb,
        quarterArb,
        thresholdsArb,
        (accumulation, programming, execution, quarter, thresholds) => {
          const m = measureGoal(accumulation, programming, execution, quarter);
          expect(goalStatuses).toContain(classifyMeasurement(m, thresholds));
          expect(goalStatuses).toContain(classifyMeasurement(m, defaultThresholds));
          // The measurement keeps its inputs so the status can be explained.
          expect(m.accumulation).toBe(accumulation);
          expect(m.annualTarget).toBe(programming.annualTarget);
          expect(Number.isFinite(m.expectedToDate)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('(d) raising behindBelowPercent never turns a behind goal into onTrack', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...accumulationTypes),
        programmingArb,
        executionArb,
        quarterArb,
        thresholdsArb,
        percentArb,
        (accumulation, programming, execution, quarter, thresholds, raise) => {
          const m = measureGoal(accumulation, programming, execution, quarter);
          const stricter = { ...thresholds, behindBelowPercent: thresholds.behindBelowPercent + raise };
          const before = classifyMeasurement(m, thresholds);
          const after = classifyMeasurement(m, stricter);
          if (before === 'behind') expect(after).toBe('behind');
          // Only the behind/onTrack boundary moves with this threshold.
          if (before !== 'onTrack') expect(after).toBe(before);
          else expect(['onTrack', 'behind']).toContain(after);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('annual target of a reprogramming', () => {
  it('adds quarters for suma goals and keeps the last level for flujo, stock and reducción', () => {
    expect(annualTargetFromQuarters('sum', [0.1, 0.2, 3, 4])).toBe(7.3);
    expect(annualTargetFromQuarters('flow', [90, 92, 94, 95])).toBe(95);
    expect(annualTargetFromQuarters('stock', [18000, 18000, 18000, 18000])).toBe(18000);
    expect(annualTargetFromQuarters('reduction', [5, 4.5, 4, 3.5])).toBe(3.5);
  });
});
