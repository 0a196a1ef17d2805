import type { GoalStatus } from './goals';

/**
 * The order PE-P-008 task 3 asks for: lagging goals first (no iniciada, then atrasada), then those
 * sin reporte, then the sobrecumplidas, then the rest, each group by code. The alert e-mail and the liaison's form list
 * goals in this one order, so the person reads them in the same sequence in both.
 */
const priority: Partial<Record<GoalStatus, number>> = { notStarted: 0, behind: 1, noReport: 2, overachieved: 3 };

export const byAlertPriority = (a: { goalCode: string; status: GoalStatus | null }, b: { goalCode: string; status: GoalStatus | null }): number =>
  (priority[a.status ?? 'notEvaluated'] ?? 4) - (priority[b.status ?? 'notEvaluated'] ?? 4) || a.goalCode.localeCompare(b.goalCode, 'es');
