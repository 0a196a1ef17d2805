import { z } from 'zod';

/**
 * The controlled formats of the records the office files (its quality system's list of documents):
 * each has a code, a version and an approval date printed in the institutional header of every
 * record made with it (PDF, XLSX, PPTX). An administrator changes them on /admin/formatos or through
 * the API; each change is a new version row, so a record keeps naming the version it was issued with.
 */

export const recordFormatKeys = [
  'dashboard',
  'actionPlan',
  'noAdjustmentRecord',
  'quarterlyMatrix',
  'cumulativeMatrix',
  'justificationMatrix',
  'justificationAndCommitment',
] as const;
export type RecordFormatKey = (typeof recordFormatKeys)[number];

export interface RecordFormat {
  key: RecordFormatKey;
  /** Format code as the quality system lists it ("PE_F_024"). */
  code: string;
  /** Version as printed ("01"). */
  version: string;
  /** Approval date of that version, YYYY-MM-DD. */
  approvedOn: string;
}

/** What each format is, as the page and the header name it. */
export const recordFormatNames: Record<RecordFormatKey, string> = {
  dashboard: 'Tablero de control y presentación trimestral',
  actionPlan: 'Plan de Acción',
  noAdjustmentRecord: 'Constancia de negativa de ajustes',
  quarterlyMatrix: 'Matriz de metas rezagadas del trimestre',
  cumulativeMatrix: 'Matriz de metas rezagadas acumuladas',
  justificationMatrix: 'Matriz de metas rezagadas con justificación',
  justificationAndCommitment: 'Documento de justificación de metas no cumplidas y compromiso',
};

/**
 * Defaults until an administrator sets the office's own: the codes the procedure names (PE_F_024,
 * PE_F_012) and, for the records it lists without a code, PE-P-008's annexes in order; version 01
 * approved on the procedure's adoption date, to be replaced by the quality system's real ones.
 */
export const DEFAULT_APPROVED_ON = '2024-06-01';
export const defaultRecordFormats: Record<RecordFormatKey, RecordFormat> = {
  dashboard: { key: 'dashboard', code: 'PE_F_024', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  actionPlan: { key: 'actionPlan', code: 'PE_F_012', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  noAdjustmentRecord: { key: 'noAdjustmentRecord', code: 'PE-P-008-F01', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  quarterlyMatrix: { key: 'quarterlyMatrix', code: 'PE-P-008-F02', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  cumulativeMatrix: { key: 'cumulativeMatrix', code: 'PE-P-008-F03', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  justificationMatrix: { key: 'justificationMatrix', code: 'PE-P-008-F04', version: '01', approvedOn: DEFAULT_APPROVED_ON },
  justificationAndCommitment: { key: 'justificationAndCommitment', code: 'PE-P-008-F05', version: '01', approvedOn: DEFAULT_APPROVED_ON },
};

const isRealDate = (value: string) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** An administrator's change of one format (page or API). */
export const recordFormatChangeSchema = z.object({
  key: z.enum(recordFormatKeys, { message: 'formato: no es uno de los formatos del procedimiento' }),
  code: z
    .string({ message: 'código: es obligatorio' })
    .trim()
    .min(2, 'código: escriba el código del formato (p. ej. PE_F_024)')
    .max(40, 'código: máximo 40 caracteres')
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.\- ]*$/, 'código: use letras, números, guiones, puntos o guiones bajos'),
  version: z
    .string({ message: 'versión: es obligatoria' })
    .trim()
    .min(1, 'versión: es obligatoria')
    .max(20, 'versión: máximo 20 caracteres')
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]*$/, 'versión: use números y letras (p. ej. 02 o 2.1)'),
  approvedOn: z
    .string({ message: 'fecha de aprobación: es obligatoria' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha de aprobación: use el formato AAAA-MM-DD')
    .refine(isRealDate, 'fecha de aprobación: no es una fecha del calendario')
    .refine((value) => value >= '2000-01-01' && value <= '2100-12-31', 'fecha de aprobación: debe estar entre 2000 y 2100'),
});
export type RecordFormatChange = z.output<typeof recordFormatChangeSchema>;

/** What the institutional header of a record prints, whatever the file type. */
export interface RecordHeader {
  /** "Alcaldía de Pasto". */
  entity: string;
  /** The office issuing the record. */
  office: string;
  /** "Planeación Estratégica". */
  process: string;
  /** "PE-P-008 Reprogramación o ajuste de metas de producto". */
  procedure: string;
  /** Title of the record ("Constancia de negativa de ajustes"). */
  title: string;
  format: RecordFormat;
  /** The format table's row the header came from (null: the built-in default). */
  formatVersionId: number | null;
  /** The vigencia the record is about. */
  fiscalYear: number;
  /** The escudo uploaded by an administrator, if any (its version and hash go in the record's data). */
  escudo: { version: number; sha256: string; mediaType: 'image/png' | 'image/jpeg'; content: Buffer } | null;
}

const approvalDateFormat = new Intl.DateTimeFormat('es-CO', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1 de junio de 2024": an approval date is a calendar date, not an instant (no time zone shift). */
export const formatApprovalDate = (approvedOn: string) => approvalDateFormat.format(new Date(`${approvedOn}T00:00:00Z`));

/** The header's lines as text, the same words on every file type. */
export function headerTexts(header: RecordHeader, page?: { page: number | string; pages: number | string }) {
  return {
    entity: header.entity.toLocaleUpperCase('es-CO'),
    process: `Proceso ${header.process}`,
    procedure: `Procedimiento ${header.procedure}`,
    code: `Código: ${header.format.code}`,
    version: `Versión: ${header.format.version}`,
    approved: `Fecha de aprobación: ${formatApprovalDate(header.format.approvedOn)}`,
    vigencia: `Vigencia ${header.fiscalYear}`,
    page: page ? `Página ${page.page} de ${page.pages}` : '',
  };
}
