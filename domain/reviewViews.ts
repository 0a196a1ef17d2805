import type { GoalStatus, Measurement, YearProgramming } from './goals';
import type { DepartmentInfo, CumulativeLaggingRow } from './quarterData';
import type { GoalAnswer } from './review';
import type { TermProgramming } from './termTarget';

/**
 * What a review and a cycle look like from outside: the workflows answer their queries with these
 * views, the read model rebuilds them from the database, and services, pages, auth scopes and
 * scripts read them.
 */

/**
 * The goal-status machine's state names, as the glossary knows them; machines/goalStatus.ts checks
 * at compile time that its machine defines exactly these.
 */
export const goalStateNames = [
  'unclassified',
  'notEvaluated',
  'onTrack',
  'achieved',
  'notStarted',
  'behind',
  'overachieved',
  'noReport',
  'unprogrammedExecution',
  'alerted',
  'awaitingResponse',
  'noAdjustment',
  'responseReceived',
  'underAgreement',
  'reprogrammed',
  'keptWithCommitment',
  'cancelled',
  'dataError',
] as const;
export type GoalState = (typeof goalStateNames)[number];

export interface GoalView {
  goalCode: string;
  name: string;
  state: GoalState;
  status: GoalStatus | null;
  measurement: Measurement | null;
  programming: YearProgramming;
  /** The term's programming per year (for moving pending amounts to later years). */
  term: TermProgramming | null;
  answer: GoalAnswer | null;
}

export type ReviewAction = 'submitResponse' | 'decide' | 'extendDeadline' | 'resendAlert' | 'addNote' | 'cancelReview';

export interface ReviewView {
  workflowId: string;
  cycleWorkflowId: string;
  fiscalYear: number;
  quarter: number;
  department: DepartmentInfo;
  /** The review machine's state, shown in the goal-state words (machines/departmentReview.ts shownReviewState). */
  state: GoalState;
  deadline: string | null;
  alertedAt: string | null;
  /** Rounds of response: 1 for the first answer, +1 after each request for changes. */
  round: number;
  respondent: { name: string; email?: string } | null;
  changeRequests: { comment: string; deadline: string }[];
  /** Reminders sent and deadline extensions granted (absent in views of older code). */
  remindersSent?: number;
  extensions?: { deadline: string; reason: string }[];
  /** The coordinator's notes on the review, oldest first. */
  notes?: { coordinator: string; text: string; at: string }[];
  /** Why and by whom the review was cancelled (absent in reviews older than cancellation). */
  cancellation?: { reason: string; by: string; at: string } | null;
  /** Why the department's stored data could not be processed (outcome dataError); absent in older views. */
  dataError?: { reason: string; problems: string[]; at: string } | null;
  allowedActions: ReviewAction[];
  goals: GoalView[];
  outcome: DepartmentReviewOutcome | null;
}

/** dataError: the department's stored data could not be processed; the reason is recorded. */
export type DepartmentReviewOutcome = 'noAdjustment' | 'reprogrammed' | 'keptWithCommitment' | 'cancelled' | 'dataError' | 'failed';

export interface CycleGoalView {
  goalCode: string;
  departmentCode: string;
  strategicLine: string;
  state: GoalState;
  status: GoalStatus | null;
  measurement: Measurement | null;
  /** The programming in force when the cycle classified the goal (absent in dashboards stored before it was kept). */
  programming?: YearProgramming;
}

export type CyclePhase = 'loading' | 'classifying' | 'reviewing' | 'completed';

export interface CycleView {
  workflowId: string;
  fiscalYear: number;
  quarter: number;
  phase: CyclePhase;
  totals: Partial<Record<GoalStatus, number>>;
  departments: { code: string; name: string; reviewWorkflowId: string; flaggedGoals: number; outcome: DepartmentReviewOutcome | null }[];
  goals: CycleGoalView[];
  cumulativeLagging: CumulativeLaggingRow[] | null;
  /** Who started the cycle (an actor such as user:1); answered by the running workflow's query. */
  startedBy?: string;
}

export interface CycleSummary {
  workflowId: string;
  totals: Partial<Record<GoalStatus, number>>;
  outcomes: Record<string, DepartmentReviewOutcome>;
}
