import { closedPeriodProblems, elapsedQuartersAt, isClosedYear, quarterEndsAt } from '../domain/closedPeriods';
import { assertValidResponse } from '../workflows/responseChecks';
import type { GoalView } from '../domain/reviewViews';

const goal = (over: Partial<GoalView> = {}): GoalView => ({
  goalCode: '2402002-01',
  name: 'Vías rurales mejoradas',
  state: 'awaitingResponse' as GoalView['state'],
  status: 'behind',
  measurement: null,
  programming: { annualTarget: 40, quarterlyTargets: [10, 10, 10, 10] },
  term: { accumulation: 'sum', termTarget: 80, annualTargets: [2026, 2027].map((fiscalYear) => ({ fiscalYear, annualTarget: 40 })) },
  answer: null,
  ...over,
});

const submission = (newQuarterlyTargets: number[], futureAnnualTargets?: Record<string, number>) => ({
  respondent: { name: 'Enlace de prueba' },
  answers: [
    {
      goalCode: '2402002-01',
      action: 'reprogram',
      justification: 'La temporada de lluvias retrasó las obras',
      commitment: 'Terminar los tramos pendientes en el semestre',
      newQuarterlyTargets,
      ...(futureAnnualTargets ? { futureAnnualTargets } : {}),
    },
  ],
});

/** The failure's message and details, as services turn them into the error envelope. */
function refusal(fn: () => void): { message: string; details: string[] } | null {
  try {
    fn();
    return null;
  } catch (error) {
    const failure = error as { message: string; details?: unknown[] };
    return { message: failure.message, details: (failure.details?.[0] as string[] | undefined) ?? [] };
  }
}

describe('closed periods (domain/closedPeriods)', () => {
  it('a quarter elapses at midnight in Colombia when the next one starts', () => {
    expect(quarterEndsAt(2026, 1).toISOString()).toBe('2026-04-01T05:00:00.000Z');
    expect(quarterEndsAt(2026, 4).toISOString()).toBe('2027-01-01T05:00:00.000Z');
    expect(elapsedQuartersAt(2026, new Date('2026-04-01T04:59:59Z'))).toEqual([]);
    expect(elapsedQuartersAt(2026, new Date('2026-04-01T05:00:00Z'))).toEqual([1]);
    expect(elapsedQuartersAt(2026, new Date('2026-10-15T12:00:00Z'))).toEqual([1, 2, 3]);
    expect(isClosedYear(2026, new Date('2026-12-31T23:00:00Z'))).toBe(false);
    expect(isClosedYear(2026, new Date('2027-01-01T05:00:00Z'))).toBe(true);
  });

  const base = { goalCode: '2402002-01', fiscalYear: 2026, current: [10, 10, 10, 10] };
  it('refuses changing an elapsed quarter, naming the goal, the quarter and the year', () => {
    expect(closedPeriodProblems({ ...base, newQuarterlyTargets: [3, 10, 13, 14] }, new Date('2026-05-10T15:00:00Z'))).toEqual([
      'La meta 2402002-01: el trimestre T1 de 2026 ya transcurrió; su programación no se puede cambiar',
    ]);
  });

  it('accepts changing only the quarters still to come', () => {
    expect(closedPeriodProblems({ ...base, newQuarterlyTargets: [10, 4, 13, 13] }, new Date('2026-05-10T15:00:00Z'))).toEqual([]);
    expect(closedPeriodProblems({ ...base, newQuarterlyTargets: [0, 0, 20, 20] }, new Date('2025-12-01T15:00:00Z'))).toEqual([]);
  });

  it('refuses reprogramming a closed vigencia, and moving amounts into one', () => {
    expect(closedPeriodProblems({ ...base, newQuarterlyTargets: [10, 10, 10, 12] }, new Date('2027-01-20T15:00:00Z'))).toEqual([
      'La meta 2402002-01: la vigencia 2026 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar',
    ]);
    // Keeping the closed year as it was is no change.
    expect(closedPeriodProblems({ ...base, newQuarterlyTargets: [10, 10, 10, 10] }, new Date('2027-01-20T15:00:00Z'))).toEqual([]);
    const later = { ...base, fiscalYear: 2025, current: [10, 10, 10, 10], newQuarterlyTargets: [10, 10, 10, 10], laterYears: [{ fiscalYear: 2026, before: 40, after: 45 }] };
    expect(closedPeriodProblems(later, new Date('2027-02-01T15:00:00Z'))).toEqual([
      'La meta 2402002-01: la vigencia 2026 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar',
    ]);
  });
});

describe('closed periods in the response validator (workflows/responseChecks)', () => {
  const review = { goalViews: () => [goal()] };

  it('refuses an elapsed quarter at the submission date with the goal, the quarter and the year', () => {
    const refused = refusal(() => assertValidResponse(review, 2026, submission([3, 10, 13, 14]), new Date('2026-04-02T12:00:00Z')));
    expect(refused).toEqual({
      message: 'La meta 2402002-01: el trimestre T1 de 2026 ya transcurrió; su programación no se puede cambiar',
      details: ['La meta 2402002-01: el trimestre T1 de 2026 ya transcurrió; su programación no se puede cambiar'],
    });
  });

  it('refuses a closed vigencia', () => {
    const refused = refusal(() => assertValidResponse(review, 2026, submission([10, 10, 10, 12], { '2027': 38 }), new Date('2027-01-10T12:00:00Z')));
    expect(refused?.message).toBe('La meta 2402002-01: la vigencia 2026 está cerrada (su último trimestre ya transcurrió); no se puede reprogramar');
  });

  it('accepts a future quarter (the total kept), and the same answer before the quarter elapsed', () => {
    expect(refusal(() => assertValidResponse(review, 2026, submission([10, 5, 12, 13]), new Date('2026-04-02T12:00:00Z')))).toBeNull();
    expect(refusal(() => assertValidResponse(review, 2026, submission([3, 10, 13, 14]), new Date('2026-03-31T12:00:00Z')))).toBeNull();
  });

  it('keeps the spread programming of a year without quarterly targets as the current one', () => {
    const spread = { goalViews: () => [goal({ programming: { annualTarget: 40, quarterlyTargets: null } })] };
    expect(refusal(() => assertValidResponse(spread, 2026, submission([10, 10, 5, 15]), new Date('2026-07-05T12:00:00Z')))).toBeNull();
    expect(refusal(() => assertValidResponse(spread, 2026, submission([10, 9, 6, 15]), new Date('2026-07-05T12:00:00Z')))?.details).toEqual([
      'La meta 2402002-01: el trimestre T2 de 2026 ya transcurrió; su programación no se puede cambiar',
    ]);
  });
});
