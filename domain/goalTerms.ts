/**
 * The words of the goal arithmetic, shared by domain/goals.ts (which re-exports them) and the
 * modules it builds on (accumulation, measurement), so none of them imports goals.ts back.
 */

/**
 * DNP's six "tipos de acumulación" (domain/accumulation.ts has their arithmetic). `sum` is DNP's
 * acumulado: the code keeps the name stored since the first version.
 */
export const accumulationTypes = ['sum', 'flow', 'stock', 'capacity', 'reduction', 'annualReduction'] as const;
export type AccumulationType = (typeof accumulationTypes)[number];

/**
 * `noReport`: something was programmed for the quarter and nothing was reported for it.
 * `unprogrammedExecution`: something was executed in a year with nothing programmed.
 */
export const goalStatuses = ['notEvaluated', 'notStarted', 'behind', 'onTrack', 'achieved', 'overachieved', 'noReport', 'unprogrammedExecution'] as const;
export type GoalStatus = (typeof goalStatuses)[number];

export type Quarter = 1 | 2 | 3 | 4;

export interface Thresholds {
  /** Below this percentage of the expected progress a goal is "atrasada". */
  behindBelowPercent: number;
  /** Above this percentage of the annual programming a goal is "sobrecumplida". */
  overachievedAbovePercent: number;
}

/** One year's programming of a goal: the annual target and, where the plan has them, quarterly targets. */
export interface YearProgramming {
  annualTarget: number | null;
  quarterlyTargets: [number | null, number | null, number | null, number | null] | null;
}

/** What was executed (reported) in each quarter of the year; null where nothing was reported. */
export type QuarterlyExecution = [number | null, number | null, number | null, number | null];
