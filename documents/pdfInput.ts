import { z } from 'zod';
import { goalStatuses } from '../domain/goals';
import { DEFAULT_TIME_ZONE } from '../domain/format';
import { canonicalJson, sha256Hex } from './canonicalJson';

/** What the PDF records certify: their validated input, its canonical JSON and the hash printed on every page. */

export const PDF_CONTENT_TYPE = 'application/pdf';

/** Code and name of the procedure, as the office's form header shows them. */
export const PROCEDURE_CODE = 'PE-P-008';
export const PROCEDURE_NAME = 'Reprogramación o ajuste de metas de producto';

/** Name of the JSON attached to every PDF; its SHA-256 is the hash printed on every page. */
export const CERTIFIED_DATA_FILE_NAME = 'datos-certificados.json';

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

/** An instant, as an ISO string, a PostgreSQL timestamp or a Date; normalized to ISO UTC. */
const instant = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `fecha inválida: ${String(value)}` });
    return z.NEVER;
  }
  return date.toISOString();
});

const required = (field: string) => z.string({ message: `${field}: es obligatorio` }).trim().min(1, `${field}: es obligatorio`);
const optionalText = z.string().nullable().optional();

const timeZone = z
  .string()
  .default(DEFAULT_TIME_ZONE)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('es-CO', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'zona horaria desconocida');

const issuerSchema = z.object({
  /** As in plans.municipality: "Pasto" prints "Alcaldía de Pasto". */
  municipality: required('municipio'),
  office: required('oficina').default('Oficina de Planeación de Gestión Institucional – OPGI'),
  /** The process the procedure belongs to, printed in the form header. */
  process: required('proceso').default('Planeación Estratégica'),
});

/** The controlled format the record is made with (domain/recordFormats.ts): printed in its header. */
const recordFormatSchema = z.object({
  code: required('código del formato'),
  version: required('versión del formato'),
  approvedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'fecha de aprobación del formato: use AAAA-MM-DD'),
  /** The format table's row (null: the built-in default). */
  versionId: z.number().int().nullable().default(null),
});

/** The escudo printed in the header, named by version and hash (its bytes are not certified data). */
const escudoRefSchema = z.object({ version: z.number().int().positive(), sha256: z.string() }).nullable().default(null);

const departmentSchema = z.object({
  code: required('código de la dependencia'),
  name: required('nombre de la dependencia'),
  liaisonName: optionalText,
  liaisonEmail: optionalText,
  /** Líder de la dependencia, with whom the adjustment is agreed; signs the commitment. */
  headName: optionalText,
  headTitle: optionalText,
});

const measurementSchema = z
  .object({
    expectedToDate: z.number().nullable(),
    executedToDate: z.number().nullable(),
    /** Executed against expected, in percent (Measurement.progressPercent). */
    progressPercent: z.number().nullable().optional(),
    /** Avance de la vigencia and del cuatrienio, in percent (Measurement.annualPercent, termPercent). */
    annualPercent: z.number().nullable().optional(),
    termPercent: z.number().nullable().optional(),
  })
  .nullable();

/** A goal as the alert reported it (the shape of alerts.goals: extra members are ignored). */
const reviewedGoalSchema = z.object({
  goalCode: required('código de la meta'),
  name: z.string(),
  status: z.enum(goalStatuses).nullable(),
  measurement: measurementSchema,
});

/** The alert and its response window: what the dates of a constancia rest on. */
const reviewSchema = z.object({
  issuer: issuerSchema,
  timeZone,
  reviewWorkflowId: required('revisión'),
  /** Code, version and approval date of the record's format; absent: the built-in default of its kind. */
  format: recordFormatSchema.optional(),
  escudo: escudoRefSchema,
  /** The record's consecutive number (PE-P-008-CNA-2026-0001), taken when it is stored. */
  recordNumber: optionalText,
  fiscalYear: z.number().int().min(2000).max(2100),
  quarter: z.literal([1, 2, 3, 4]),
  department: departmentSchema,
  alert: z.object({
    sentAt: instant,
    /** Who the alert went to (the liaison's e-mail). */
    recipient: optionalText,
  }),
  /** When each reminder was sent, in order. */
  reminders: z.array(instant).default([]),
  deadline: z.object({
    /** The deadline the alert gave. */
    initial: instant,
    /** Each extension granted, in order; the last one is the deadline that applied. */
    extensions: z.array(z.object({ deadline: instant, reason: optionalText })).default([]),
  }),
  /** When the record was made: printed, and used as the PDF's creation date. */
  recordedAt: instant,
});

export const noAdjustmentRecordInputSchema = reviewSchema.extend({
  goals: z.array(reviewedGoalSchema).min(1, 'la constancia debe relacionar al menos una meta'),
  /** Coordinador general del MMSE who issues it (the one in charge, when the system issues it at the deadline). */
  coordinator: optionalText,
  coordinatorTitle: optionalText,
  /** Issued by the system when the deadline passed (default: when no coordinator is named). */
  issuedAutomatically: z.boolean().optional(),
});
export type NoAdjustmentRecordInput = z.input<typeof noAdjustmentRecordInputSchema>;
export type NoAdjustmentRecord = z.output<typeof noAdjustmentRecordInputSchema>;

const target = z.number().nullable();
const programmingSchema = z.object({
  annualTarget: target,
  quarterlyTargets: z.tuple([target, target, target, target]).nullable(),
  /** Later years of the term, by year ("2027": 12), as reprogrammings.before/after carry them. */
  futureAnnualTargets: z.record(z.string(), target).optional(),
});
export type ProgrammingInput = z.input<typeof programmingSchema>;

const justifiedGoalSchema = reviewedGoalSchema
  .extend({
    action: z.enum(['reprogram', 'keep']),
    justification: z.string(),
    commitment: z.string(),
    /** The programming before the agreement (for a kept goal, the programming it keeps). */
    before: programmingSchema.nullable(),
    /** The new programming of a reprogrammed goal; null when the programming is kept. */
    after: programmingSchema.nullable(),
    altersTermTarget: z.boolean().default(false),
    councilAgreement: optionalText,
  })
  .superRefine((goal, ctx) => {
    if (goal.action === 'reprogram' && goal.after === null) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: `meta ${goal.goalCode}: una reprogramación necesita la nueva programación` });
    }
    if (goal.action === 'keep' && goal.after !== null) {
      ctx.addIssue({ code: 'custom', path: ['after'], message: `meta ${goal.goalCode}: una meta que mantiene su programación no tiene programación nueva` });
    }
  });

export const justificationInputSchema = reviewSchema.extend({
  goals: z.array(justifiedGoalSchema).min(1, 'el documento debe relacionar al menos una meta'),
  /** Who answered for the department, and when (the accepted response). */
  response: z
    .object({ respondent: z.object({ name: required('nombre de quien responde'), email: optionalText }), submittedAt: instant })
    .nullable()
    .default(null),
  /** Rounds in which the coordinator asked for changes before agreeing. */
  changeRequests: z
    .array(z.object({ comment: z.string(), deadline: instant, requestedAt: instant.optional(), coordinator: optionalText }))
    .default([]),
  approval: z.object({
    approvedBy: required('coordinador que aprueba'),
    approvedAt: instant,
    round: z.number().int().positive().optional(),
    comment: optionalText,
  }),
  /**
   * Q3 consolidation (PE-P-008 task 4): goals that lagged in the year but are not in alert, with the
   * department's commitment. Absent outside the third quarter (records issued before it stay the same).
   */
  consolidationCommitments: z
    .array(z.object({ goalCode: required('código de la meta'), name: z.string(), laggedQuarters: z.string(), commitment: z.string() }))
    .optional(),
  /** The Plan de Acción (PE_F_012) version the reprogramming created, and where to download it. */
  actionPlan: z
    .object({ fiscalYear: z.number().int(), version: z.number().int().positive(), url: z.string().max(2000) })
    .nullable()
    .default(null),
});
export type JustificationInput = z.input<typeof justificationInputSchema>;
export type Justification = z.output<typeof justificationInputSchema>;

export interface RenderPdfOptions {
  /** Deflate the page streams (default true). Tests may turn it off to read the raw content. */
  compress?: boolean;
  /** The line that says whether the document is digitally signed (documents/pdfSigner.ts); default: unsigned. */
  signatureStatement?: string;
  /** The escudo's image (the input names its version and hash); drawn in the header of every page. */
  escudo?: { content: Buffer; mediaType: 'image/png' | 'image/jpeg' } | null;
}

/** Printed on every PDF record when no signing certificate is configured. */
export const UNSIGNED_STATEMENT = 'Documento sin firma digital: la entidad no ha configurado un certificado.';

export type DocumentKind = 'noAdjustmentRecord' | 'justificationAndCommitment';

/** What a document certifies: a kind and format version, and the validated, normalized input. */
export interface CertifiedContent {
  json: string;
  sha256: string;
}

const CONTENT_VERSION = 1;

export function certify(kind: DocumentKind, data: unknown): CertifiedContent {
  const json = canonicalJson({ document: kind, procedure: PROCEDURE_CODE, version: CONTENT_VERSION, data });
  return { json, sha256: sha256Hex(json) };
}

/**
 * The canonical JSON and its SHA-256 for a document's input: the hash its pages print. Anyone
 * can recompute it from the attached `datos-certificados.json` or from the records it came from.
 */
export function certifiedContent(kind: 'noAdjustmentRecord', input: NoAdjustmentRecordInput): CertifiedContent;
export function certifiedContent(kind: 'justificationAndCommitment', input: JustificationInput): CertifiedContent;
export function certifiedContent(kind: DocumentKind, input: NoAdjustmentRecordInput | JustificationInput): CertifiedContent {
  const schema = kind === 'noAdjustmentRecord' ? noAdjustmentRecordInputSchema : justificationInputSchema;
  return certify(kind, schema.parse(input));
}

export type Review = z.output<typeof reviewSchema>;
export type ReviewedGoal = z.output<typeof reviewedGoalSchema>;
export type Programming = z.output<typeof programmingSchema>;
