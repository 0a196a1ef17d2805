import type { Quarter, Thresholds, YearProgramming } from '../domain/goals';
import type { DepartmentInfo } from '../domain/quarterData';
import type { ResponseWindow } from '../domain/responseWindow';
import type { TermProgramming } from '../domain/termTarget';
import type { SavedGoalState } from '../machines/goalStatus';

// The shared shapes live in domain/ (db, reports and services read them too); the workflows import them from here.
export type { CumulativeLaggingRow, DepartmentInfo, GoalForReview, QuarterData, RecordedVerdict } from '../domain/quarterData';
export type {
  CycleGoalView,
  CyclePhase,
  CycleSummary,
  CycleView,
  DepartmentReviewOutcome,
  GoalView,
  ReviewAction,
  ReviewView,
} from '../domain/reviewViews';

export interface QuarterlyReviewInput {
  fiscalYear: number;
  quarter: Quarter;
  responseWindow: ResponseWindow;
  /** Reminders before each deadline (default 5 and 1 business days); absent in older cycles. */
  reminders?: ResponseWindow[];
  thresholds: Thresholds;
  startedBy: string;
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
