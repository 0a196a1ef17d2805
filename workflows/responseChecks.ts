import { closedPeriodProblems } from '../domain/closedPeriods';
import { accumulationTypes, type AccumulationType } from '../domain/goals';
import { programmedQuarters } from '../domain/quarterProgramming';
import { describeSubmissionIssues, type GoalAnswer, responseSubmissionSchema } from '../domain/review';
import type { GoalView } from '../domain/reviewViews';
import { checkTermTarget } from '../domain/termTarget';
import { formatNumber } from '../domain/format';
import { failure, FailureTypes } from './failures';
import type { ReviewDriver } from './reviewDriver';

/**
 * Rejects a response that is malformed, incomplete, about other goals, changing a closed period
 * at `at` (the decision date: workflow time in the workflow, the clock in services) or changing
 * the meta cuatrienio.
 */
export function assertValidResponse(review: Pick<ReviewDriver, 'goalViews'>, fiscalYear: number, submission: unknown, at: Date): void {
  const parsed = responseSubmissionSchema.safeParse(submission);
  if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La respuesta tiene errores', describeSubmissionIssues(parsed.error, submission));
  const goals = review.goalViews();
  const codes = goals.map((g) => g.goalCode);
  const answered = parsed.data.answers.map((a) => a.goalCode);
  const unknown = answered.filter((code) => !codes.includes(code));
  if (unknown.length) throw failure(FailureTypes.unknownGoal, `Estas metas no hacen parte de esta revisión: ${unknown.join(', ')}`, unknown);
  const repeated = answered.filter((code, i) => answered.indexOf(code) !== i);
  if (repeated.length) throw failure(FailureTypes.invalidInput, `Meta respondida más de una vez: ${[...new Set(repeated)].join(', ')}`);
  const missing = codes.filter((code) => !answered.includes(code));
  if (missing.length) throw failure(FailureTypes.invalidInput, `Falta responder estas metas: ${missing.join(', ')}`, missing);
  assertOpenPeriods(goals, fiscalYear, parsed.data.answers, at);
  assertTermTargets(parsed.data.answers, (code) => goals.find((g) => g.goalCode === code)?.term, fiscalYear);
}

type GoalTerm = Parameters<typeof checkTermTarget>[1];

/** Rejects answers whose reprogramming misses the meta cuatrienio in force (the official one, or the acuerdo's). */
export function assertTermTargets(answers: readonly GoalAnswer[], termOf: (goalCode: string) => GoalTerm | null | undefined, fiscalYear: number): void {
  const problems = answers.flatMap((answer) => termTargetProblems(answer, termOf(answer.goalCode), fiscalYear));
  if (problems.length) {
    throw failure(FailureTypes.termTargetChanged, 'La reprogramación no respeta la meta cuatrienio vigente (la oficial, o la que fija el Acuerdo del Concejo citado)', problems);
  }
}

const accumulationOf = (goal: GoalView): AccumulationType => {
  const stored = goal.measurement?.accumulation ?? goal.term?.accumulation;
  return accumulationTypes.includes(stored as AccumulationType) ? (stored as AccumulationType) : 'sum';
};

/** The closed-period messages of reprogramming answers at `at`, against the programming the review shows. */
export function closedPeriodsOfAnswers(goals: readonly GoalView[], fiscalYear: number, answers: readonly GoalAnswer[], at: Date): string[] {
  return answers.flatMap((answer) => {
    const goal = goals.find((g) => g.goalCode === answer.goalCode);
    if (answer.action !== 'reprogram' || !goal) return [];
    const laterYears = Object.entries(answer.futureAnnualTargets ?? {}).map(([year, after]) => ({
      fiscalYear: Number(year),
      before: goal.term?.annualTargets.find((y) => y.fiscalYear === Number(year))?.annualTarget ?? null,
      after,
    }));
    return closedPeriodProblems(
      { goalCode: goal.goalCode, fiscalYear, current: programmedQuarters(goal.programming, accumulationOf(goal)), newQuarterlyTargets: answer.newQuarterlyTargets, laterYears },
      at,
    );
  });
}

/** Refuses, naming goal, year and quarter, a reprogramming that changes what has already elapsed at `at`. */
export function assertOpenPeriods(goals: readonly GoalView[], fiscalYear: number, answers: readonly GoalAnswer[], at: Date): void {
  const problems = closedPeriodsOfAnswers(goals, fiscalYear, answers, at);
  if (problems.length) {
    throw failure(FailureTypes.closedPeriod, problems.length === 1 ? (problems[0] as string) : 'La reprogramación cambia periodos que ya transcurrieron', problems);
  }
}

/**
 * A reprogramming moves programming inside the term; one that changes the meta cuatrienio is
 * refused unless it names the Acuerdo del Concejo that authorises it.
 */
function termTargetProblems(answer: GoalAnswer, term: GoalTerm | null | undefined, fiscalYear: number): string[] {
  if (answer.action !== 'reprogram' || !term) return [];
  const check = checkTermTarget(answer.goalCode, term, {
    fiscalYear,
    newQuarterlyTargets: answer.newQuarterlyTargets,
    futureAnnualTargets: answer.futureAnnualTargets,
  });
  if (!check.ok) return [check.message];
  if (answer.councilAgreementTermTarget !== undefined) {
    // The acuerdo authorises its own meta cuatrienio, not any other: the new programming must reach it.
    const agreed = checkTermTarget(answer.goalCode, { ...term, termTarget: answer.councilAgreementTermTarget }, {
      fiscalYear,
      newQuarterlyTargets: answer.newQuarterlyTargets,
      futureAnnualTargets: answer.futureAnnualTargets,
    });
    if (agreed.ok && Math.abs(agreed.termTargetAfter - answer.councilAgreementTermTarget) > 1e-9) {
      return [
        `Meta ${answer.goalCode}: el Acuerdo del Concejo fija la meta cuatrienio en ${formatNumber(answer.councilAgreementTermTarget)}, pero la programación propuesta da ${formatNumber(agreed.termTargetAfter)}. Ajuste la programación a lo que fija el acuerdo.`,
      ];
    }
    return [];
  }
  if (check.altersTermTarget && !answer.councilAgreement && answer.councilAgreementId === undefined) {
    return [`Meta ${answer.goalCode}: ${check.description}. Traslade lo pendiente a vigencias futuras del cuatrienio o indique el Acuerdo del Concejo registrado que autoriza el cambio.`];
  }
  return [];
}
