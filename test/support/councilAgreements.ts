import type { Database } from '../../db/client';
import type { ReviewView } from '../../domain/reviewViews';
import { checkTermTarget } from '../../domain/termTarget';
import { registerCouncilAgreement } from '../../services/councilAgreements';

let next = 0;

/**
 * Registers an Acuerdo del Concejo for a goal (a minimal PDF), as the Oficina de Planeación would;
 * returns its ID. `termTarget` is the meta cuatrienio it fixes: the one the answer naming it must
 * reach (termTargetOf).
 */
export async function registerTestAgreement(db: Database, goalCode: string, termTarget: number | string): Promise<number> {
  next += 1;
  const number = `T-${process.pid}-${next}-${goalCode}`.slice(0, 40);
  const pdf = Buffer.from(`%PDF-1.7\n% Acuerdo ${number}\n%%EOF\n`);
  const agreement = await registerCouncilAgreement(db, { fields: { number, date: '2026-03-15', goalCode, termTarget }, pdf: { fileName: `${number}.pdf`, content: pdf } }, 'pruebas');
  return agreement.id;
}

/** The meta cuatrienio a goal's new programming gives, as the review reads it (what an acuerdo must fix to authorise it). */
export function termTargetOf(view: ReviewView, goalCode: string, newQuarterlyTargets: readonly number[]): number {
  const term = view.goals.find((g) => g.goalCode === goalCode)?.term;
  if (!term) throw new Error(`termTargetOf: the review has no term programming for ${goalCode}`);
  const check = checkTermTarget(goalCode, term, { fiscalYear: view.fiscalYear, newQuarterlyTargets });
  if (!check.ok) throw new Error(check.message);
  return check.termTargetAfter;
}
