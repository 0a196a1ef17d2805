import { eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { loadQuarterData } from '../db/queries';
import { responseDeadline } from '../domain/businessDays';
import { recordedVerdicts } from '../db/verdicts';
import { departmentReviewWorkflowId } from '../domain/workflowIds';
import type { GoalStatus } from '../domain/goals';
import { describeResponseWindow, type ResponseWindow } from '../domain/responseWindow';
import type { CumulativeLaggingRow, CycleGoalView, CycleSummary, QuarterData, RecordedVerdict } from '../workflows/types';
import type { Audit } from './audit';

/** The quarterly cycle: registered, its quarter loaded, its dashboard stored, deadlines computed, completed. */
export function createCycleActivities({ db, timeZone, audit }: { db: Database; timeZone: string; audit: Audit }) {
  return {
    async registerCycle(input: {
      cycleWorkflowId: string;
      fiscalYear: number;
      quarter: number;
      responseWindow: ResponseWindow;
      startedBy: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .insert(t.cycles)
          .values({
            workflowId: input.cycleWorkflowId,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            responseWindow: describeResponseWindow(input.responseWindow),
            startedBy: input.startedBy,
            status: 'classifying',
          })
          .onConflictDoNothing();
        await audit(
          { key: `${input.cycleWorkflowId}:started`, actor: input.startedBy, action: 'cycle.started', subject: input.cycleWorkflowId, details: { fiscalYear: input.fiscalYear, quarter: input.quarter } },
          tx,
        );
      });
    },

    /** The year's goals with their current programming and every quarter's latest reported value. */
    loadQuarter({ fiscalYear }: { fiscalYear: number }): Promise<QuarterData> {
      return loadQuarterData(db, fiscalYear);
    },

    /**
     * The verdicts earlier cycles of the year recorded (their dashboards), so the Q3 cumulative
     * matrix lists each quarter as it was judged, never recomputed with a later programming.
     */
    loadRecordedVerdicts({ fiscalYear, quarters }: { fiscalYear: number; quarters: number[] }): Promise<RecordedVerdict[]> {
      return recordedVerdicts(db, fiscalYear, quarters);
    },

    async storeDashboard(input: {
      cycleWorkflowId: string;
      fiscalYear: number;
      quarter: number;
      goals: CycleGoalView[];
      totals: Partial<Record<GoalStatus, number>>;
      cumulativeLagging: CumulativeLaggingRow[] | null;
    }): Promise<void> {
      await db
        .insert(t.dashboardSnapshots)
        .values({
          cycleWorkflowId: input.cycleWorkflowId,
          fiscalYear: input.fiscalYear,
          quarter: input.quarter,
          goals: input.goals,
          totals: input.totals,
          cumulativeLagging: input.cumulativeLagging,
        })
        .onConflictDoNothing();
      await db.update(t.cycles).set({ status: 'reviewing' }).where(eq(t.cycles.workflowId, input.cycleWorkflowId));
    },

    /** Deadlines in business days end at midnight of the last day, in the office's time zone. */
    async computeDeadline({ window, from }: { window: ResponseWindow; from: string }): Promise<{ deadline: string }> {
      return { deadline: responseDeadline(window, new Date(from), timeZone) };
    },

    async completeCycle({ cycleWorkflowId, summary }: { cycleWorkflowId: string; summary: CycleSummary }) {
      await db
        .update(t.cycles)
        .set({ status: 'completed', summary, completedAt: sql`coalesce(${t.cycles.completedAt}, now())` })
        .where(eq(t.cycles.workflowId, cycleWorkflowId));
      // A review that failed or was terminated never recorded its end: the cycle records it, so no page offers it as running.
      const failed = Object.entries(summary.outcomes)
        .filter(([, outcome]) => outcome === 'failed')
        .map(([code]) => departmentReviewWorkflowId(cycleWorkflowId, code));
      if (failed.length) {
        await db
          .update(t.departmentReviews)
          .set({ status: 'failed', outcome: 'failed', completedAt: sql`coalesce(${t.departmentReviews.completedAt}, now())` })
          .where(inArray(t.departmentReviews.workflowId, failed));
      }
      await audit({ key: `${cycleWorkflowId}:completed`, actor: 'sistema', action: 'cycle.completed', subject: cycleWorkflowId, details: summary.outcomes });
    },
  };
}
