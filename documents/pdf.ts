import path from 'node:path';
import PDFDocument from 'pdfkit';
import { z } from 'zod';
import { goalStatuses, goalStatusLabels, type GoalStatus, type Quarter } from '../domain/goals';
import { DEFAULT_TIME_ZONE, formatDateTime, formatNumber, quarterTitle } from '../domain/format';
import { canonicalJson, sha256Hex } from './canonicalJson';

/**
 * The PDF records PE-P-008 leaves: the constancia de negativa de ajustes (task 3) and the document
 * with the justification of unmet goals and the department's commitment (task 5).
 *
 * Rendering is deterministic: the same input gives byte-identical files. The PDF's dates come
 * from `recordedAt`, and pdfkit derives the trailer ID from the info dictionary (MD5 of its
 * values), so nothing depends on the clock or on randomness. Every page's footer prints the
 * SHA-256 of the certified data (the validated input as canonical JSON, also attached to the PDF
 * as `datos-certificados.json`), so the document states what it certifies, independently of the
 * bytes of the PDF itself.
 */

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

const departmentSchema = z.object({
  code: required('código de la dependencia'),
  name: required('nombre de la dependencia'),
  liaisonName: optionalText,
  liaisonEmail: optionalText,
});

const measurementSchema = z
  .object({
    expectedToDate: z.number().nullable(),
    executedToDate: z.number().nullable(),
    /** Executed against expected, in percent (Measurement.progressPercent). */
    progressPercent: z.number().nullable().optional(),
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
  /** Coordinador general del MMSE, when a person issues it; absent when the system records it at the deadline. */
  coordinator: optionalText,
});
export type NoAdjustmentRecordInput = z.input<typeof noAdjustmentRecordInputSchema>;
type NoAdjustmentRecord = z.output<typeof noAdjustmentRecordInputSchema>;

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
});
export type JustificationInput = z.input<typeof justificationInputSchema>;
type Justification = z.output<typeof justificationInputSchema>;

export interface RenderPdfOptions {
  /** Deflate the page streams (default true). Tests may turn it off to read the raw content. */
  compress?: boolean;
}

export type DocumentKind = 'noAdjustmentRecord' | 'justificationAndCommitment';

/** What a document certifies: a kind and format version, and the validated, normalized input. */
export interface CertifiedContent {
  json: string;
  sha256: string;
}

const CONTENT_VERSION = 1;

function certify(kind: DocumentKind, data: unknown): CertifiedContent {
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

// ---------------------------------------------------------------------------------------------
// Page layout
// ---------------------------------------------------------------------------------------------

const FONT_REGULAR = path.join(__dirname, 'fonts', 'DejaVuSansCondensed.ttf');
const FONT_BOLD = path.join(__dirname, 'fonts', 'DejaVuSansCondensed-Bold.ttf');

const INK = '#1F2937';
const MUTED = '#595959';
const BRAND = '#1F3864';
const RULE = '#A6A6A6';
const HEADER_FILL = '#D9E2F3';
const ZEBRA_FILL = '#F3F5F9';

/** Carta (letter), the paper size of Colombian public administration. */
const PAGE_MARGINS = { top: 118, bottom: 74, left: 56, right: 56 };
const HEADER_TOP = 34;
const HEADER_HEIGHT = 64;
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const CELL_PAD = 3.5;

interface Column {
  header: string;
  /** Share of the content width. */
  share: number;
  align?: 'left' | 'right' | 'center';
}

type Doc = PDFKit.PDFDocument;

/**
 * Text as typed, for drawing: line breaks are kept; a tab (which fonts draw as a missing-glyph
 * box) becomes spaces. Nothing is interpreted: markup is text. The certified data keeps the original.
 */
const display = (text: string) => text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');

/** Flowing layout on top of pdfkit: sections, label/value fields, tables that repeat their header. */
class Writer {
  constructor(readonly doc: Doc) {}

  get left() {
    return this.doc.page.margins.left;
  }
  get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom() {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  /** Height available for content on an empty page. */
  get pageBody() {
    return this.bottom - this.doc.page.margins.top;
  }

  style(font: 'regular' | 'bold', size: number, color = INK) {
    this.doc.font(font === 'bold' ? FONT_BOLD : FONT_REGULAR).fontSize(size).fillColor(color);
    return this;
  }

  newPage() {
    this.doc.addPage();
    this.doc.x = this.left;
  }

  /** Starts a new page unless `height` fits below the current position. */
  ensure(height: number) {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  space(points: number) {
    this.doc.y += points;
  }

  title(title: string, subtitle: string) {
    this.style('bold', 14, BRAND);
    this.doc.text(title, this.left, this.doc.y, { width: this.width, align: 'center' });
    this.space(2);
    this.style('regular', 10, MUTED);
    this.doc.text(subtitle, this.left, this.doc.y, { width: this.width, align: 'center' });
    this.space(10);
  }

  section(title: string) {
    this.style('bold', 11, BRAND);
    const height = this.doc.heightOfString(title, { width: this.width });
    // Keep the heading with what follows (a table's header and first rows, or a few lines).
    this.ensure(height + 6 + 5 * BODY_SIZE * 1.4);
    this.space(6);
    this.doc.text(title, this.left, this.doc.y, { width: this.width });
    const y = this.doc.y + 1;
    this.doc.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.6).strokeColor(BRAND).stroke();
    this.space(5);
  }

  subheading(raw: string) {
    const text = display(raw);
    this.style('bold', 10, INK);
    const height = this.doc.heightOfString(text, { width: this.width });
    this.ensure(height + 3 * BODY_SIZE * 1.4);
    this.space(4);
    this.doc.text(text, this.left, this.doc.y, { width: this.width });
    this.space(3);
  }

  /**
   * A paragraph that flows over as many pages as it needs. Always ragged right: pdfkit draws
   * justified lines without their space glyphs, and the record's text must copy and search as written.
   */
  paragraph(text: string, options: { bold?: boolean; size?: number; color?: string; gap?: number } = {}) {
    this.style(options.bold ? 'bold' : 'regular', options.size ?? BODY_SIZE, options.color ?? INK);
    this.ensure(this.doc.currentLineHeight(true) * 2);
    this.doc.text(display(text), this.left, this.doc.y, { width: this.width, align: 'left', lineGap: 1.5 });
    this.space(options.gap ?? 5);
  }

  /** A bold label kept on the same page as the first lines of its text. */
  labeledParagraph(label: string, text: string, gap = 5) {
    this.style('bold', BODY_SIZE);
    this.ensure(this.doc.heightOfString(label, { width: this.width }) + 1 + this.doc.currentLineHeight(true) * 2);
    this.doc.text(label, this.left, this.doc.y, { width: this.width });
    this.space(1);
    this.paragraph(text, { gap });
  }

  /** Label/value rows; a value longer than a page flows on to the next ones beside nothing. */
  fields(rows: [label: string, value: string][], labelShare = 0.3) {
    const gap = 8;
    const labelWidth = this.width * labelShare;
    const valueWidth = this.width - labelWidth - gap;
    for (const [label, raw] of rows) {
      const value = display(raw);
      this.style('bold', BODY_SIZE);
      const labelHeight = this.doc.heightOfString(label, { width: labelWidth });
      this.style('regular', BODY_SIZE);
      const valueHeight = this.doc.heightOfString(value, { width: valueWidth, lineGap: 1 });
      const height = Math.max(labelHeight, valueHeight);
      this.ensure(height <= this.pageBody ? height : this.doc.currentLineHeight(true) * 3);
      const top = this.doc.y;
      const page = this.doc.page;
      this.style('bold', BODY_SIZE, MUTED);
      this.doc.text(label, this.left, top, { width: labelWidth });
      const labelBottom = this.doc.y;
      this.style('regular', BODY_SIZE);
      this.doc.text(value, this.left + labelWidth + gap, top, { width: valueWidth, lineGap: 1 });
      // The value may have continued on another page; the label stays where it started.
      this.doc.y = (this.doc.page === page ? Math.max(labelBottom, this.doc.y) : this.doc.y) + 3;
      this.doc.x = this.left;
    }
  }

  /** A table whose header repeats on every page it spans; a row never splits across pages. */
  table(columns: Column[], cells: string[][]) {
    const rows = cells.map((row) => row.map(display));
    const widths = columns.map((c) => c.share * this.width);
    const cellHeight = (text: string, width: number) => this.doc.heightOfString(text || ' ', { width: width - 2 * CELL_PAD }) + 2 * CELL_PAD;

    this.style('bold', TABLE_SIZE);
    const headerHeight = Math.max(...columns.map((c, i) => cellHeight(c.header, widths[i] ?? 0)));
    const drawHeader = () => {
      const y = this.doc.y;
      this.drawRow(columns.map((c) => c.header), columns, widths, y, headerHeight, { fill: HEADER_FILL, bold: true });
      this.doc.y = y + headerHeight;
    };

    this.style('regular', TABLE_SIZE);
    const heights = rows.map((row) => Math.max(...row.map((cell, i) => cellHeight(cell, widths[i] ?? 0))));
    this.ensure(headerHeight + Math.min(heights[0] ?? 0, this.pageBody - headerHeight));
    drawHeader();
    rows.forEach((row, index) => {
      // A row taller than a whole page (a goal name of thousands of characters) is cut to the page.
      const height = Math.min(heights[index] ?? 0, this.pageBody - headerHeight);
      if (this.doc.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      const y = this.doc.y;
      this.drawRow(row, columns, widths, y, height, { fill: index % 2 === 1 ? ZEBRA_FILL : null, bold: false });
      this.doc.y = y + height;
    });
    this.doc.x = this.left;
    this.space(6);
  }

  private drawRow(cells: string[], columns: Column[], widths: number[], y: number, height: number, options: { fill: string | null; bold: boolean }) {
    let x = this.left;
    cells.forEach((cell, i) => {
      const width = widths[i] ?? 0;
      if (options.fill) this.doc.rect(x, y, width, height).fill(options.fill);
      this.doc.rect(x, y, width, height).lineWidth(0.5).strokeColor(RULE).stroke();
      this.style(options.bold ? 'bold' : 'regular', TABLE_SIZE);
      // `height` stops pdfkit from breaking the page inside a cell; ellipsis marks a cut row.
      this.doc.text(cell, x + CELL_PAD, y + CELL_PAD, {
        width: width - 2 * CELL_PAD,
        height: height - 2 * CELL_PAD + 0.5,
        align: columns[i]?.align ?? 'left',
        ellipsis: true,
      });
      x += width;
    });
  }
}

interface PageFrame {
  issuer: { municipality: string; office: string; process: string };
  documentTitle: string;
  reviewWorkflowId: string;
  recordedAt: string;
  timeZone: string;
  certified: CertifiedContent;
}

/** The office's form header (like the procedure's own) and the footer with the certified hash. */
function drawPageFrames(doc: Doc, frame: PageFrame) {
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    // Writing in the margins must not make pdfkit start a page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    drawHeader(doc, frame, index + 1, range.count);
    drawFooter(doc, frame);
    doc.page.margins.bottom = bottomMargin;
  }
}

function drawHeader(doc: Doc, frame: PageFrame, page: number, pages: number) {
  const left = PAGE_MARGINS.left;
  const width = doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right;
  const shares = [0.3, 0.5, 0.2];
  const cells: { font: string; size: number; color: string; text: string }[][] = [
    [
      { font: FONT_BOLD, size: 10, color: BRAND, text: `ALCALDÍA DE ${frame.issuer.municipality.toLocaleUpperCase('es-CO')}` },
      { font: FONT_REGULAR, size: 7.5, color: INK, text: frame.issuer.office },
    ],
    [
      { font: FONT_BOLD, size: 7.5, color: MUTED, text: `PROCESO ${frame.issuer.process.toLocaleUpperCase('es-CO')}` },
      { font: FONT_REGULAR, size: 7.5, color: INK, text: `Procedimiento ${PROCEDURE_CODE}: ${PROCEDURE_NAME}` },
      { font: FONT_BOLD, size: 8.5, color: INK, text: frame.documentTitle },
    ],
    [
      { font: FONT_REGULAR, size: 7.5, color: INK, text: `CÓDIGO ${PROCEDURE_CODE}` },
      { font: FONT_BOLD, size: 8.5, color: INK, text: `Página ${page} de ${pages}` },
    ],
  ];
  let x = left;
  cells.forEach((lines, i) => {
    const cellWidth = (shares[i] ?? 0) * width;
    const innerWidth = cellWidth - 2 * 5;
    doc.rect(x, HEADER_TOP, cellWidth, HEADER_HEIGHT).lineWidth(0.7).strokeColor(RULE).stroke();
    const heights = lines.map((line) => doc.font(line.font).fontSize(line.size).heightOfString(line.text, { width: innerWidth, lineGap: 0.5 }));
    const total = heights.reduce((a, b) => a + b, 0) + 2 * (lines.length - 1);
    let y = HEADER_TOP + Math.max((HEADER_HEIGHT - total) / 2, 3);
    lines.forEach((line, j) => {
      const room = HEADER_TOP + HEADER_HEIGHT - 3 - y;
      if (room <= 0) return;
      doc
        .font(line.font)
        .fontSize(line.size)
        .fillColor(line.color)
        .text(line.text, x + 5, y, { width: innerWidth, align: 'center', lineGap: 0.5, height: room, ellipsis: true });
      y += (heights[j] ?? 0) + 2;
    });
    x += cellWidth;
  });
}

function drawFooter(doc: Doc, frame: PageFrame) {
  const left = PAGE_MARGINS.left;
  const width = doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right;
  const top = doc.page.height - PAGE_MARGINS.bottom + 14;
  doc.moveTo(left, top).lineTo(left + width, top).lineWidth(0.5).strokeColor(RULE).stroke();
  doc
    .font(FONT_BOLD)
    .fontSize(7)
    .fillColor(INK)
    .text(`Huella SHA-256 de los datos certificados: ${frame.certified.sha256}`, left, top + 4, { width, lineBreak: false });
  doc
    .font(FONT_REGULAR)
    .fontSize(6.5)
    .fillColor(MUTED)
    .text(
      `Calculada sobre los datos de este documento en JSON canónico (adjunto “${CERTIFIED_DATA_FILE_NAME}”); cualquier cambio en los datos la altera. ` +
        `Revisión ${frame.reviewWorkflowId}. Documento generado por Metas PDM el ${formatDateTime(new Date(frame.recordedAt), frame.timeZone)}.`,
      left,
      top + 14,
      { width, lineGap: 0.5, height: PAGE_MARGINS.bottom - 30, ellipsis: true },
    );
}

/** Renders a document: pdfkit with fixed dates and the embedded fonts, body first, then page frames. */
async function renderPdf(
  frame: Omit<PageFrame, 'certified'> & { kind: DocumentKind; data: unknown; subject: string; keywords: string },
  body: (writer: Writer) => void,
  options: RenderPdfOptions,
): Promise<Buffer> {
  const certified = certify(frame.kind, frame.data);
  const recordedAt = new Date(frame.recordedAt);
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: PAGE_MARGINS,
    bufferPages: true,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    lang: 'es-CO',
    displayTitle: true,
    // The default font would otherwise be Helvetica, loaded and embedded although never used.
    font: FONT_REGULAR,
    info: {
      Title: frame.documentTitle,
      Author: `Alcaldía de ${frame.issuer.municipality} – ${frame.issuer.office}`,
      Subject: frame.subject,
      Keywords: frame.keywords,
      Creator: 'Metas PDM',
      Producer: 'Metas PDM (PDFKit)',
      // Fixed dates make the file, and the trailer ID pdfkit hashes from this dictionary, reproducible.
      CreationDate: recordedAt,
      ModDate: recordedAt,
    },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    body(new Writer(doc));
    drawPageFrames(doc, { ...frame, certified });
    doc.file(Buffer.from(certified.json, 'utf8'), {
      name: CERTIFIED_DATA_FILE_NAME,
      type: 'application/json',
      description: `Datos certificados; SHA-256 ${certified.sha256}`,
      creationDate: recordedAt,
      modifiedDate: recordedAt,
    });
    doc.end();
  } catch (error) {
    doc.destroy();
    throw error;
  }
  return finished;
}

// ---------------------------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------------------------


const statusLabel = (status: GoalStatus | null) => (status ? goalStatusLabels[status] : 'Sin clasificar');
const percent = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${formatNumber(Math.round(value * 10) / 10)} %`);
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

type Review = z.output<typeof reviewSchema>;
type ReviewedGoal = z.output<typeof reviewedGoalSchema>;

const finalDeadline = (review: Review) => review.deadline.extensions.at(-1)?.deadline ?? review.deadline.initial;

function reviewFields(review: Review, when: (iso: string) => string): [string, string][] {
  const { department, alert, reminders, deadline } = review;
  const liaison = [department.liaisonName, department.liaisonEmail].filter(Boolean).join(', ');
  return [
    ['Dependencia', `${department.name} (${department.code})`],
    ...(liaison ? [['Enlace de la dependencia', liaison] as [string, string]] : []),
    ['Periodo', quarterTitle(review.fiscalYear, review.quarter as Quarter)],
    ['Revisión', review.reviewWorkflowId],
    ['Reporte de alerta enviado', `${when(alert.sentAt)}${alert.recipient ? `, a ${alert.recipient}` : ''}`],
    ['Recordatorios enviados', reminders.length ? reminders.map((r, i) => `${i + 1}. ${when(r)}`).join('\n') : 'Ninguno'],
    ['Plazo de respuesta', when(deadline.initial)],
    ...(deadline.extensions.length
      ? [
          [
            'Ampliaciones del plazo',
            deadline.extensions.map((e, i) => `${i + 1}. Hasta el ${when(e.deadline)}${e.reason ? `. Motivo: ${e.reason}` : ''}`).join('\n'),
          ] as [string, string],
        ]
      : []),
  ];
}

const timeZoneNote = (tz: string) =>
  tz === DEFAULT_TIME_ZONE ? 'Fechas y horas en hora legal de Colombia.' : `Fechas y horas en la zona horaria ${tz}.`;

/** The goal table's columns; the name takes what the last column leaves. */
const goalColumns = (last: Column): Column[] => [
  { header: 'No.', share: 0.05, align: 'right' },
  { header: 'Código', share: 0.11 },
  { header: 'Meta de producto', share: 0.53 - last.share },
  { header: 'Estado', share: 0.11 },
  { header: 'Esperado al corte', share: 0.1, align: 'right' },
  { header: 'Ejecutado al corte', share: 0.1, align: 'right' },
  last,
];

const goalCells = (goal: ReviewedGoal, index: number) => [
  String(index + 1),
  goal.goalCode,
  goal.name,
  statusLabel(goal.status),
  formatNumber(goal.measurement?.expectedToDate ?? null),
  formatNumber(goal.measurement?.executedToDate ?? null),
];

function programmingText(p: z.output<typeof programmingSchema> | null): string {
  if (!p) return 'Sin programación registrada';
  const quarters = p.quarterlyTargets ? p.quarterlyTargets.map((v, i) => `T${i + 1}: ${formatNumber(v)}`).join(' · ') + ' · ' : '';
  return `${quarters}Anual: ${formatNumber(p.annualTarget)}`;
}

function futureYearsText(before: z.output<typeof programmingSchema> | null, after: z.output<typeof programmingSchema> | null): string | null {
  const years = [...new Set([...Object.keys(before?.futureAnnualTargets ?? {}), ...Object.keys(after?.futureAnnualTargets ?? {})])].sort();
  if (!years.length) return null;
  return years
    .map((year) => `${year}: ${formatNumber(before?.futureAnnualTargets?.[year] ?? null)} → ${formatNumber(after?.futureAnnualTargets?.[year] ?? null)}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/** Constancia de negativa de ajustes (PE-P-008 task 3): the deadline passed with no answer. */
export async function renderNoAdjustmentRecord(input: NoAdjustmentRecordInput, options: RenderPdfOptions = {}): Promise<Buffer> {
  const data: NoAdjustmentRecord = noAdjustmentRecordInputSchema.parse(input);
  const when = (iso: string) => formatDateTime(new Date(iso), data.timeZone);
  const title = 'Constancia de negativa de ajustes';
  const n = data.goals.length;
  const reminders = data.reminders.length;
  const deadline = finalDeadline(data);

  return renderPdf(
    {
      kind: 'noAdjustmentRecord',
      data,
      issuer: data.issuer,
      documentTitle: title,
      reviewWorkflowId: data.reviewWorkflowId,
      recordedAt: data.recordedAt,
      timeZone: data.timeZone,
      subject: `${title} – ${data.department.name} – vigencia ${data.fiscalYear}, T${data.quarter}`,
      keywords: `${PROCEDURE_CODE}, constancia de negativa de ajustes, ${data.department.code}, ${data.reviewWorkflowId}`,
    },
    (w) => {
      w.title(title.toLocaleUpperCase('es-CO'), 'Reporte de alerta trimestral sin respuesta de la dependencia dentro del plazo');
      w.fields([
        ...reviewFields(data, when),
        ['Plazo vencido', when(deadline)],
        ['Fecha de la constancia', when(data.recordedAt)],
      ]);
      w.paragraph(timeZoneNote(data.timeZone), { size: 8, color: MUTED });

      w.section(`Metas de producto relacionadas (${n})`);
      w.table(
        goalColumns({ header: '% de avance', share: 0.1, align: 'right' }),
        data.goals.map((goal, i) => [...goalCells(goal, i), percent(goal.measurement?.progressPercent)]),
      );

      w.section('Constancia');
      const remindersText = reminders ? `, ni a ${plural(reminders, 'el recordatorio enviado', `los ${reminders} recordatorios enviados`)}` : '';
      const goalsText = plural(
        n,
        'a la meta de producto relacionada en este documento, que conserva',
        `a las metas de producto relacionadas en este documento (${n}), que conservan`,
      );
      w.paragraph(
        `Vencido el plazo de respuesta el ${when(deadline)} sin respuesta de la dependencia ${data.department.name} ` +
          `al reporte de alerta trimestral enviado el ${when(data.alert.sentAt)}${remindersText}, se deja constancia de que ` +
          `no se realizaron ajustes ${goalsText} la programación vigente para la vigencia ${data.fiscalYear}.`,
      );
      w.paragraph(
        `La presente constancia se expide conforme a la tarea 3 del procedimiento ${PROCEDURE_CODE} “${PROCEDURE_NAME}” ` +
          `de la Alcaldía de ${data.issuer.municipality}, el ${when(data.recordedAt)}.`,
      );
      w.space(14);
      if (data.coordinator) {
        w.paragraph(data.coordinator, { bold: true, gap: 0 });
        w.paragraph('Coordinador general del MMSE', { color: MUTED });
      } else {
        w.paragraph('Constancia registrada por el sistema Metas PDM al vencer el plazo de respuesta, sin intervención manual.', {
          size: 8.5,
          color: MUTED,
        });
      }
    },
    options,
  );
}

/**
 * Documento con justificación de metas no cumplidas y compromiso (PE-P-008 task 5): the goals
 * reprogrammed or kept in agreement with the department, each with its justification and commitment.
 */
export async function renderJustificationAndCommitment(input: JustificationInput, options: RenderPdfOptions = {}): Promise<Buffer> {
  const data: Justification = justificationInputSchema.parse(input);
  const when = (iso: string) => formatDateTime(new Date(iso), data.timeZone);
  const title = 'Justificación de metas no cumplidas y compromiso';
  const reprogrammed = data.goals.filter((g) => g.action === 'reprogram').length;
  const kept = data.goals.length - reprogrammed;
  const { approval, response } = data;

  return renderPdf(
    {
      kind: 'justificationAndCommitment',
      data,
      issuer: data.issuer,
      documentTitle: title,
      reviewWorkflowId: data.reviewWorkflowId,
      recordedAt: data.recordedAt,
      timeZone: data.timeZone,
      subject: `${title} – ${data.department.name} – vigencia ${data.fiscalYear}, T${data.quarter}`,
      keywords: `${PROCEDURE_CODE}, justificación, compromiso, reprogramación, ${data.department.code}, ${data.reviewWorkflowId}`,
    },
    (w) => {
      w.title(title.toLocaleUpperCase('es-CO'), 'Ajuste o reprogramación de metas de producto acordado con la dependencia');
      w.fields([
        ...reviewFields(data, when),
        ...(response
          ? [
              [
                'Respuesta de la dependencia',
                `${response.respondent.name}${response.respondent.email ? ` (${response.respondent.email})` : ''}, el ${when(response.submittedAt)}`,
              ] as [string, string],
            ]
          : []),
        ...(data.changeRequests.length
          ? [
              [
                'Solicitudes de cambios',
                data.changeRequests
                  .map(
                    (c, i) =>
                      `${i + 1}. ${c.requestedAt ? `${when(c.requestedAt)}` : ''}${c.coordinator ? ` (${c.coordinator})` : ''}${c.requestedAt || c.coordinator ? ': ' : ''}` +
                      `${c.comment} Nuevo plazo: ${when(c.deadline)}.`,
                  )
                  .join('\n'),
              ] as [string, string],
            ]
          : []),
        [
          'Aprobación',
          `${approval.approvedBy}, Coordinador general del MMSE, el ${when(approval.approvedAt)}${approval.round ? ` (ronda ${approval.round})` : ''}`,
        ],
        ...(approval.comment ? [['Observaciones de la aprobación', approval.comment] as [string, string]] : []),
        ['Fecha del documento', when(data.recordedAt)],
      ]);
      w.paragraph(timeZoneNote(data.timeZone), { size: 8, color: MUTED });

      w.section(`Metas de producto (${data.goals.length})`);
      w.table(
        goalColumns({ header: 'Decisión', share: 0.15 }),
        data.goals.map((goal, i) => [...goalCells(goal, i), goal.action === 'reprogram' ? 'Reprogramada' : 'Mantiene la programación']),
      );

      w.section('Justificación y compromiso por meta');
      data.goals.forEach((goal, i) => {
        w.subheading(`${i + 1}. Meta ${goal.goalCode}: ${goal.name}`);
        const m = goal.measurement;
        const future = futureYearsText(goal.before, goal.after);
        const termTarget =
          goal.action === 'keep'
            ? null
            : goal.altersTermTarget
              ? `Se modifica, con Acuerdo del Concejo: ${goal.councilAgreement || 'no indicado'}`
              : 'Se conserva';
        w.fields([
          ['Estado al corte', `${statusLabel(goal.status)}: esperado ${formatNumber(m?.expectedToDate ?? null)}, ejecutado ${formatNumber(m?.executedToDate ?? null)} (${percent(m?.progressPercent)})`],
          ['Decisión', goal.action === 'reprogram' ? 'Reprogramar la meta' : 'Mantener la programación vigente, con compromiso'],
          [goal.action === 'reprogram' ? 'Programación anterior' : 'Programación vigente', programmingText(goal.before)],
          ...(goal.action === 'reprogram' ? [['Programación nueva', programmingText(goal.after)] as [string, string]] : []),
          ...(future ? [['Vigencias futuras (antes → después)', future] as [string, string]] : []),
          ...(termTarget ? [['Meta cuatrienio', termTarget] as [string, string]] : []),
          ...(goal.councilAgreement && !goal.altersTermTarget ? [['Acuerdo del Concejo', goal.councilAgreement] as [string, string]] : []),
        ]);
        w.labeledParagraph('Justificación', goal.justification);
        w.labeledParagraph('Compromiso', goal.commitment, 8);
      });

      w.section('Acuerdo');
      const outcomes = [
        reprogrammed
          ? `${plural(reprogrammed, 'La meta reprogramada queda', `Las ${reprogrammed} metas reprogramadas quedan`)} con la nueva programación ` +
            'como una nueva versión del Plan de Acción (PE_F_012); la versión anterior se conserva en el historial.'
          : '',
        kept
          ? `${plural(kept, 'La meta que conserva su programación queda sujeta', `Las ${kept} metas que conservan su programación quedan sujetas`)} ` +
            'al compromiso aquí registrado, objeto de seguimiento en los próximos trimestres.'
          : '',
      ].filter(Boolean);
      w.paragraph(
        `De conformidad con la tarea 5 del procedimiento ${PROCEDURE_CODE} “${PROCEDURE_NAME}”, la dependencia ` +
          `${data.department.name} presentó la justificación de las metas no cumplidas y el compromiso correspondiente, ` +
          `que el Coordinador general del MMSE aprobó en común acuerdo con la dependencia el ${when(approval.approvedAt)}. ` +
          outcomes.join(' '),
      );
      w.space(14);
      w.fields(
        [
          ['Aprobó', `${approval.approvedBy}\nCoordinador general del MMSE`],
          ...(response ? [['Presentó', `${response.respondent.name}\nEnlace de la dependencia ${data.department.name}`] as [string, string]] : []),
        ],
        0.15,
      );
    },
    options,
  );
}
