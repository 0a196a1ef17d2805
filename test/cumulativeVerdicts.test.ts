import { defaultThresholds } from '../domain/goals';
import { cumulativeFromVerdicts, currentBasisQuarters, type GoalForReview, type RecordedVerdict } from '../domain/quarterData';
import { readConsolidationCommitments } from '../domain/consolidation';

const goal = (goalCode: string, quarterlyTargets: [number, number, number, number], execution: (number | null)[]): GoalForReview => ({
  goalCode,
  departmentCode: 'SINF',
  name: `Meta ${goalCode}`,
  strategicLine: 'Línea',
  accumulation: 'sum',
  programming: { annualTarget: quarterlyTargets.reduce((a, b) => a + b, 0), quarterlyTargets },
  execution: execution as GoalForReview['execution'],
  term: { goalCode, termTarget: 100, accumulation: 'sum', annualTargets: [] } as unknown as GoalForReview['term'],
});

const verdict = (goalCode: string, quarter: number, status: RecordedVerdict['status'], expectedToDate: number, executedToDate: number | null): RecordedVerdict => ({
  goalCode,
  departmentCode: 'SINF',
  quarter,
  status,
  expectedToDate,
  executedToDate,
  annualPercent: 0,
  termPercent: 0,
});

describe('the cumulative matrix from recorded verdicts', () => {
  it('keeps the recorded T1–T2 values of a goal reprogrammed later, and marks only quarters without a verdict', () => {
    const reprogrammed = goal('A', [0, 0, 10, 30], [0, 0, 10, null]);
    const recorded = [verdict('A', 1, 'notStarted', 0.5, 0), verdict('A', 2, 'notStarted', 1, 0)];
    const rows = cumulativeFromVerdicts(recorded, [reprogrammed], 3, defaultThresholds);
    expect(rows).toEqual([
      {
        goalCode: 'A',
        departmentCode: 'SINF',
        byQuarter: [
          expect.objectContaining({ quarter: 1, status: 'notStarted', expectedToDate: 0.5, basis: 'recorded' }),
          expect.objectContaining({ quarter: 2, status: 'notStarted', expectedToDate: 1, basis: 'recorded' }),
          expect.objectContaining({ quarter: 3, status: 'onTrack', expectedToDate: 10, executedToDate: 10, basis: 'current' }),
        ],
      },
    ]);
    expect(currentBasisQuarters(rows)).toEqual([3]);
    // Without the recorded verdicts, the current programming would leave the goal out.
    expect(cumulativeFromVerdicts([], [reprogrammed], 3, defaultThresholds)).toEqual([]);
  });

  it('lists a goal that lagged in a recorded quarter even when the current data no longer has it', () => {
    const rows = cumulativeFromVerdicts([verdict('B', 1, 'behind', 4, 1), verdict('B', 2, 'onTrack', 8, 8)], [], 3, defaultThresholds);
    expect(rows.map((r) => [r.goalCode, r.byQuarter.map((q) => q.quarter)])).toEqual([['B', [1, 2]]]);
  });

  it('leaves out goals that never lagged', () => {
    expect(cumulativeFromVerdicts([verdict('C', 1, 'onTrack', 1, 1)], [goal('C', [1, 1, 1, 1], [1, 2, 3, null])], 3, defaultThresholds)).toEqual([]);
  });
});

describe('consolidation commitments', () => {
  const required = [{ goalCode: 'A', name: 'Puentes' }];
  it('requires one per goal, 10 to 4000 characters, naming the goal', () => {
    expect(readConsolidationCommitments(required, {})).toEqual({
      ok: false,
      problems: [{ goalCode: 'A', message: 'Compromiso de consolidación de la meta A (Puentes): es obligatorio (la meta estuvo rezagada en la vigencia)' }],
    });
    expect(readConsolidationCommitments(required, { consolidationCommitments: [{ goalCode: 'A', commitment: 'x'.repeat(4001) }] })).toMatchObject({
      ok: false,
      problems: [{ goalCode: 'A', message: 'Compromiso de consolidación de la meta A (Puentes): máximo 4000 caracteres' }],
    });
    expect(readConsolidationCommitments(required, { consolidationCommitments: [{ goalCode: 'A', commitment: ' Contratar en octubre ' }, { goalCode: 'Z', commitment: 'otra meta cualquiera' }] })).toMatchObject({
      ok: false,
      problems: [{ goalCode: null, message: 'Compromisos de consolidación para metas que no los requieren: Z' }],
    });
    expect(readConsolidationCommitments(required, { consolidationCommitments: [{ goalCode: 'A', commitment: ' Contratar en octubre ' }] })).toEqual({
      ok: true,
      commitments: [{ goalCode: 'A', commitment: 'Contratar en octubre' }],
    });
    expect(readConsolidationCommitments([], { consolidationCommitments: 'nada' })).toEqual({ ok: true, commitments: [] });
  });
});
