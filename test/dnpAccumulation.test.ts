import fc from 'fast-check';
import { accumulationRules, percentFrom } from '../domain/accumulation';
import {
  accumulationTypes,
  classifyMeasurement,
  defaultThresholds,
  measureGoal,
  type AccumulationType,
  type GoalStatus,
  type MeasureContext,
  type Quarter,
  type QuarterlyExecution,
} from '../domain/goals';
import { checkTermTarget } from '../domain/termTarget';

/**
 * Worked cases of DNP's six accumulation types (the README's domain section has the same numbers)
 * and the edge cases of issue 15, then properties of the percentages.
 */

const annual = (annualTarget: number | null) => ({ annualTarget, quarterlyTargets: null });
const exec = (...values: (number | null)[]): QuarterlyExecution => {
  const [a = null, b = null, c = null, d = null] = values;
  return [a, b, c, d];
};
const term = (termTarget: number, annualTargets: number[], earlierYears: QuarterlyExecution[] = []): MeasureContext['term'] => ({
  termTarget,
  annualTargets: annualTargets.map((annualTarget, i) => ({ fiscalYear: 2024 + i, annualTarget })),
  earlierYears: earlierYears.map((execution, i) => ({ fiscalYear: 2024 + i, execution })),
});

interface WorkedCase {
  name: string;
  accumulation: AccumulationType;
  annualTarget: number | null;
  execution: QuarterlyExecution;
  quarter: Quarter;
  context?: MeasureContext;
  vigencia: number | null;
  cuatrienio?: number | null;
  status: GoalStatus;
}

const workedCases: WorkedCase[] = [
  // Acumulado: the reports add up; the línea base does not count. 2024 delivered 90 of a 400 term.
  {
    name: 'acumulado: (20 + 30) / 100 in the year, (90 + 50) / 400 in the term',
    accumulation: 'sum', annualTarget: 100, execution: exec(20, 30), quarter: 2,
    context: { term: term(400, [100, 100, 100, 100], [exec(30, 30, 20, 10)]) },
    vigencia: 50, cuatrienio: 35, status: 'onTrack',
  },
  // Flujo: each year stands alone; the term adds each year's value over the sum of the annual targets.
  {
    name: 'flujo: 6 / 12 in the year, (12 + 6) / 48 in the term',
    accumulation: 'flow', annualTarget: 12, execution: exec(3, 6), quarter: 2,
    context: { term: term(12, [12, 12, 12, 12], [exec(3, 6, 9, 12)]) },
    vigencia: 50, cuatrienio: 37.5, status: 'behind',
  },
  // Stock: the level includes the línea base; progress is measured from it.
  {
    name: 'stock: (125 − 100) / (150 − 100) in the year, (125 − 100) / (200 − 100) in the term',
    accumulation: 'stock', annualTarget: 150, execution: exec(110, 125), quarter: 2,
    context: { baseline: 100, term: term(200, [150, 150, 175, 200]) },
    vigencia: 50, cuatrienio: 25, status: 'behind',
  },
  {
    name: 'stock without a línea base: measured from 0 (the documented default)',
    accumulation: 'stock', annualTarget: 200, execution: exec(190, 200), quarter: 2,
    vigencia: 100, status: 'achieved',
  },
  // Capacidad: the capacity available at the date, against the target (not from the línea base).
  {
    name: 'capacidad: 240 / 300 in the year, 240 / 500 in the term',
    accumulation: 'capacity', annualTarget: 300, execution: exec(200, 240), quarter: 2,
    context: { baseline: 150, term: term(500, [200, 300, 400, 500]) },
    vigencia: 80, cuatrienio: 48, status: 'behind',
  },
  // Reducción: (LB − value) / (LB − target).
  {
    name: 'reducción: baseline 100, target 80, 90 reported gives 50 %, not target ÷ actual (88.9 %)',
    accumulation: 'reduction', annualTarget: 80, execution: exec(90), quarter: 1,
    context: { baseline: 100, term: term(60, [80, 75, 70, 60]) },
    vigencia: 50, cuatrienio: 25, status: 'behind',
  },
  {
    name: 'reducción: 120 reported against a baseline of 100 is 0 %, atrasada, not progress',
    accumulation: 'reduction', annualTarget: 80, execution: exec(120), quarter: 1,
    context: { baseline: 100, term: term(60, [80, 75, 70, 60]) },
    vigencia: 0, cuatrienio: 0, status: 'behind',
  },
  {
    name: 'reducción: reaching the target is cumplida',
    accumulation: 'reduction', annualTarget: 80, execution: exec(85, 80), quarter: 2,
    context: { baseline: 100 },
    vigencia: 100, status: 'achieved',
  },
  // Reducción anual: each year from the previous year's last report; the term from the línea base.
  {
    name: 'reducción anual: (95 − 92) / (95 − 90) in the year, (100 − 92) / (100 − 80) in the term',
    accumulation: 'annualReduction', annualTarget: 90, execution: exec(93, 92), quarter: 2,
    context: { baseline: 100, term: term(80, [95, 90, 85, 80], [exec(98, 97, 96, 95)]) },
    vigencia: 60, cuatrienio: 40, status: 'behind',
  },
  {
    name: 'reducción anual in the first year: measured from the línea base',
    accumulation: 'annualReduction', annualTarget: 95, execution: exec(96), quarter: 1,
    context: { baseline: 100, term: term(80, [95, 90, 85, 80]) },
    vigencia: 80, cuatrienio: 20, status: 'behind',
  },
  // Edge cases of issue 15.
  {
    name: 'stock reported 95, 95 and then 0: a drop is atrasada, not no iniciada',
    accumulation: 'stock', annualTarget: 95, execution: exec(95, 95, 0), quarter: 3,
    vigencia: 0, status: 'behind',
  },
  {
    name: 'stock reported 95, 95 and nothing for T3: sin reporte, not cumplida (T2 is not carried)',
    accumulation: 'stock', annualTarget: 95, execution: exec(95, 95, null), quarter: 3,
    vigencia: null, status: 'noReport',
  },
  {
    name: 'flujo without its T3 report: sin reporte',
    accumulation: 'flow', annualTarget: 100, execution: exec(100, 100, null), quarter: 3,
    vigencia: null, status: 'noReport',
  },
  {
    name: 'acumulado without its T2 report: sin reporte, the missing quarter is not read as zero',
    accumulation: 'sum', annualTarget: 100, execution: exec(25, null), quarter: 2,
    vigencia: 25, status: 'noReport',
  },
  {
    name: 'acumulado reported 0 while 25 were due: no iniciada',
    accumulation: 'sum', annualTarget: 100, execution: exec(0), quarter: 1,
    vigencia: 0, status: 'notStarted',
  },
  {
    name: 'executed with nothing programmed: its own visible verdict',
    accumulation: 'sum', annualTarget: null, execution: exec(4, 3), quarter: 2,
    vigencia: null, status: 'unprogrammedExecution',
  },
  {
    name: 'nothing programmed and nothing executed: no evaluada',
    accumulation: 'flow', annualTarget: 0, execution: exec(), quarter: 2,
    vigencia: null, status: 'notEvaluated',
  },
];

describe('DNP accumulation types: worked cases', () => {
  it.each(workedCases)('$name', (c) => {
    const m = measureGoal(c.accumulation, annual(c.annualTarget), c.execution, c.quarter, c.context);
    expect(m.annualPercent === null ? null : Number(m.annualPercent.toFixed(6))).toBe(c.vigencia);
    if (c.cuatrienio !== undefined) expect(m.termPercent === null || m.termPercent === undefined ? null : Number(m.termPercent.toFixed(6))).toBe(c.cuatrienio);
    expect(classifyMeasurement(m, defaultThresholds)).toBe(c.status);
  });

  it('covers all six types', () => {
    expect(new Set(workedCases.map((c) => c.accumulation))).toEqual(new Set(accumulationTypes));
  });

  it('thresholds stay configurable: 80 % of the expected progress is al día with a 75 % band', () => {
    const m = measureGoal('capacity', annual(300), exec(200, 240), 2);
    expect(classifyMeasurement(m, { behindBelowPercent: 75, overachievedAbovePercent: 100 })).toBe('onTrack');
    expect(classifyMeasurement(m, defaultThresholds)).toBe('behind');
  });

  it('a reducción goal without a línea base is measured from its first report of the term', () => {
    const m = measureGoal('reduction', annual(80), exec(88), 1, { term: term(60, [90, 80, 70, 60], [exec(100, 98, null, 96)]) });
    expect(m).toMatchObject({ baseline: 100, baselineSource: 'firstReport', annualPercent: 60 });
    expect(measureGoal('reduction', annual(80), exec(), 1)).toMatchObject({ baseline: null, baselineSource: null });
    expect(measureGoal('stock', annual(80), exec(40), 1)).toMatchObject({ baseline: 0, baselineSource: 'default' });
  });

  it('flujo: cutting 2026 from 12 to 2 is flagged as a change of the meta cuatrienio', () => {
    const flow = { accumulation: 'flow' as const, termTarget: 12, annualTargets: [2024, 2025, 2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 12 })) };
    expect(checkTermTarget('G', flow, { fiscalYear: 2026, newQuarterlyTargets: [2, 2, 2, 2] })).toMatchObject({ ok: true, altersTermTarget: true });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const level = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 100);
const step = fc.integer({ min: 1, max: 100_000 }).map((n) => n / 100);

/** A goal whose target lies beyond its línea base in the type's direction, and two values, the second better. */
const goalWithValues = fc
  .record({ accumulation: fc.constantFrom(...accumulationTypes), baseline: level, gap: step, value: level, more: step, quarter: fc.constantFrom<Quarter>(1, 2, 3, 4) })
  .map(({ accumulation, baseline, gap, value, more, quarter }) => {
    const increasing = accumulationRules[accumulation].direction === 'increase';
    const target = increasing ? baseline + gap : Math.max(baseline - gap, 0);
    const better = increasing ? value + more : Math.max(value - more, 0);
    return { accumulation, baseline, target, value, better, quarter };
  })
  .filter(({ baseline, target }) => baseline !== target);

const measured = (accumulation: AccumulationType, baseline: number, target: number, value: number, quarter: Quarter) => {
  const execution = exec(...[1, 2, 3, 4].map((q) => (q === quarter ? value : q < quarter ? 0 : null)));
  // Acumulado adds the quarters: earlier quarters report 0 so the value is the quarter's own.
  return measureGoal(accumulation, annual(target), execution, quarter, { baseline, term: term(target, [target, target, target, target]) });
};

describe('DNP accumulation types: properties (fast-check)', () => {
  it('more progress never lowers a percentage (vigencia, expected to date, cuatrienio)', () => {
    fc.assert(
      fc.property(goalWithValues, ({ accumulation, baseline, target, value, better, quarter }) => {
        const before = measured(accumulation, baseline, target, value, quarter);
        const after = measured(accumulation, baseline, target, better, quarter);
        for (const key of ['annualPercent', 'progressPercent', 'termPercent'] as const) {
          const [a, b] = [before[key], after[key]];
          if (a !== null && a !== undefined && b !== null && b !== undefined) expect(b).toBeGreaterThanOrEqual(a);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('a value worse than the línea base is never progress', () => {
    fc.assert(
      fc.property(goalWithValues, step, ({ accumulation, baseline, target, quarter }, worse) => {
        const { direction, yearFrom } = accumulationRules[accumulation];
        // Types measured from the línea base; acumulado, flujo and capacidad do not use it (DNP).
        if (yearFrom === 'zero') return;
        const value = direction === 'increase' ? baseline - worse : baseline + worse;
        if (value < 0) return;
        const m = measured(accumulation, baseline, target, value, quarter);
        expect(m.annualPercent).toBe(0);
        expect(m.termPercent).toBe(0);
        expect(['behind', 'notStarted']).toContain(classifyMeasurement(m, defaultThresholds));
      }),
      { numRuns: 3000 },
    );
  });

  it('percentFrom stays within 0 and its cap, and is 100 exactly at the target', () => {
    fc.assert(
      fc.property(level, level, level, fc.constantFrom('increase' as const, 'decrease' as const), (value, target, from, direction) => {
        const p = percentFrom(value, target, from, direction);
        expect(Number.isFinite(p) && p >= 0 && p <= 99_999).toBe(true);
        if (target !== from || target > 0) expect(percentFrom(target, target, from, direction)).toBe(100);
      }),
      { numRuns: 3000 },
    );
  });
});
