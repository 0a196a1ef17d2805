import fc from 'fast-check';
import { loadConfig } from '../config';
import { cycleWorkflowId, departmentReviewWorkflowId, parseCycleWorkflowId, parseReviewWorkflowId, parseWorkflowId } from '../domain/workflowIds';

describe('workflow IDs (domain/workflowIds.ts)', () => {
  const prefix = fc.option(fc.stringMatching(/^[A-Za-z0-9_]{1,40}$/), { nil: undefined });
  const department = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);

  test('every cycle and review ID built here reads back as what it names, with or without the municipality', () => {
    fc.assert(
      fc.property(prefix, fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 4 }), department, (municipality, year, quarter, code) => {
        const cycleId = cycleWorkflowId(year, quarter, municipality);
        const reviewId = departmentReviewWorkflowId(cycleId, code);
        expect(parseCycleWorkflowId(cycleId)).toEqual({
          kind: 'cycle',
          municipalityCode: municipality ?? null,
          fiscalYear: year,
          quarter,
          cycleWorkflowId: cycleId,
          departmentCode: null,
        });
        expect(parseReviewWorkflowId(reviewId)).toMatchObject({ kind: 'review', municipalityCode: municipality ?? null, cycleWorkflowId: cycleId, departmentCode: code });
        expect(parseReviewWorkflowId(cycleId)).toBeNull();
        expect(parseCycleWorkflowId(reviewId)).toBeNull();
      }),
    );
  });

  test('the shapes in use read as expected, and anything else is none of ours', () => {
    expect(cycleWorkflowId(2026, 3)).toBe('revision-2026-T3');
    expect(parseWorkflowId('52001-revision-2026-T3-SEDU')).toMatchObject({ municipalityCode: '52001', cycleWorkflowId: '52001-revision-2026-T3', departmentCode: 'SEDU' });
    for (const bad of ['revision-2026-T5', 'revision-26-T1', 'a-b-revision-2026-T1', 'revision-2026-T1-', '../revision-2026-T1', 'revision-2026-T1-SE DU', '']) {
      expect(parseWorkflowId(bad)).toBeNull();
    }
  });

  test('the prefix is configured with TEMPORAL_WORKFLOW_ID_PREFIX and refused when it could not be read back', () => {
    expect(loadConfig({ TEMPORAL_WORKFLOW_ID_PREFIX: '52001' }).TEMPORAL_WORKFLOW_ID_PREFIX).toBe('52001');
    expect(() => loadConfig({ TEMPORAL_WORKFLOW_ID_PREFIX: 'pasto-nariño' })).toThrow(/TEMPORAL_WORKFLOW_ID_PREFIX.*guion bajo/);
  });
});
