import { and, eq } from 'drizzle-orm';
import * as t from '../../db/schema';
import { loadDemoData } from '../../db/demo';
import type { Database } from '../../db/client';
import { eventually, type Harness } from './harness';

/** A SINF goal (sum, 2 a year, 0,5 a quarter) reported 0 in T1 and T2: no iniciada both quarters. */
export const LAGGED_GOAL = '2402003-01';

/** The demo programmed for the test's year, with the goal reported 0 in T1 and T2. */
export async function seedLaggedGoal(db: Database, year: number): Promise<void> {
  await loadDemoData(db, { planYears: [year], progressYear: year });
  await db.insert(t.goalProgress).values([1, 2].map((quarter) => ({ goalCode: LAGGED_GOAL, fiscalYear: year, quarter, version: 1, executed: 0, reportedBy: 'prueba' })));
}

/** Waits for the dashboard a quarter's cycle stores when it classifies the goals. */
export const storedDashboard = async (h: Harness, quarter: number) =>
  eventually(
    async () =>
      (
        await h.database.db
          .select()
          .from(t.dashboardSnapshots)
          .where(and(eq(t.dashboardSnapshots.fiscalYear, h.fiscalYear), eq(t.dashboardSnapshots.quarter, quarter)))
      )[0],
    { what: `the T${quarter} dashboard` },
  );

/** In T3 the goal is reprogrammed to [0, 0, 10, 30] and reports 10: on track with the new programming. */
export async function reprogramInThirdQuarter(db: Database, year: number): Promise<void> {
  await db.insert(t.goalProgramming).values({
    goalCode: LAGGED_GOAL,
    fiscalYear: year,
    version: 2,
    annualTarget: 40,
    quarterlyTargets: [0, 0, 10, 30],
    reason: 'Reprogramación aprobada en el tercer trimestre',
    createdBy: 'prueba',
  });
  await db.insert(t.goalProgress).values({ goalCode: LAGGED_GOAL, fiscalYear: year, quarter: 3, version: 1, executed: 10, reportedBy: 'prueba' });
}
