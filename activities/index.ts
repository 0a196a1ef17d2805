import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { addBusinessDays, endOfLocalDay, localDate, reminderInstants } from '../domain/businessDays';
import { checkTermTarget } from '../domain/termTarget';
import { annualTargetFromQuarters, type AccumulationType, type GoalStatus, type Measurement, type Thresholds, type YearProgramming } from '../domain/goals';
import { describeIssues, type Decision, type GoalAnswer } from '../domain/review';
import { describeResponseWindow, type ResponseWindow } from '../domain/responseWindow';
import type { GoalStepRecord } from '../machines/reviewGoals';
import type { LegacyGoalStepRecord } from '../workflows/legacy/departmentGoals';
import { advanceGoal, startGoal, type SavedGoalState } from '../machines/goalStatus';
import type {
  CumulativeLaggingRow,
  CycleGoalView,
  CycleSummary,
  DepartmentInfo,
  DepartmentReviewOutcome,
  QuarterData,
} from '../workflows/types';
import { loadQuarterData } from '../db/queries';
import { createMailer, type Mailer } from '../mail';
import { createNotifications, type NotificationDependencies } from './notifications';
import { noAdjustmentRecordText, commitmentRecordText } from '../domain/records';
import { goalAnswerSchema } from '../domain/review';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import { FailureTypes } from '../workflows/failures';
import { assertReviewData } from './dataChecks';

export interface ActivityDependencies {
  db: Database;
  /** Deadlines end at midnight in the office's time zone (TZ, America/Bogota by default). */
  timeZone: string;
  now?: () => Date;
  /** E-mail (SMTP or the outbox); default: the outbox only. */
  mailer?: Mailer;
  /** Base address of the app for links in e-mails. */
  publicUrl?: string;
  coordinatorEmail?: string;
  /** The liaison's personal link to a review's response form. */
  reviewLink?: NotificationDependencies['reviewLink'];
}

interface ReviewRef {
  reviewWorkflowId: string;
  fiscalYear: number;
  quarter: number;
  department: DepartmentInfo;
}

/**
 * Every side effect of PE-P-008. Each activity is idempotent: keyed by workflow ID (and goal), so
 * a retry after a crash never writes a record twice.
 */
export function createActivities({
  db,
  timeZone,
  now = () => new Date(),
  mailer = createMailer({ db, from: 'Oficina de Planeación <planeacion@municipio.gov.co>' }),
  publicUrl = 'http://localhost:3000',
  coordinatorEmail,
  reviewLink,
}: ActivityDependencies) {
  const notifications = createNotifications({ db, mailer, timeZone, publicUrl, coordinatorEmail, reviewLink, now });
  /** One audit entry, written once per idempotency key (inside the caller's transaction if given). */
  const audit = (
    entry: { key: string; actor: string; action: string; subject: string; details?: unknown },
    executor: Pick<Database, 'insert'> = db,
  ) =>
    executor
      .insert(t.auditLog)
      .values({ idempotencyKey: entry.key, actor: entry.actor, action: entry.action, subject: entry.subject, details: entry.details ?? null })
      .onConflictDoNothing();

  const activities = {
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
      const start = new Date(from);
      if (window.unit === 'milliseconds') return { deadline: new Date(start.getTime() + window.amount).toISOString() };
      const lastDay = addBusinessDays(localDate(start, timeZone), window.amount);
      return { deadline: endOfLocalDay(lastDay, timeZone).toISOString() };
    },

    /** PE-P-008 task 3: the quarterly alert, recorded (e-mail delivery arrives with the outbox). */
    async sendAlert(
      input: Omit<ReviewRef, 'department'> & {
        cycleWorkflowId: string;
        department: DepartmentInfo;
        goals: { goalCode: string; name: string; status: GoalStatus | null; measurement: Measurement | null }[];
      },
    ): Promise<{ sentAt: string }> {
      // Data that cannot be processed fails here, not retried: the review records it (dataError).
      await assertReviewData(db, { departmentCode: input.department.code, fiscalYear: input.fiscalYear, goals: input.goals });
      return db.transaction(async (tx) => {
        const existing = await tx.select().from(t.alerts).where(eq(t.alerts.reviewWorkflowId, input.reviewWorkflowId));
        if (existing[0]) return { sentAt: new Date(existing[0].sentAt).toISOString() };
        const sentAt = now().toISOString();
        // New alerts go to the department's current version; the alert keeps which one it was.
        const [current] = await tx
          .select({ version: t.departments.version, liaisonEmail: t.departments.liaisonEmail })
          .from(t.departments)
          .where(eq(t.departments.code, input.department.code));
        const recipient = current ? current.liaisonEmail : input.department.liaisonEmail;
        await tx
          .insert(t.departmentReviews)
          .values({
            workflowId: input.reviewWorkflowId,
            cycleWorkflowId: input.cycleWorkflowId,
            departmentCode: input.department.code,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            status: 'alerted',
          })
          .onConflictDoNothing();
        // The deadline column is filled by openResponseWindow; until then the alert's own time stands in.
        await tx.insert(t.alerts).values({
          reviewWorkflowId: input.reviewWorkflowId,
          departmentCode: input.department.code,
          recipient,
          departmentVersion: current?.version ?? null,
          goals: input.goals,
          deadline: sentAt,
          sentAt,
        });
        await audit(
          { key: `${input.reviewWorkflowId}:alert`, actor: 'sistema', action: 'alert.sent', subject: input.reviewWorkflowId, details: { recipient, departmentVersion: current?.version ?? null, goals: input.goals.map((g) => g.goalCode) } },
          tx,
        );
        return { sentAt };
      });
    },

    /** The deadline is known: record it and send the alert e-mail with the matrix and the personal link. */
    async openResponseWindow({
      reviewWorkflowId,
      deadline,
      responseWindow,
    }: {
      reviewWorkflowId: string;
      deadline: string;
      /** Absent in reviews started before alert e-mails existed. */
      responseWindow?: ResponseWindow;
    }): Promise<void> {
      // The alert's matrix is built from the department's data: unusable data fails, never retried.
      const [alerted] = await db
        .select({ departmentCode: t.alerts.departmentCode, goals: t.alerts.goals, fiscalYear: t.departmentReviews.fiscalYear })
        .from(t.alerts)
        .innerJoin(t.departmentReviews, eq(t.departmentReviews.workflowId, t.alerts.reviewWorkflowId))
        .where(eq(t.alerts.reviewWorkflowId, reviewWorkflowId));
      if (alerted) {
        const goals = Array.isArray(alerted.goals) ? (alerted.goals as { goalCode: string; measurement?: Measurement | null }[]) : [];
        await assertReviewData(db, { departmentCode: alerted.departmentCode, fiscalYear: alerted.fiscalYear, goals });
      }
      await db.update(t.alerts).set({ deadline }).where(eq(t.alerts.reviewWorkflowId, reviewWorkflowId));
      if (responseWindow) await notifications.sendAlertMail(reviewWorkflowId, deadline, responseWindow);
    },

    /** When to remind, for the given reminder offsets before the deadline (business days or clock time). */
    async scheduleReminders({ deadline, reminders, from }: { deadline: string; reminders: ResponseWindow[]; from: string }): Promise<{ instants: string[] }> {
      const businessDays = reminders.filter((r) => r.unit === 'businessDays').map((r) => r.amount);
      const clock = reminders
        .filter((r) => r.unit === 'milliseconds')
        .map((r) => new Date(Date.parse(deadline) - r.amount).toISOString())
        .filter((i) => Date.parse(i) > Date.parse(from));
      const instants = [...reminderInstants(deadline, businessDays, new Date(from), timeZone), ...clock];
      return { instants: [...new Set(instants)].sort() };
    },

    sendResponseReceipt: (input: Parameters<typeof notifications.sendResponseReceipt>[0]) => notifications.sendResponseReceipt(input).then(() => undefined),
    sendChangesRequested: (input: Parameters<typeof notifications.sendChangesRequested>[0]) =>
      notifications.sendChangesRequested(input).then(() => undefined),

    /** The coordinator sends the alert again (a new message each time, same link and deadline). */
    async resendAlert(input: { reviewWorkflowId: string; sequence: number; deadline: string; responseWindow: ResponseWindow; coordinator: string }) {
      await notifications.sendAlertMail(input.reviewWorkflowId, input.deadline, input.responseWindow, `alert:resend:${input.sequence}`);
      await audit({
        key: `${input.reviewWorkflowId}:alert:resend:${input.sequence}`,
        actor: input.coordinator,
        action: 'alert.resent',
        subject: input.reviewWorkflowId,
        details: { sequence: input.sequence },
      });
    },

    async recordNote(input: { reviewWorkflowId: string; sequence: number; coordinator: string; text: string; at: string }) {
      await audit({
        key: `${input.reviewWorkflowId}:note:${input.sequence}`,
        actor: input.coordinator,
        action: 'review.note',
        subject: input.reviewWorkflowId,
        details: { text: input.text, at: input.at },
      });
    },

    /** A withdrawn review: recorded with its reason, and the department told it need not answer. */
    async recordCancellation(input: { reviewWorkflowId: string; cancelledBy: string; reason: string; cancelledAt: string }) {
      await audit({
        key: `${input.reviewWorkflowId}:cancelled`,
        actor: input.cancelledBy,
        action: 'review.cancelled',
        subject: input.reviewWorkflowId,
        details: { reason: input.reason, at: input.cancelledAt },
      });
      await notifications.sendReviewCancelled(input);
    },

    async sendReminder({ reviewWorkflowId, sequence, deadline }: { reviewWorkflowId: string; sequence: number; deadline: string }): Promise<void> {
      await notifications.sendReminderMail(reviewWorkflowId, sequence, deadline);
      await audit({
        key: `${reviewWorkflowId}:reminder:${sequence}`,
        actor: 'sistema',
        action: 'reminder.sent',
        subject: reviewWorkflowId,
        details: { sequence, deadline },
      });
    },

    /**
     * Writes the machine steps of a review. Steps carry events; each snapshot is rebuilt here by the
     * same pure machine from the previous stored one (or, for step 0, from the classification), so
     * the database keeps every snapshot while the history stays small. Steps sent by older workflow
     * code carry their snapshot and are stored as they come.
     */
    async recordGoalStates(input: {
      reviewWorkflowId: string;
      status: string;
      deadline: string | null;
      /** Classification thresholds, to rebuild step 0 (absent from older workflow code). */
      thresholds?: Thresholds;
      steps: (GoalStepRecord | LegacyGoalStepRecord)[];
    }): Promise<void> {
      await db.transaction(async (tx) => {
        // Snapshots by goal and sequence: each step replays on the one just before it, also when a
        // retried attempt finds its own steps already stored.
        const stored = new Map<string, SavedGoalState>();
        const key = (goalCode: string, sequence: number) => `${goalCode}#${sequence}`;
        const needed = [...new Set(input.steps.filter((s) => s.sequence > 0 && !('snapshot' in s)).map((s) => s.goalCode))];
        if (needed.length) {
          const rows = await tx
            .select({ goalCode: t.goalReviewStates.goalCode, sequence: t.goalReviewStates.sequence, snapshot: t.goalReviewStates.snapshot })
            .from(t.goalReviewStates)
            .where(and(eq(t.goalReviewStates.reviewWorkflowId, input.reviewWorkflowId), inArray(t.goalReviewStates.goalCode, needed)));
          for (const row of rows) stored.set(key(row.goalCode, row.sequence), row.snapshot as SavedGoalState);
        }
        const values = [...input.steps]
          .sort((a, b) => a.sequence - b.sequence)
          .map((step) => {
            const snapshot =
              'snapshot' in step ? step.snapshot : replayGoalStep(step, stored.get(key(step.goalCode, step.sequence - 1)) ?? null, input.thresholds);
            stored.set(key(step.goalCode, step.sequence), snapshot);
            return {
              reviewWorkflowId: input.reviewWorkflowId,
              goalCode: step.goalCode,
              sequence: step.sequence,
              state: step.state,
              snapshot,
              event: typeof step.event === 'string' ? step.event : step.event.type,
            };
          });
        if (values.length) await tx.insert(t.goalReviewStates).values(values).onConflictDoNothing();
        await tx
          .update(t.departmentReviews)
          .set({ status: input.status, deadline: input.deadline })
          .where(eq(t.departmentReviews.workflowId, input.reviewWorkflowId));
      });
    },

    async recordDecision({ reviewWorkflowId, round, decision }: { reviewWorkflowId: string; round: number; decision: Decision }) {
      await db.transaction(async (tx) => {
        await tx
          .insert(t.decisions)
          .values({
            reviewWorkflowId,
            round,
            decision: decision.decision,
            coordinator: decision.coordinator,
            comment: decision.comment ?? null,
          })
          .onConflictDoNothing();
        await audit(
          { key: `${reviewWorkflowId}:decision:${round}`, actor: decision.coordinator, action: decision.decision === 'approve' ? 'response.approved' : 'changes.requested', subject: reviewWorkflowId, details: { round, comment: decision.comment ?? null } },
          tx,
        );
      });
    },

    /** The constancia de negativa de ajustes: no answer by the deadline (PE-P-008 task 3). */
    async recordNoAdjustment(
      input: ReviewRef & { goalCodes: string[]; alertedAt: string | null; deadline: string | null; remindersSent: number },
    ): Promise<void> {
      const body = noAdjustmentRecordText({ ...input, timeZone, recordedAt: now() });
      await db.transaction(async (tx) => {
        await tx
          .insert(t.records)
          .values({
            reviewWorkflowId: input.reviewWorkflowId,
            kind: 'noAdjustment',
            departmentCode: input.department.code,
            goalCodes: input.goalCodes,
            body,
          })
          .onConflictDoNothing();
        await audit(
          { key: `${input.reviewWorkflowId}:noAdjustment`, actor: 'sistema', action: 'noAdjustment.recorded', subject: input.reviewWorkflowId, details: { goals: input.goalCodes, deadline: input.deadline } },
          tx,
        );
      });
      // "Se deja constancia a través de correo electrónico" (PE-P-008 task 3): PDF and e-mail.
      await notifications.sendNoAdjustmentRecord(input.reviewWorkflowId, input.goalCodes, now());
    },

    /** PE-P-008 task 5: each agreed reprogramming becomes a new programming version of the goal. */
    async applyReprogramming(
      input: ReviewRef & { approvedBy: string; decisionRound?: number; goals: { goalCode: string; answer: GoalAnswer | null }[] },
    ): Promise<void> {
      const reprogrammed = new Map<string, Extract<GoalAnswer, { action: 'reprogram' }>>();
      for (const { goalCode, answer } of input.goals) {
        if (answer?.action !== 'reprogram') {
          throw ApplicationFailure.nonRetryable(`La meta ${goalCode} no tiene una reprogramación propuesta`, 'InvalidInput');
        }
        // The write path checks the answer again with the shared schema (limits of domain/numbers.ts):
        // an answer accepted before those limits existed is never written.
        const checked = goalAnswerSchema.safeParse(answer);
        if (!checked.success) {
          throw ApplicationFailure.create({
            type: FailureTypes.invalidStoredData,
            message: `La reprogramación de la meta ${goalCode} tiene valores fuera de rango; no se aplica`,
            details: [describeIssues(checked.error).map((d) => `Meta ${goalCode}, ${d}`)],
            nonRetryable: true,
          });
        }
        if (!reprogrammed.has(goalCode)) reprogrammed.set(goalCode, answer);
      }
      const codes = [...reprogrammed.keys()];
      // A few queries for the whole department, not a handful per goal: the reads first (each goal's
      // rows are its own, so none depends on another goal's writes), then one insert per table.
      await db.transaction(async (tx) => {
        const [applied, goals, latest] = await Promise.all([
          tx
            .select({ goalCode: t.reprogrammings.goalCode })
            .from(t.reprogrammings)
            .where(and(eq(t.reprogrammings.reviewWorkflowId, input.reviewWorkflowId), inArray(t.reprogrammings.goalCode, codes))),
          tx.select().from(t.goals).where(inArray(t.goals.code, codes)),
          // The latest version of every year of these goals.
          tx
            .selectDistinctOn([t.goalProgramming.goalCode, t.goalProgramming.fiscalYear])
            .from(t.goalProgramming)
            .where(inArray(t.goalProgramming.goalCode, codes))
            .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, sql`${t.goalProgramming.version} desc`),
        ]);
        const done = new Set(applied.map((a) => a.goalCode));
        const goalByCode = new Map(goals.map((g) => [g.code, g]));
        const yearsOf = (goalCode: string) => latest.filter((row) => row.goalCode === goalCode);
        const versionOf = (goalCode: string, fiscalYear: number) => latest.find((row) => row.goalCode === goalCode && row.fiscalYear === fiscalYear);

        const computed = [...reprogrammed].filter(([goalCode, answer]) => !isPlanValue(annualTargetFromQuarters(goalByCode.get(goalCode)?.accumulation ?? 'sum', answer.newQuarterlyTargets)));
        if (computed.length) {
          throw ApplicationFailure.create({
            type: FailureTypes.invalidStoredData,
            message: `La programación anual resultante ${PLAN_VALUE_MESSAGE}: ${computed.map(([code]) => code).join(', ')}`,
            nonRetryable: true,
          });
        }
        const planned = [...reprogrammed]
          .filter(([goalCode]) => !done.has(goalCode))
          .map(([goalCode, answer]) => {
            const goal = goalByCode.get(goalCode);
            const current = versionOf(goalCode, input.fiscalYear);
            const futureBefore = Object.entries(answer.futureAnnualTargets ?? {}).map(([year, annualTarget]) => ({
              fiscalYear: Number(year),
              annualTarget,
              current: versionOf(goalCode, Number(year)),
            }));
            const after: YearProgramming & { futureAnnualTargets?: Record<string, number> } = {
              annualTarget: annualTargetFromQuarters(goal?.accumulation ?? 'sum', answer.newQuarterlyTargets),
              quarterlyTargets: answer.newQuarterlyTargets,
              ...(futureBefore.length ? { futureAnnualTargets: answer.futureAnnualTargets } : {}),
            };
            const before = {
              annualTarget: current?.annualTarget ?? null,
              quarterlyTargets: current?.quarterlyTargets ?? null,
              ...(futureBefore.length
                ? { futureAnnualTargets: Object.fromEntries(futureBefore.map((f) => [String(f.fiscalYear), f.current?.annualTarget ?? null])) }
                : {}),
            };
            return { goalCode, answer, goal, current, futureBefore, before, after };
          });
        // A retried attempt whose transaction had committed finds everything applied.
        const inserted = planned.length === 0 ? [] : await tx
          .insert(t.reprogrammings)
          .values(
            planned.map(({ goalCode, answer, goal, before, after }) => ({
              reviewWorkflowId: input.reviewWorkflowId,
              goalCode,
              fiscalYear: input.fiscalYear,
              before,
              after,
              justification: answer.justification,
              commitment: answer.commitment,
              approvedBy: input.approvedBy,
              decisionRound: input.decisionRound ?? null,
              altersTermTarget: altersTermTarget(goal, yearsOf(goalCode), input.fiscalYear, answer),
              councilAgreement: answer.councilAgreement ?? null,
            })),
          )
          .returning({ id: t.reprogrammings.id, goalCode: t.reprogrammings.goalCode });
        const reprogrammingIds = new Map(inserted.map((r) => [r.goalCode, r.id]));
        if (planned.length) await tx.insert(t.goalProgramming).values(
          planned.flatMap(({ goalCode, answer, current, futureBefore, after }) => {
            const reason = `Reprogramación acordada en ${input.reviewWorkflowId}: ${answer.justification}`;
            const common = { goalCode, reason, createdBy: input.approvedBy, reprogrammingId: reprogrammingIds.get(goalCode) ?? null };
            return [
              { ...common, fiscalYear: input.fiscalYear, version: (current?.version ?? 0) + 1, annualTarget: after.annualTarget, quarterlyTargets: after.quarterlyTargets },
              // Pending amounts moved to later years: a new version of those years too.
              ...futureBefore.map((f) => ({
                ...common,
                fiscalYear: f.fiscalYear,
                version: (f.current?.version ?? 0) + 1,
                annualTarget: f.annualTarget,
                quarterlyTargets: null,
              })),
            ];
          }),
        );
        await audit(
          {
            key: `${input.reviewWorkflowId}:reprogrammed`,
            actor: input.approvedBy,
            action: 'reprogramming.applied',
            subject: input.reviewWorkflowId,
            details: { goals: input.goals.map((g) => g.goalCode), decisionRound: input.decisionRound ?? null },
          },
          tx,
        );
      });
    },

    /** Goals whose programming is kept: the justification and commitment are recorded. */
    async recordCommitment(
      input: ReviewRef & { approvedBy: string; goals: { goalCode: string; answer: GoalAnswer | null }[] },
    ): Promise<void> {
      const body = commitmentRecordText({ ...input, timeZone, recordedAt: now() });
      await db
        .insert(t.records)
        .values({
          reviewWorkflowId: input.reviewWorkflowId,
          kind: 'commitment',
          departmentCode: input.department.code,
          goalCodes: input.goals.map((g) => g.goalCode),
          body,
        })
        .onConflictDoNothing();
    },

    /**
     * The department's data could not be processed (InvalidStoredData): the review ends with the
     * outcome dataError, its reason and every problem in the audit log (shown in the monitor).
     */
    async recordDataError(input: {
      reviewWorkflowId: string;
      cycleWorkflowId: string;
      departmentCode: string;
      fiscalYear: number;
      quarter: number;
      reason: string;
      problems: string[];
      at: string;
    }): Promise<void> {
      await db.transaction(async (tx) => {
        await tx
          .insert(t.departmentReviews)
          .values({
            workflowId: input.reviewWorkflowId,
            cycleWorkflowId: input.cycleWorkflowId,
            departmentCode: input.departmentCode,
            fiscalYear: input.fiscalYear,
            quarter: input.quarter,
            status: 'dataError',
          })
          .onConflictDoUpdate({ target: t.departmentReviews.workflowId, set: { status: 'dataError' } });
        await audit(
          {
            key: `${input.reviewWorkflowId}:dataError`,
            actor: 'sistema',
            action: 'review.dataError',
            subject: input.reviewWorkflowId,
            details: { reason: input.reason, problems: input.problems, at: input.at },
          },
          tx,
        );
      });
    },

    async completeDepartmentReview({ reviewWorkflowId, outcome }: { reviewWorkflowId: string; outcome: DepartmentReviewOutcome }) {
      // An agreement leaves its document of justification and commitment, sent to the department.
      if (outcome === 'reprogrammed' || outcome === 'keptWithCommitment') await notifications.sendAgreementRecord(reviewWorkflowId, now());
      await db
        .update(t.departmentReviews)
        .set({ status: outcome, outcome, completedAt: sql`coalesce(${t.departmentReviews.completedAt}, now())` })
        .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
      await audit({ key: `${reviewWorkflowId}:completed`, actor: 'sistema', action: 'review.completed', subject: reviewWorkflowId, details: { outcome } });
    },

    async completeCycle({ cycleWorkflowId, summary }: { cycleWorkflowId: string; summary: CycleSummary }) {
      await db
        .update(t.cycles)
        .set({ status: 'completed', summary, completedAt: sql`coalesce(${t.cycles.completedAt}, now())` })
        .where(eq(t.cycles.workflowId, cycleWorkflowId));
      await audit({ key: `${cycleWorkflowId}:completed`, actor: 'sistema', action: 'cycle.completed', subject: cycleWorkflowId, details: summary.outcomes });
    },
  };
  return {
    ...activities,
    // Names that say what they do, used by departmentReviewV2. The older names stay registered for
    // reviews of the legacy type, whose histories call them.
    /** Records the alert (no e-mail yet: the deadline is not known). */
    recordAlert: activities.sendAlert,
    /** Records the deadline and e-mails the alert with the matrix and the personal link. */
    sendAlertEmail: activities.openResponseWindow,
    sendReminderEmail: activities.sendReminder,
    resendAlertEmail: activities.resendAlert,
  };
}

export type ReviewActivities = ReturnType<typeof createActivities>;

/** Recomputed at apply time from the stored programming, so the record says what really happened. */
/** Whether the reprogramming changes the meta cuatrienio, given the latest programming of each year. */
function altersTermTarget(
  goal: { code: string; accumulation: AccumulationType; termTarget: number } | undefined,
  years: { fiscalYear: number; annualTarget: number | null }[],
  fiscalYear: number,
  answer: Extract<GoalAnswer, { action: 'reprogram' }>,
): boolean {
  if (!goal) return false;
  const check = checkTermTarget(
    goal.code,
    { accumulation: goal.accumulation, termTarget: goal.termTarget, annualTargets: years },
    { fiscalYear, newQuarterlyTargets: answer.newQuarterlyTargets, futureAnnualTargets: answer.futureAnnualTargets },
  );
  return check.ok && check.altersTermTarget;
}

/** The snapshot a step leads to, replayed with the machine the workflow runs, checked against the workflow's state. */
function replayGoalStep(step: GoalStepRecord, previous: SavedGoalState | null, thresholds: Thresholds | undefined): SavedGoalState {
  const from = step.sequence === 0 ? startGoal({ goalCode: step.goalCode, thresholds: thresholds as Thresholds }) : previous;
  if (!from) throw ApplicationFailure.nonRetryable(`No hay estado previo de la meta ${step.goalCode} para el paso ${step.sequence}`, 'MissingGoalState');
  const next = advanceGoal(from, step.event);
  if (!next.accepted || next.state.value !== step.state) {
    throw ApplicationFailure.nonRetryable(
      `El paso ${step.sequence} de la meta ${step.goalCode} (${step.event.type}) no lleva al estado ${step.state} sino a ${next.state.value}`,
      'GoalStepMismatch',
    );
  }
  return next.state;
}
