import path from 'node:path';
import PDFDocument from 'pdfkit';
import { formatDateTime } from '../domain/format';
import { headerTexts, type RecordHeader } from '../domain/recordFormats';
import { CERTIFIED_DATA_FILE_NAME, certify, UNSIGNED_STATEMENT, type CertifiedContent, type DocumentKind, type RenderPdfOptions } from './pdfInput';

// ---------------------------------------------------------------------------------------------
// Page layout
// ---------------------------------------------------------------------------------------------

const FONT_REGULAR = path.join(__dirname, 'fonts', 'DejaVuSansCondensed.ttf');
const FONT_BOLD = path.join(__dirname, 'fonts', 'DejaVuSansCondensed-Bold.ttf');

const INK = '#1F2937';
export const MUTED = '#595959';
const BRAND = '#1F3864';
const RULE = '#A6A6A6';
const HEADER_FILL = '#D9E2F3';
const ZEBRA_FILL = '#F3F5F9';

/** Carta (letter), the paper size of Colombian public administration. */
const PAGE_MARGINS = { top: 120, bottom: 74, left: 56, right: 56 };
const HEADER_TOP = 34;
const HEADER_HEIGHT = 70;
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const CELL_PAD = 3.5;

export interface Column {
  header: string;
  /** Share of the content width. */
  share: number;
  align?: 'left' | 'right' | 'center';
}

type Doc = PDFKit.PDFDocument;

/** Who issues, approves, agrees or presents a record: name and cargo (signed by hand or digitally). */
export interface SignatureBlock {
  role: string;
  name: string;
  title: string;
  note?: string;
}

/**
 * Text as typed, for drawing: line breaks are kept; a tab (which fonts draw as a missing-glyph
 * box) becomes spaces. Nothing is interpreted: markup is text. The certified data keeps the original.
 */
const display = (text: string) => text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ');

/** Flowing layout on top of pdfkit: sections, label/value fields, tables that repeat their header. */
export class Writer {
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

  /**
   * Signature blocks side by side (at most three a row): the role ("Expidió"), room to sign, a rule,
   * the name in bold, the cargo, and an optional note. A row never splits across pages.
   */
  signatures(blocks: SignatureBlock[]) {
    // Always a third of the width: a lone signature looks like one, not like a rule across the page.
    const perRow = 3;
    const gap = 18;
    const blockWidth = (this.width - gap * (perRow - 1)) / perRow;
    for (let start = 0; start < blocks.length; start += perRow) {
      const row = blocks.slice(start, start + perRow);
      const heightOf = (b: SignatureBlock) => {
        this.style('regular', 8.5);
        const text = [b.title, b.note].filter(Boolean).join('\n');
        this.style('bold', BODY_SIZE);
        return 12 + 30 + this.doc.heightOfString(b.name, { width: blockWidth }) + this.doc.heightOfString(text || ' ', { width: blockWidth }) + 8;
      };
      const height = Math.max(...row.map(heightOf));
      this.ensure(height);
      const top = this.doc.y;
      row.forEach((block, i) => {
        const x = this.left + i * (blockWidth + gap);
        this.style('bold', 8.5, MUTED);
        this.doc.text(block.role, x, top, { width: blockWidth });
        const ruleY = top + 12 + 28;
        this.doc.moveTo(x, ruleY).lineTo(x + blockWidth, ruleY).lineWidth(0.6).strokeColor(INK).stroke();
        this.style('bold', BODY_SIZE);
        this.doc.text(block.name, x, ruleY + 3, { width: blockWidth });
        this.style('regular', 8.5, INK);
        this.doc.text(block.title, x, this.doc.y, { width: blockWidth });
        if (block.note) {
          this.style('regular', 7.5, MUTED);
          this.doc.text(block.note, x, this.doc.y + 1, { width: blockWidth });
        }
      });
      this.doc.x = this.left;
      this.doc.y = top + height;
    }
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

export interface PageFrame {
  issuer: { municipality: string; office: string; process: string };
  header: RecordHeader;
  documentTitle: string;
  reviewWorkflowId: string;
  recordedAt: string;
  timeZone: string;
  certified: CertifiedContent;
  /** Whether the file is digitally signed (documents/pdfSigner.ts). */
  signatureStatement: string;
}

/** pdfkit's openImage (missing from its types): an image drawn on many pages is embedded once. */
const openImage = (doc: Doc, content: Buffer) => (doc as unknown as { openImage(src: Buffer): PDFKit.Mixins.ImageSrc }).openImage(content);

/** The office's form header (like the procedure's own) and the footer with the certified hash. */
function drawPageFrames(doc: Doc, frame: PageFrame) {
  const range = doc.bufferedPageRange();
  // Opened once: every page draws the same image XObject.
  const escudo = frame.header.escudo ? openImage(doc, frame.header.escudo.content) : null;
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    // Writing in the margins must not make pdfkit start a page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    drawHeader(doc, frame, escudo, index + 1, range.count);
    drawFooter(doc, frame);
    doc.page.margins.bottom = bottomMargin;
  }
}

type HeaderLine = { font: string; size: number; color: string; text: string };

/** Lines centred vertically in a header cell, cut with an ellipsis if they do not fit. */
function drawCell(doc: Doc, x: number, width: number, lines: HeaderLine[], align: 'center' | 'left' = 'center') {
  const innerWidth = width - 2 * 5;
  const heights = lines.map((line) => doc.font(line.font).fontSize(line.size).heightOfString(line.text, { width: innerWidth, lineGap: 0.5 }));
  const total = heights.reduce((a, b) => a + b, 0) + 1.5 * (lines.length - 1);
  let y = HEADER_TOP + Math.max((HEADER_HEIGHT - total) / 2, 3);
  lines.forEach((line, j) => {
    const room = HEADER_TOP + HEADER_HEIGHT - 3 - y;
    if (room <= 0) return;
    doc
      .font(line.font)
      .fontSize(line.size)
      .fillColor(line.color)
      .text(line.text, x + 5, y, { width: innerWidth, align, lineGap: 0.5, height: room, ellipsis: true });
    y += (heights[j] ?? 0) + 1.5;
  });
}

/**
 * The institutional header (documents/recordHeader.ts): escudo and entity, process, procedure and
 * title, and the format's code, version, approval date, vigencia and "Página X de Y".
 */
function drawHeader(doc: Doc, frame: PageFrame, escudo: PDFKit.Mixins.ImageSrc | null, page: number, pages: number) {
  const left = PAGE_MARGINS.left;
  const width = doc.page.width - PAGE_MARGINS.left - PAGE_MARGINS.right;
  const texts = headerTexts(frame.header, { page, pages });
  const shares = [0.32, 0.43, 0.25];
  const widths = shares.map((share) => share * width);
  let x = left;
  widths.forEach((cellWidth) => {
    doc.rect(x, HEADER_TOP, cellWidth, HEADER_HEIGHT).lineWidth(0.7).strokeColor(RULE).stroke();
    x += cellWidth;
  });
  const entityWidth = widths[0] ?? 0;
  const imageSize = HEADER_HEIGHT - 12;
  if (escudo) doc.image(escudo, left + 5, HEADER_TOP + 6, { fit: [imageSize, imageSize], align: 'center', valign: 'center' });
  const entityLeft = escudo ? left + imageSize + 6 : left;
  drawCell(doc, entityLeft, entityWidth - (entityLeft - left), [
    { font: FONT_BOLD, size: 9.5, color: BRAND, text: texts.entity },
    { font: FONT_REGULAR, size: 7, color: INK, text: frame.header.office },
  ]);
  drawCell(doc, left + entityWidth, widths[1] ?? 0, [
    { font: FONT_BOLD, size: 7.5, color: MUTED, text: texts.process.toLocaleUpperCase('es-CO') },
    { font: FONT_REGULAR, size: 7, color: INK, text: texts.procedure },
    { font: FONT_BOLD, size: 8.5, color: INK, text: frame.header.title },
  ]);
  drawCell(
    doc,
    left + entityWidth + (widths[1] ?? 0),
    widths[2] ?? 0,
    [
      { font: FONT_BOLD, size: 7.5, color: INK, text: texts.code },
      { font: FONT_REGULAR, size: 7, color: INK, text: texts.version },
      { font: FONT_REGULAR, size: 7, color: INK, text: texts.approved },
      { font: FONT_REGULAR, size: 7, color: INK, text: texts.vigencia },
      { font: FONT_BOLD, size: 7.5, color: INK, text: texts.page },
    ],
    'left',
  );
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
        `Revisión ${frame.reviewWorkflowId}. Documento generado por Metas PDM el ${formatDateTime(new Date(frame.recordedAt), frame.timeZone)}. ` +
        frame.signatureStatement,
      left,
      top + 14,
      { width, lineGap: 0.5, height: PAGE_MARGINS.bottom - 30, ellipsis: true },
    );
}

/** Renders a document: pdfkit with fixed dates and the embedded fonts, body first, then page frames. */
export async function renderPdf(
  frame: Omit<PageFrame, 'certified' | 'signatureStatement'> & { kind: DocumentKind; data: unknown; subject: string; keywords: string },
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
    const writer = new Writer(doc);
    body(writer);
    // Whether the file carries a digital signature (PAdES, added after rendering by documents/pdfSigner.ts):
    // said in every page's footer, so it never pushes a one-page record onto a second page.
    drawPageFrames(doc, { ...frame, certified, signatureStatement: options.signatureStatement ?? UNSIGNED_STATEMENT });
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
