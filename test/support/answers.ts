import type { GoalAnswer, ResponseSubmission } from '../../domain/review';
import type { ReviewView } from '../../workflows/types';

/** A complete, valid response: the listed goals reprogrammed (new targets given), the rest kept. */
export function answerAll(view: ReviewView, reprogram: string[] = [], targets: [number, number, number, number] = [1, 2, 3, 4]): ResponseSubmission {
  const answers: GoalAnswer[] = view.goals.map((g) =>
    reprogram.includes(g.goalCode)
      ? {
          goalCode: g.goalCode,
          action: 'reprogram',
          justification: `Reprogramación de ${g.goalCode} por retrasos en la contratación`,
          commitment: 'Cumplir la nueva programación trimestral',
          newQuarterlyTargets: targets,
        }
      : {
          goalCode: g.goalCode,
          action: 'keep',
          justification: `Se mantiene ${g.goalCode}: el rezago se recupera en el semestre`,
          commitment: 'Reportar avance mensual a la OPGI',
        },
  );
  return { respondent: { name: 'Enlace de prueba', email: 'enlace@example.gov.co' }, answers };
}
