import { entityName, formatDate } from '../domain/format';

/**
 * The institutional header block of the Plan de Acción (PE_F_012): entity, process, format,
 * vigencia, version and date. One small function, so the shared record header (format table,
 * escudo, approval dates) can replace it in one place.
 */
export function actionPlanHeader(input: { municipality: string | null; fiscalYear: number; version: number; issuedAt: Date; timeZone: string; department?: string | null }): string[] {
  return [
    `Plan de Acción ${input.fiscalYear} — versión ${input.version}`,
    `Entidad: ${input.municipality ? entityName(input.municipality) : 'Alcaldía Municipal'} · Oficina de Planeación de Gestión Institucional`,
    'Proceso: PE-P-008 Reprogramación de metas de producto · Formato: PE_F_012 Plan de Acción',
    `Vigencia: ${input.fiscalYear} · Versión del plan: ${input.version} · Fecha de generación: ${formatDate(input.issuedAt, input.timeZone)}`,
    input.department ? `Dependencia: ${input.department}` : 'Todas las dependencias',
  ];
}
