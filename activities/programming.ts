import { ApplicationFailure } from '@temporalio/common';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { officialTermTarget, officialTermTargets } from '../db/termTargets';
import { closedPeriodProblems } from '../domain/closedPeriods';
import { programmedQuarters } from '../domain/quarterProgramming';
import { annualTargetFromQuarters, type AccumulationType, type YearProgramming } from '../domain/goals';
import { isPlanValue, PLAN_VALUE_MESSAGE } from '../domain/numbers';
import { describeIssues, goalAnswerSchema, type GoalAnswer } from '../domain/review';
import { checkTermTarget } from '../domain/termTarget';
import { FailureTypes } from '../workflows/failures';
import type { Audit } from './audit';
import type { ReviewRef } from './review';

/** Agreed reprogrammings become new programming versions of the goals (PE-P-008 task 5). */
export function createProgrammingActivities({ db, audit, now = () => new Date() }: { db: Database; audit: Audit; now?: () => Date }) {
  return {
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
        const officialTargets = await officialTermTargets(tx, codes);
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
        // Closed periods at the decision date (when the agreement is applied): elapsed quarters keep the
        // programming in force, a closed vigencia is not reprogrammed; executed values are never written here.
        const closed = [...reprogrammed]
          .filter(([goalCode]) => !done.has(goalCode))
          .flatMap(([goalCode, answer]) => {
            const current = versionOf(goalCode, input.fiscalYear);
            const accumulation = goalByCode.get(goalCode)?.accumulation ?? 'sum';
            return closedPeriodProblems(
              {
                goalCode,
                fiscalYear: input.fiscalYear,
                current: programmedQuarters({ annualTarget: current?.annualTarget ?? null, quarterlyTargets: current?.quarterlyTargets ?? null }, accumulation),
                newQuarterlyTargets: answer.newQuarterlyTargets,
                laterYears: Object.entries(answer.futureAnnualTargets ?? {}).map(([year, after]) => ({
                  fiscalYear: Number(year),
                  before: versionOf(goalCode, Number(year))?.annualTarget ?? null,
                  after,
                })),
              },
              now(),
            );
          });
        if (closed.length) {
          throw ApplicationFailure.create({
            type: FailureTypes.invalidStoredData,
            message: `La reprogramación no se aplica: ${closed.join('; ')}`,
            details: [closed],
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
              altersTermTarget: altersTermTarget(goal && { ...goal, termTarget: officialTermTarget(officialTargets, goal) }, yearsOf(goalCode), input.fiscalYear, answer),
              councilAgreement: answer.councilAgreement ?? null,
              councilAgreementId: answer.councilAgreementId ?? null,
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
  };
}

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
