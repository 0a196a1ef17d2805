import { cycleTitle } from './format';
/**
 * Workflow IDs, built and read in one place. One cycle per quarter, so starting it twice finds the
 * running one: `revision-<year>-T<quarter>`; each department's review is named after its cycle,
 * `revision-<year>-T<quarter>-<department>`. Where many municipalities share one Temporal namespace
 * (a departmental government, DNP, the benchmarks, the test suite) every ID starts with the
 * municipality's prefix: `<municipality>-revision-2026-T3-SEDU`. A municipality's own deployment
 * has none.
 */

/** A prefix has no hyphen, so the ID reads back unambiguously. */
export const workflowIdPrefixPattern = /^[A-Za-z0-9_]{1,40}$/;
const idPattern = /^(?:([A-Za-z0-9_]{1,40})-)?revision-(\d{4})-T([1-4])(?:-([A-Za-z0-9_.-]{1,60}))?$/;

export interface ParsedWorkflowId {
  kind: 'cycle' | 'review';
  /** The municipality's prefix, or null in a municipality's own deployment. */
  municipalityCode: string | null;
  fiscalYear: number;
  quarter: 1 | 2 | 3 | 4;
  /** The cycle this ID is or belongs to. */
  cycleWorkflowId: string;
  /** A review's department; null for a cycle. */
  departmentCode: string | null;
}

export const cycleWorkflowId = (fiscalYear: number, quarter: number, municipalityCode?: string | null) =>
  `${municipalityCode ? `${municipalityCode}-` : ''}revision-${fiscalYear}-T${quarter}`;

export const departmentReviewWorkflowId = (cycleId: string, departmentCode: string) => `${cycleId}-${departmentCode}`;

/** What an ID names, or null when it is none of ours. */
export function parseWorkflowId(id: string): ParsedWorkflowId | null {
  const match = idPattern.exec(id);
  if (!match) return null;
  const [, municipalityCode, year, quarter, departmentCode] = match;
  const fiscalYear = Number(year);
  return {
    kind: departmentCode ? 'review' : 'cycle',
    municipalityCode: municipalityCode ?? null,
    fiscalYear,
    quarter: Number(quarter) as 1 | 2 | 3 | 4,
    cycleWorkflowId: cycleWorkflowId(fiscalYear, Number(quarter), municipalityCode),
    departmentCode: departmentCode ?? null,
  };
}

export const parseCycleWorkflowId = (id: string) => {
  const parsed = parseWorkflowId(id);
  return parsed?.kind === 'cycle' ? parsed : null;
};

export const parseReviewWorkflowId = (id: string) => {
  const parsed = parseWorkflowId(id);
  return parsed?.kind === 'review' ? parsed : null;
};

/** Whether an ID is one of this installation's (same municipality prefix, or none for none). */
export const isOwnWorkflowId = (id: string, municipalityCode?: string | null) => {
  const parsed = parseWorkflowId(id);
  return parsed !== null && parsed.municipalityCode === (municipalityCode || null);
};

/** The department a review ID names (`revision-2026-T2-SEDU` → `SEDU`), or null. */
export const departmentInReviewId = (id: string) => parseReviewWorkflowId(id)?.departmentCode ?? null;

/** "Revisión trimestral 2026 · T3" for a cycle's or a review's workflow ID; the ID itself when it is none of ours. */
export function workflowTitle(workflowId: string): string {
  const parsed = parseWorkflowId(workflowId);
  return parsed ? cycleTitle(parsed.fiscalYear, parsed.quarter) : workflowId;
}
