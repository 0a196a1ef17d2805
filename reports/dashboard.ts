import { goalStatusLabels, type GoalStatus } from '../domain/goals';

/**
 * Semáforo of the dashboard (tablero de control), one colour per status (RGB hex, no '#').
 *
 * - Red family for rezagadas: dark red = no iniciada (the worst case), orange = atrasada.
 * - Green = al día; blue = cumplida, so "done" never reads as "in progress" and stays distinct
 *   from red for red–green colour-blind readers.
 * - Purple = sobrecumplida: flagged by PE-P-008 task 2 but not lagging, so it must not look like
 *   orange; grey = no evaluada (nothing programmed in the year).
 *
 * `text` is the font colour on that fill; every pair has a contrast ratio of at least 4.5:1 (WCAG AA)
 * and every fill at least 3:1 against white (WCAG 1.4.11, for chart bars on a white slide). The
 * status label is always printed next to the colour, so colour is never the only cue.
 */
export const statusColors: Record<GoalStatus, { fill: string; text: string }> = {
  notStarted: { fill: '8B1A1A', text: 'FFFFFF' },
  behind: { fill: 'E8700A', text: '000000' },
  onTrack: { fill: '1E7B34', text: 'FFFFFF' },
  achieved: { fill: '1F5FA8', text: 'FFFFFF' },
  overachieved: { fill: '6A3D9A', text: 'FFFFFF' },
  notEvaluated: { fill: '8C8C8C', text: '000000' },
  // Sin reporte: brown, apart from the reds (nothing is known) and from grey (something was due).
  noReport: { fill: '5C4033', text: 'FFFFFF' },
  // Ejecución sin programación: teal, listed for the coordinator but outside the percentage base.
  unprogrammedExecution: { fill: '00707A', text: 'FFFFFF' },
};

/** Order of statuses in every report: from the most urgent to the ones that need no action. */
export const reportStatusOrder: readonly GoalStatus[] = [
  'notStarted', 'behind', 'noReport', 'onTrack', 'achieved', 'overachieved', 'unprogrammedExecution', 'notEvaluated',
];

/** Nothing programmed in the year: counted and listed, outside the base of every percentage. */
export const unprogrammedStatuses: readonly GoalStatus[] = ['notEvaluated', 'unprogrammedExecution'];

export const laggingStatuses: readonly GoalStatus[] = ['notStarted', 'behind'];
export const isLagging = (status: GoalStatus) => laggingStatuses.includes(status);

export const statusLabel = (status: GoalStatus) => goalStatusLabels[status];

export interface StatusBreakdown {
  total: number;
  /** Goals with programming in the year: the base of every percentage. */
  evaluated: number;
  counts: Record<GoalStatus, number>;
  /** Share of the evaluated goals (0–1); null for notEvaluated, and for every status when none was evaluated. */
  shares: Record<GoalStatus, number | null>;
  lagging: number;
  laggingShare: number | null;
}

export interface DashboardGroup extends StatusBreakdown {
  key: string;
  label: string;
}

export interface Dashboard {
  plan: StatusBreakdown;
  byLine: DashboardGroup[];
  byDepartment: DashboardGroup[];
}

export interface DashboardGoal {
  status: GoalStatus;
  departmentCode: string;
  departmentName: string;
  strategicLine: string;
}

const zeroCounts = (): Record<GoalStatus, number> => ({
  notEvaluated: 0,
  notStarted: 0,
  behind: 0,
  onTrack: 0,
  achieved: 0,
  overachieved: 0,
  noReport: 0,
  unprogrammedExecution: 0,
});

/**
 * Counts and shares by status. A goal "no evaluada" has nothing programmed in the year, so it can be
 * neither on time nor late: it is counted but left out of the percentage base, otherwise a plan with
 * many unprogrammed goals would look better (or worse) than its programmed goals are doing.
 */
export function breakdown(statuses: readonly GoalStatus[]): StatusBreakdown {
  const counts = zeroCounts();
  for (const status of statuses) counts[status] += 1;
  const evaluated = statuses.length - counts.notEvaluated - counts.unprogrammedExecution;
  const share = (n: number) => (evaluated === 0 ? null : n / evaluated);
  const shares = Object.fromEntries(
    reportStatusOrder.map((s) => [s, unprogrammedStatuses.includes(s) ? null : share(counts[s])]),
  ) as Record<GoalStatus, number | null>;
  const lagging = counts.notStarted + counts.behind;
  return { total: statuses.length, evaluated, counts, shares, lagging, laggingShare: share(lagging) };
}

function groupBy(goals: readonly DashboardGoal[], keyOf: (g: DashboardGoal) => string, labelOf: (g: DashboardGoal) => string): DashboardGroup[] {
  const groups = new Map<string, { label: string; statuses: GoalStatus[] }>();
  for (const goal of goals) {
    const key = keyOf(goal);
    const group = groups.get(key) ?? { label: labelOf(goal), statuses: [] };
    group.statuses.push(goal.status);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'es'))
    .map(([key, { label, statuses }]) => ({ key, label, ...breakdown(statuses) }));
}

/** The dashboard's three views: whole plan, per línea estratégica and per dependencia. Pure. */
export function summarize(goals: readonly DashboardGoal[]): Dashboard {
  return {
    plan: breakdown(goals.map((g) => g.status)),
    byLine: groupBy(goals, (g) => g.strategicLine, (g) => g.strategicLine),
    byDepartment: groupBy(goals, (g) => g.departmentCode, (g) => g.departmentName),
  };
}
