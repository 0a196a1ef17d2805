import { ChildWorkflowFailure, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ReviewActivities } from '../activities';
import { classifyGoals, countByStatus, cumulativeLagging, isFlaggedGoal, verdictsOf, type ClassifiedGoal } from './classifyQuarter';
import { cumulativeFromVerdicts } from '../domain/quarterData';
import { departmentReviewV2 } from './departmentReview';
import { departmentReview } from './legacy/departmentReview';
import { failure, FailureTypes } from './failures';
import { Patches } from './patches';
import { cycleStateQuery, departmentReviewWorkflowId } from './messages';
import { DepartmentCode, FiscalYear, Quarter, ReviewStatus } from './searchAttributes';
import type { CycleSummary, CyclePhase, CycleView, DepartmentReviewOutcome, QuarterlyReviewInput } from './types';

const activities = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});
/** Writing the cycle's own rows: local activities, as in departmentReview. */
const localActivities = proxyLocalActivities<ReviewActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * One quarter of PE-P-008 (workflow ID `revision-<year>-T<quarter>`, see messages.ts): classify every goal, store the
 * dashboard (tablero de control), and run one department review per department with flagged goals.
 */
export async function quarterlyReview(input: QuarterlyReviewInput): Promise<CycleSummary> {
  const cycleWorkflowId = workflowInfo().workflowId;
  // Cycles started before local activities replay with every activity a regular one.
  const records = patched(Patches.localActivities) ? localActivities : activities;
  let phase: CyclePhase = 'loading';
  let classified: ClassifiedGoal[] = [];
  let view: CycleView = {
    workflowId: cycleWorkflowId,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    phase,
    totals: {},
    departments: [],
    goals: [],
    cumulativeLagging: null,
  };
  const outcomes: Record<string, DepartmentReviewOutcome> = {};
  setHandler(cycleStateQuery, () => ({
    ...view,
    phase,
    // Who started it, for the monitor before the cycle is recorded (a query: no command, nothing to patch).
    startedBy: input.startedBy,
    departments: view.departments.map((d) => ({ ...d, outcome: outcomes[d.code] ?? null })),
  }));

  const enterPhase = (next: CyclePhase) => {
    phase = next;
    upsertSearchAttributes([{ key: ReviewStatus, value: next }]);
  };

  await records.registerCycle({
    cycleWorkflowId,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    responseWindow: input.responseWindow,
    startedBy: input.startedBy,
  });
  const quarterData = await activities.loadQuarter({ fiscalYear: input.fiscalYear });
  if (quarterData.goals.length === 0) {
    throw failure(FailureTypes.noGoalsForQuarter, `No hay metas programadas para la vigencia ${input.fiscalYear}`);
  }

  // Task 2: every goal's status at the quarter's end.
  enterPhase('classifying');
  // Cycles started before DNP's arithmetic replay with the first one (it decides which departments are reviewed).
  const arithmetic = patched(Patches.dnpMeasurement) ? 'dnp' : 'v1';
  classified = classifyGoals(quarterData.goals, input.quarter, input.thresholds, arithmetic);
  // Cycles started before frozen verdicts recompute the earlier quarters with the current programming.
  const frozenVerdicts = patched(Patches.frozenVerdicts);
  let lagging = null;
  if (input.quarter === 3 && frozenVerdicts) {
    const earlier = await records.loadRecordedVerdicts({ fiscalYear: input.fiscalYear, quarters: [1, 2] });
    lagging = cumulativeFromVerdicts([...earlier, ...verdictsOf(classified, input.quarter)], quarterData.goals, input.quarter, input.thresholds);
  } else if (input.quarter === 3) {
    lagging = cumulativeLagging(quarterData.goals, input.quarter, input.thresholds, arithmetic);
  }
  const flaggedByDepartment = new Map<string, ClassifiedGoal[]>();
  for (const goal of classified.filter(isFlaggedGoal)) {
    const code = goal.goal.departmentCode;
    flaggedByDepartment.set(code, [...(flaggedByDepartment.get(code) ?? []), goal]);
  }
  const reviewed = quarterData.departments.filter((d) => flaggedByDepartment.has(d.code));
  view = {
    ...view,
    totals: countByStatus(classified),
    goals: classified.map(({ goal, state }) => ({
      goalCode: goal.goalCode,
      departmentCode: goal.departmentCode,
      strategicLine: goal.strategicLine,
      state: state.value,
      status: state.context.status,
      measurement: state.context.measurement,
      // The programming in force now: the dashboard is the quarter's frozen verdict.
      programming: goal.programming,
    })),
    cumulativeLagging: lagging,
    departments: reviewed.map((d) => ({
      code: d.code,
      name: d.name,
      reviewWorkflowId: departmentReviewWorkflowId(cycleWorkflowId, d.code),
      flaggedGoals: flaggedByDepartment.get(d.code)?.length ?? 0,
      outcome: null,
    })),
  };
  await records.storeDashboard({
    cycleWorkflowId,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    goals: view.goals,
    totals: view.totals,
    cumulativeLagging: lagging,
  });

  // Tasks 3–5, one durable review per department. Cycles started before the review machine keep
  // starting the legacy review type, so their histories replay.
  enterPhase('reviewing');
  const reviewWorkflow = patched(Patches.reviewMachine) ? departmentReviewV2 : departmentReview;
  const reviews = await Promise.all(
    reviewed.map((department) =>
      startChild(reviewWorkflow, {
        workflowId: departmentReviewWorkflowId(cycleWorkflowId, department.code),
        args: [
          {
            cycleWorkflowId,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            department,
            responseWindow: input.responseWindow,
            reminders: input.reminders,
            goals: (flaggedByDepartment.get(department.code) ?? []).map(({ goal, state }) => ({
              goalCode: goal.goalCode,
              name: goal.name,
              programming: goal.programming,
              term: goal.term,
              state,
            })),
          },
        ],
        typedSearchAttributes: [
          { key: FiscalYear, value: input.fiscalYear },
          { key: Quarter, value: input.quarter },
          { key: DepartmentCode, value: department.code },
          { key: ReviewStatus, value: 'alerted' },
        ],
      }),
    ),
  );
  const failedReviewsSurvive = patched(Patches.failedReviews);
  await Promise.all(
    reviews.map(async (handle, i) => {
      const code = reviewed[i]?.code as string;
      try {
        outcomes[code] = await handle.result();
      } catch (error) {
        // One department's review failing (a defect, or terminated by hand) must not end the others'.
        if (!failedReviewsSurvive || !(error instanceof ChildWorkflowFailure)) throw error;
        outcomes[code] = 'failed';
      }
    }),
  );

  const summary: CycleSummary = { workflowId: cycleWorkflowId, totals: view.totals, outcomes };
  await records.completeCycle({ cycleWorkflowId, summary });
  enterPhase('completed');
  return summary;
}
