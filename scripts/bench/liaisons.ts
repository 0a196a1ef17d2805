import type { ConsolidationGoal } from '../../domain/consolidation';
import { hasQuarterElapsed } from '../../domain/closedPeriods';
import type { GoalAnswer, ResponseSubmission } from '../../domain/review';
import type { ReviewView } from '../../workflows/types';

/**
 * What a scripted liaison answers, as the response form would send it: every other flagged suma
 * goal is reprogrammed within the periods still open when it answers (half of the fourth quarter
 * moved to the next vigencia, so the meta cuatrienio stays), the rest kept with a commitment; in the
 * third quarter, a commitment for every goal of the consolidation (PE-P-008 task 4).
 */
export function scriptedResponse(view: ReviewView, options: { now: Date; consolidation: readonly Pick<ConsolidationGoal, 'goalCode'>[] }): ResponseSubmission {
  const answers = view.goals.map((goal, i): GoalAnswer => {
    const keep: GoalAnswer = {
      goalCode: goal.goalCode,
      action: 'keep',
      justification: `Se mantiene la programación de ${goal.goalCode}: el rezago se recupera en el cuarto trimestre`,
      commitment: 'Reportar el avance mensual a la Oficina de Planeación',
    };
    const targets = goal.programming.quarterlyTargets;
    const sum = (goal.term?.accumulation ?? goal.measurement?.accumulation) === 'sum';
    const nextYear = view.fiscalYear + 1;
    const next = goal.term?.annualTargets.find((y) => y.fiscalYear === nextYear)?.annualTarget;
    if (i % 2 === 1 || !sum || !targets || targets.some((t) => t === null) || next === null || next === undefined) return keep;
    // Closed periods: elapsed quarters keep their programming; the next vigencia must not have started.
    if (hasQuarterElapsed(view.fiscalYear, 4, options.now) || hasQuarterElapsed(nextYear, 1, options.now)) return keep;
    const [q1, q2, q3, q4] = targets as [number, number, number, number];
    if (q4 <= 0) return keep;
    const moved = round(q4 / 2);
    return {
      goalCode: goal.goalCode,
      action: 'reprogram',
      justification: `Reprogramación de ${goal.goalCode}: el proceso contractual se adjudicó en el tercer trimestre`,
      commitment: 'Cumplir la nueva programación trimestral y reportar el avance mensual',
      newQuarterlyTargets: [q1, q2, q3, round(q4 - moved)],
      futureAnnualTargets: { [String(nextYear)]: round(next + moved) },
    };
  });
  const consolidationCommitments = options.consolidation.map((goal) => ({
    goalCode: goal.goalCode,
    commitment: `Recuperar el rezago acumulado de ${goal.goalCode} antes del cierre de la vigencia`,
  }));
  return {
    respondent: { name: `Enlace de ${view.department.name}`, email: view.department.liaisonEmail ?? undefined },
    answers,
    ...(consolidationCommitments.length ? { consolidationCommitments } : {}),
  } as ResponseSubmission;
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
