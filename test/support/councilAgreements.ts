import type { Database } from '../../db/client';
import { registerCouncilAgreement } from '../../services/councilAgreements';

let next = 0;

/** Registers an Acuerdo del Concejo for a goal (a minimal PDF), as the Oficina de Planeación would; returns its ID. */
export async function registerTestAgreement(db: Database, goalCode: string, termTarget = '1.000'): Promise<number> {
  next += 1;
  const number = `T-${process.pid}-${next}-${goalCode}`.slice(0, 40);
  const pdf = Buffer.from(`%PDF-1.7\n% Acuerdo ${number}\n%%EOF\n`);
  const agreement = await registerCouncilAgreement(db, { fields: { number, date: '2026-03-15', goalCode, termTarget }, pdf: { fileName: `${number}.pdf`, content: pdf } }, 'pruebas');
  return agreement.id;
}
