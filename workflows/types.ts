import type { AccumulationType, GoalStatus, Measurement, Quarter, QuarterlyExecution, Thresholds, YearProgramming } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import type { ResponseWindow } from '../domain/responseWindow';
import type { TermProgramming } from '../domain/termTarget';
import type { GoalState, SavedGoalState } from '../machines/goalStatus';

export interface QuarterlyReviewInput {
  fiscalYear: number;
  quarter: Quarter;
  responseWindow: ResponseWindow;
  /** Reminders before each deadline (default 5 and 1 business days); absent in older cycles. */
  reminders?: ResponseWindow[];
  thresholds: Thresholds;
  startedBy: string;
}

export interface DepartmentInfo {
  code: string;
  name: string;
  liaisonName: string | null;
  liaisonEmail: string | null;
}

/** A goal as the quarter's review sees it: its programming and what was reported. */
export interface GoalForReview {
  goalCode: string;
  departmentCode: string;
  name: string;
  strategicLine: string;
  accumulation: AccumulationType;
  programming: YearProgramming;
  execution: QuarterlyExecution;
  /** The whole term's programming, so a reprogramming can be checked against the meta cuatrienio. */
  term: TermProgramming;
}

export interface QuarterData {
  departments: DepartmentInfo[];
  goals: GoalForReview[];
}

export interface FlaggedGoal {
  goalCode: string;
  name: string;
  programming: YearProgramming;
  /** Absent in reviews started before the term check existed. */
  term?: TermProgramming;
  state: SavedGoalState;
}

export interface DepartmentReviewInput {
  cycleWorkflowId: string;
  fiscalYear: number;
  quarter: Quarter;
  department: DepartmentInfo;
  responseWindow: ResponseWindow;
  reminders?: ResponseWindow[];
  goals: FlaggedGoal[];
}

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
  status: GoalState;
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
}

export interface CumulativeLaggingRow {
  goalCode: string;
  departmentCode: string;
  byQuarter: { quarter: number; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
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
}

export interface CycleSummary {
  workflowId: string;
  totals: Partial<Record<GoalStatus, number>>;
  outcomes: Record<string, DepartmentReviewOutcome>;
}
