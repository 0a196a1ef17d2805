import { formatNumber } from '../../domain/format';
import { identitySourceLabels } from '../../domain/municipality';
import type { MunicipalityReport } from '../../services/municipality';

/** How `metas plan import` and `metas progress import` word their summaries. */

export type CorrectionRow = { goalCode: string; fiscalYear: number; quarter: number; before: number; after: number };
/** `2201006-01 (2026 T1): 19.195 → 19.200`. */
export const describeCorrection = (c: CorrectionRow) => `${c.goalCode} (${c.fiscalYear} T${c.quarter}): ${c.before.toLocaleString('es-CO')} → ${c.after.toLocaleString('es-CO')}`;

/** `1 registro nuevo`, `35 registros nuevos`. */
export const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** `220100600 (2026): 10 → 12`, in Colombian numbers. */
export type ProgrammingChangeRow = { goalCode: string; fiscalYear: number; before: number | null; after: number };
export const describeProgrammingChange = (c: ProgrammingChangeRow) =>
  `${c.goalCode} (${c.fiscalYear}): ${c.before === null ? 'sin programar' : c.before.toLocaleString('es-CO')} → ${c.after.toLocaleString('es-CO')}`;

/** What the plan's title rows said about the municipality and what the import does with it (as the preview page says). */
export function describeMunicipality(report: MunicipalityReport, imported: boolean): string {
  const found = report.found?.name
    ? `Municipio encontrado en los títulos del archivo: ${report.found.name}${report.found.daneCode ? ` (código DANE ${report.found.daneCode})` : ''}.`
    : 'Los títulos del archivo no nombran el municipio.';
  const decision = report.willSave
    ? `${imported ? 'Se guardó' : 'Se guardará al importar'} como el municipio de esta instalación.`
    : report.name && report.source
      ? `Se usa «${report.name}» (código DANE ${report.daneCode}), definido en ${identitySourceLabels[report.source]}${report.found?.name && report.found.name !== report.name ? '; el nombre del archivo no lo reemplaza' : ''}.`
      : `Un administrador puede definir el nombre en la página Municipio (/admin/municipio); mientras tanto se muestra «Municipio ${report.daneCode}».`;
  return `${found} ${decision}`;
}
