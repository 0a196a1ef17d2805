/** What the quarter's reports are made of: the classified goals, the cumulative lagging matrix, the justifications. */
import type { AccumulationType, GoalStatus, Measurement, Quarter, Thresholds, YearProgramming } from '../domain/goals';
import type { CumulativeQuarter } from '../domain/quarterData';

/** Where a report's classification comes from: the cycle's stored dashboard, or the current data. */
export type ReportSource = 'cycle' | 'live';

/** A goal's descriptive attributes (the goals table holds the latest import's values). */
export interface GoalInfo {
  goalCode: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  strategicLine: string;
  programCode: string;
  program: string;
  indicator: string;
  unit: string;
  accumulation: AccumulationType;
  /** The Plan Indicativo's línea base (null: not imported; the type's documented default applies). */
  baseline: number | null;
}

export interface ReportGoal extends GoalInfo {
  /** Programación anual of the year (null: nothing programmed). */
  annualTarget: number | null;
  expectedToDate: number | null;
  executedToDate: number | null;
  /** Executed against expected by the quarter's end, in percent. */
  progressPercent: number | null;
  /** Executed against the annual programming, in percent. */
  annualPercent: number | null;
  /** Avance de la vigencia (DNP, by the goal's accumulation type), in percent: the same as annualPercent. */
  avanceVigencia: number | null;
  /** Avance del cuatrienio (DNP), in percent; null for dashboards stored before it was measured. */
  avanceCuatrienio: number | null;
  status: GoalStatus;
  /**
   * Set when the goal's stored numbers cannot be used (out of range, not finite, missing where
   * required; see domain/numbers.ts): its numbers are then left out and it counts as not evaluated.
   */
  dataError?: string;
}

/** A goal left out of (or blanked in) a report because its stored data cannot be used. */
export interface InvalidReportGoal {
  goalCode: string;
  reason: string;
}

export interface ReportHeader {
  fiscalYear: number;
  quarter: Quarter;
  /** From the plans table; null when no plan was registered (the demo has none). */
  municipality: string | null;
  planName: string | null;
}

export interface QuarterReport extends ReportHeader {
  source: ReportSource;
  cycleWorkflowId: string;
  /** When the cycle stored its dashboard (source 'cycle'); null for a live classification. */
  classifiedAt: string | null;
  /** The thresholds of a live classification; a cycle's dashboard was classified with the ones of its time. */
  thresholds: Thresholds | null;
  departments: { code: string; name: string }[];
  goals: ReportGoal[];
  /** Goals whose stored data cannot be used: shown blank, marked, never a failed page. */
  invalidGoals: InvalidReportGoal[];
}

export interface CumulativeLaggingGoal extends GoalInfo {
  /** Each quarter as its cycle recorded it (domain/quarterData.ts CumulativeQuarter). */
  byQuarter: (CumulativeQuarter & { quarter: Quarter })[];
}

export interface CumulativeLaggingReport extends ReportHeader {
  source: ReportSource;
  cycleWorkflowId: string;
  /** The quarters the matrix covers, 1..quarter. */
  quarters: Quarter[];
  /** Quarters with no recorded verdict for some goal, classified with the current programming. */
  currentBasisQuarters: Quarter[];
  goals: CumulativeLaggingGoal[];
  /** Goals left out because their stored data cannot be used. */
  invalidGoals: InvalidReportGoal[];
}

export type JustificationOutcome = 'reprogrammed' | 'kept' | 'noAdjustment' | 'cancelled' | 'pending';

export const justificationOutcomeLabels: Record<JustificationOutcome, string> = {
  reprogrammed: 'Reprogramada',
  kept: 'Programación mantenida con compromiso',
  noAdjustment: 'Sin respuesta: constancia de negativa de ajustes',
  cancelled: 'Revisión cancelada',
  pending: 'En trámite',
};

export interface StoredAnswer {
  action: 'reprogram' | 'keep';
  justification: string;
  commitment: string;
  newQuarterlyTargets: [number, number, number, number] | null;
}

/** A programming as a reprogramming recorded it, with the later years it moved amounts to (if any). */
export interface ProgrammingVersion extends YearProgramming {
  /** Annual targets of later years of the term, by year ("2027"); null where the year had none. */
  futureAnnualTargets: Record<string, number | null> | null;
}

export interface JustificationRow extends GoalInfo {
  reviewWorkflowId: string;
  /** The goal-status machine's latest state in the review. */
  state: string;
  /** The goal's classification in the quarter, as the review received it. */
  status: GoalStatus | null;
  measurement: Measurement | null;
  /** The liaison's latest answer; null when nobody answered. */
  answer: StoredAnswer | null;
  outcome: JustificationOutcome;
  /** Programming before and after, only when the reprogramming was applied. */
  before: ProgrammingVersion | null;
  after: ProgrammingVersion | null;
  approvedBy: string | null;
  /** Acuerdo del Concejo that authorised changing the meta cuatrienio, when it was changed. */
  councilAgreement: string | null;
  approvedAt: string | null;
  altersTermTarget: boolean;
}

/** A Q3 consolidation commitment: a goal of the year's cumulative matrix not in alert this quarter. */
export interface ConsolidationCommitmentRow {
  goalCode: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  reviewWorkflowId: string;
  byQuarter: { quarter: number; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
  /** The commitment of the review's latest accepted answer; null before it answers. */
  commitment: string | null;
  receivedAt: string | null;
}

export interface JustificationReport extends ReportHeader {
  departmentCode: string | null;
  rows: JustificationRow[];
  /** Q3: commitments on the year's lagging goals not in alert (PE-P-008 task 4); empty otherwise. */
  consolidation: ConsolidationCommitmentRow[];
}
