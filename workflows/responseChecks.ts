import { describeSubmissionIssues, type GoalAnswer, responseSubmissionSchema } from '../domain/review';
import { checkTermTarget } from '../domain/termTarget';
import { failure, FailureTypes } from './failures';
import type { ReviewDriver } from './reviewDriver';

/** Rejects a response that is malformed, incomplete, about other goals or changing the meta cuatrienio. */
export function assertValidResponse(review: Pick<ReviewDriver, 'goalViews'>, fiscalYear: number, submission: unknown): void {
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
  const termProblems = parsed.data.answers.flatMap((answer) => termTargetProblems(answer, goals.find((g) => g.goalCode === answer.goalCode)?.term, fiscalYear));
  if (termProblems.length) {
    throw failure(FailureTypes.termTargetChanged, 'La reprogramación cambia la meta cuatrienio, que solo se modifica con un Acuerdo del Concejo', termProblems);
  }
}

/**
 * A reprogramming moves programming inside the term; one that changes the meta cuatrienio is
 * refused unless it names the Acuerdo del Concejo that authorises it.
 */
function termTargetProblems(answer: GoalAnswer, term: Parameters<typeof checkTermTarget>[1] | null | undefined, fiscalYear: number): string[] {
  if (answer.action !== 'reprogram' || !term) return [];
  const check = checkTermTarget(answer.goalCode, term, {
    fiscalYear,
    newQuarterlyTargets: answer.newQuarterlyTargets,
    futureAnnualTargets: answer.futureAnnualTargets,
  });
  if (!check.ok) return [check.message];
  if (check.altersTermTarget && !answer.councilAgreement) {
    return [
      `Meta ${answer.goalCode}: la meta cuatrienio pasaría de ${check.termTargetBefore} a ${check.termTargetAfter}. ` +
        'Traslade lo pendiente a vigencias futuras del cuatrienio o indique el Acuerdo del Concejo que autoriza el cambio.',
    ];
  }
  return [];
}
