import { formatDateTime } from './format';
import type { GoalAnswer } from './review';

interface RecordContext {
  reviewWorkflowId: string;
  fiscalYear: number;
  quarter: number;
  department: { code: string; name: string };
  timeZone: string;
  recordedAt: Date;
}

/** The same words as the PDF of the record ("28 de julio de 2026 a las 23:59"). */
const formatDate = (iso: string | Date | null, timeZone: string) => (iso === null ? 'sin fecha' : formatDateTime(iso, timeZone));

/** Text of the constancia de negativa de ajustes (PE-P-008 task 3); the PDF comes with the documents issue. */
export function noAdjustmentRecordText(
  c: RecordContext & { goalCodes: string[]; alertedAt: string | null; deadline: string | null; remindersSent: number },
): string {
  return [
    'CONSTANCIA DE NEGATIVA DE AJUSTES — Procedimiento PE-P-008',
    `Dependencia: ${c.department.name} (${c.department.code})`,
    `Vigencia ${c.fiscalYear}, trimestre T${c.quarter}. Revisión ${c.reviewWorkflowId}.`,
    `El reporte de alerta trimestral se envió el ${formatDate(c.alertedAt, c.timeZone)} con plazo de respuesta hasta el ${formatDate(c.deadline, c.timeZone)}.`,
    `Recordatorios enviados: ${c.remindersSent}.`,
    `Vencido el plazo sin respuesta de la dependencia, se deja constancia de que no se realizaron ajustes a las metas: ${c.goalCodes.join(', ')}.`,
    `Registrada el ${formatDate(c.recordedAt, c.timeZone)}.`,
  ].join('\n');
}

/** Record of goals whose programming the department keeps, with its justification and commitment. */
export function commitmentRecordText(
  c: RecordContext & { approvedBy: string; goals: { goalCode: string; answer: GoalAnswer | null }[] },
): string {
  return [
    'JUSTIFICACIÓN Y COMPROMISO — Procedimiento PE-P-008',
    `Dependencia: ${c.department.name} (${c.department.code}); vigencia ${c.fiscalYear}, T${c.quarter}. Revisión ${c.reviewWorkflowId}.`,
    ...c.goals.map(
      ({ goalCode, answer }) =>
        `Meta ${goalCode}: se mantiene la programación. Justificación: ${answer?.justification ?? '—'}. Compromiso: ${answer?.commitment ?? '—'}.`,
    ),
    `Acordado con ${c.approvedBy} el ${formatDate(c.recordedAt, c.timeZone)}.`,
  ].join('\n');
}

/**
 * The series of numbered records: each issued record gets the next consecutive number of its series
 * in the year it is issued ("PE-P-008-CNA-2026-0001").
 */
export const recordSeries = {
  /** Reporte de alerta trimestral. */
  alert: 'RAT',
  /** Constancia de negativa de ajustes. */
  noAdjustmentRecord: 'CNA',
  /** Justificación y compromiso (the agreement). */
  justificationAndCommitment: 'JYC',
} as const;
export type RecordSeries = keyof typeof recordSeries;

export const formatRecordNumber = (series: RecordSeries, year: number, sequence: number) =>
  `PE-P-008-${recordSeries[series]}-${year}-${String(sequence).padStart(4, '0')}`;
