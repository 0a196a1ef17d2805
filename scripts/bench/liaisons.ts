import type { GoalAnswer, ResponseSubmission } from '../../domain/review';
import type { ReviewView } from '../../workflows/types';

/**
 * What a scripted liaison answers, as the response form would send it: every other flagged goal is
 * reprogrammed without changing the meta cuatrienio (the year's pending amount moved to Q4 for
 * suma goals; for level goals Q3 takes the Q4 level), the rest kept with a commitment.
 */
export function scriptedResponse(view: ReviewView): ResponseSubmission {
  const answers = view.goals.map((goal, i): GoalAnswer => {
    const targets = goal.programming.quarterlyTargets;
    const keep: GoalAnswer = {
      goalCode: goal.goalCode,
      action: 'keep',
      justification: `Se mantiene la programación de ${goal.goalCode}: el rezago se recupera en el cuarto trimestre`,
      commitment: 'Reportar el avance mensual a la Oficina de Planeación',
    };
    const annual = goal.programming.annualTarget;
    if (i % 2 === 1 || !targets || annual === null || targets.some((t) => t === null)) return keep;
    const [q1 = 0, q2 = 0] = targets as number[];
    const sum = (goal.term?.accumulation ?? goal.measurement?.accumulation) === 'sum';
    // The year's target stays as it is, so the meta cuatrienio does too.
    const newQuarterlyTargets: [number, number, number, number] = sum ? [q1, q2, 0, round(annual - q1 - q2)] : [q1, q2, annual, annual];
    if (newQuarterlyTargets.some((t) => t < 0)) return keep;
    return {
      goalCode: goal.goalCode,
      action: 'reprogram',
      justification: `Reprogramación de ${goal.goalCode}: el proceso contractual se adjudicó en el tercer trimestre`,
      commitment: 'Cumplir la nueva programación trimestral y reportar el avance mensual',
      newQuarterlyTargets,
    };
  });
  return { respondent: { name: `Enlace de ${view.department.name}`, email: view.department.liaisonEmail ?? undefined }, answers };
}

const round = (n: number) => Math.round(n * 1e6) / 1e6;
