import PptxGenJS from 'pptxgenjs';
import { goalStatusLabels, type GoalStatus } from '../domain/goals';
import { isLagging, reportStatusOrder, statusColors, summarize, type StatusBreakdown } from './dashboard';
import { DEFAULT_TIME_ZONE, formatDate, formatNumber, formatShare, percentToShare, quarterTitle } from '../domain/format';
import type { RenderOptions } from './format';
import { headerTexts, type RecordHeader } from '../domain/recordFormats';
import type { QuarterReport, ReportGoal } from './reportTypes';

export const PPTX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** More rows than this make the table's text too small to read from the back of the room. */
export const LAGGING_ROWS_PER_SLIDE = 12;
/** Characters of a goal name per line in the table's name column at 11 pt. */
const NAME_CHARS_PER_LINE = 55;
/** Names are cut at two lines on a slide; the dashboard has them whole. */
const NAME_MAX_CHARS = 2 * NAME_CHARS_PER_LINE;
const ROW_HEIGHT = { oneLine: 0.34, twoLines: 0.52 };
/** Height available for a table's body rows between the heading and the footer, in inches. */
const TABLE_BODY_HEIGHT = 4.7;

const shortName = (name: string) => (name.length > NAME_MAX_CHARS ? `${name.slice(0, NAME_MAX_CHARS - 1).trimEnd()}…` : name);
const rowHeight = (g: ReportGoal) => (shortName(g.name).length > NAME_CHARS_PER_LINE ? ROW_HEIGHT.twoLines : ROW_HEIGHT.oneLine);

/** Splits a department's lagging goals into slides: at most 12 rows, fewer when names wrap. */
export function paginateLagging<G extends ReportGoal>(goals: readonly G[]): G[][] {
  const pages: G[][] = [];
  let page: G[] = [];
  let height = 0;
  for (const goal of goals) {
    const h = rowHeight(goal);
    if (page.length === LAGGING_ROWS_PER_SLIDE || height + h > TABLE_BODY_HEIGHT) {
      pages.push(page);
      page = [];
      height = 0;
    }
    page.push(goal);
    height += h;
  }
  if (page.length) pages.push(page);
  return pages;
}

// LAYOUT_WIDE is 13.333 × 7.5 in.
const SLIDE_W = 13.333;
const MARGIN = 0.5;
const CONTENT_W = SLIDE_W - 2 * MARGIN;
const FONT = 'Calibri';
const INK = '1F2937';
const BRAND = '1F3864';

type Slide = PptxGenJS.Slide;
type Cell = PptxGenJS.TableCell;

function addHeading(slide: Slide, title: string, subtitle?: string) {
  slide.addShape('rect', { x: 0, y: 0, w: SLIDE_W, h: 0.12, fill: { color: BRAND }, line: { color: BRAND } });
  slide.addText(title, { x: MARGIN, y: 0.62, w: CONTENT_W, h: 0.55, fontFace: FONT, fontSize: 24, bold: true, color: BRAND, fit: 'shrink' });
  if (subtitle) slide.addText(subtitle, { x: MARGIN, y: 1.12, w: CONTENT_W, h: 0.35, fontFace: FONT, fontSize: 13, color: INK });
}

/** An image pptxgenjs embeds from a data URL ("image/png;base64,…"). */
const imageData = (escudo: NonNullable<RecordHeader['escudo']>) => `${escudo.mediaType};base64,${escudo.content.toString('base64')}`;

/**
 * The institutional header (documents/recordHeader.ts) across the top of a slide: escudo and entity
 * on the left; format code, version, approval date, vigencia and "Página X de Y" on the right.
 */
function addInstitutionalHeader(slide: Slide, header: RecordHeader, page: number, pages: number, color = INK) {
  const texts = headerTexts(header, { page, pages });
  const left = header.escudo ? MARGIN + 0.5 : MARGIN;
  if (header.escudo) slide.addImage({ data: imageData(header.escudo), x: MARGIN, y: 0.15, w: 0.42, h: 0.42, sizing: { type: 'contain', w: 0.42, h: 0.42 } });
  slide.addText(
    [
      { text: texts.entity, options: { bold: true, breakLine: true } },
      { text: `${texts.process} · ${texts.procedure}` },
    ],
    { x: left, y: 0.14, w: 6.6, h: 0.46, fontFace: FONT, fontSize: 9, color, valign: 'middle', fit: 'shrink' },
  );
  slide.addText(
    [
      { text: `${header.title} · ${texts.code} · ${texts.version}`, options: { breakLine: true } },
      { text: `${texts.approved} · ${texts.vigencia} · ` },
      { text: texts.page, options: { bold: true } },
    ],
    { x: SLIDE_W - MARGIN - 5.6, y: 0.14, w: 5.6, h: 0.46, fontFace: FONT, fontSize: 9, color, align: 'right', valign: 'middle', fit: 'shrink' },
  );
}

function addFooter(slide: Slide, text: string) {
  slide.addText(text, { x: MARGIN, y: 6.7, w: CONTENT_W - 1, h: 0.6, fontFace: FONT, fontSize: 10, color: '595959', valign: 'bottom', fit: 'shrink' });
  slide.slideNumber = { x: SLIDE_W - MARGIN - 0.6, y: 6.95, w: 0.6, h: 0.3, fontFace: FONT, fontSize: 10, color: '595959' };
}

const headerCell = (text: string): Cell => ({
  text,
  options: { bold: true, color: 'FFFFFF', fill: { color: BRAND }, fontFace: FONT, fontSize: 12, valign: 'middle' },
});

const statusCell = (status: GoalStatus, fontSize = 12): Cell => ({
  text: goalStatusLabels[status],
  options: { bold: true, color: statusColors[status].text, fill: { color: statusColors[status].fill }, fontFace: FONT, fontSize },
});

const plainCell = (text: string, align: 'left' | 'right' = 'left', fontSize = 12): Cell => ({
  text,
  options: { color: INK, fontFace: FONT, fontSize, align },
});

/** A status chart (counts, semáforo colours in status order) and a table with counts and shares. */
function addStatusBreakdown(pptx: PptxGenJS, slide: Slide, data: StatusBreakdown) {
  slide.addChart(
    pptx.ChartType.bar,
    [{ name: 'Metas', labels: reportStatusOrder.map((s) => goalStatusLabels[s]), values: reportStatusOrder.map((s) => data.counts[s]) }],
    {
      x: MARGIN,
      y: 1.5,
      w: 7.4,
      h: 5.1,
      barDir: 'col',
      // One series with one colour per bar: pptxgenjs writes a <c:dPt> per status.
      chartColors: reportStatusOrder.map((s) => statusColors[s].fill),
      showValue: true,
      dataLabelPosition: 'outEnd',
      dataLabelColor: INK,
      dataLabelFontSize: 14,
      dataLabelFontBold: true,
      dataLabelFontFace: FONT,
      showLegend: false,
      catAxisLabelFontSize: 12,
      catAxisLabelColor: INK,
      valAxisHidden: true,
      valGridLine: { style: 'none' },
      valAxisMinVal: 0,
    },
  );
  const rows: Cell[][] = [
    [headerCell('Estado'), headerCell('Metas'), headerCell('% de evaluadas')],
    ...reportStatusOrder.map((s) => [statusCell(s), plainCell(String(data.counts[s]), 'right'), plainCell(formatShare(data.shares[s]), 'right')]),
    [
      { text: 'Total', options: { bold: true, color: INK, fontFace: FONT, fontSize: 12 } },
      { text: String(data.total), options: { bold: true, color: INK, fontFace: FONT, fontSize: 12, align: 'right' } },
      plainCell(`${data.evaluated} evaluadas`, 'right'),
    ],
  ];
  slide.addTable(rows, { x: 8.2, y: 1.7, w: 4.6, colW: [2.0, 1.0, 1.6], rowH: 0.42, border: { type: 'solid', pt: 0.5, color: 'BFBFBF' } });
  slide.addText(
    `Rezagadas (no iniciadas y atrasadas): ${data.lagging} de ${data.evaluated} evaluadas (${formatShare(data.laggingShare)}).`,
    { x: 8.2, y: 5.3, w: 4.6, h: 0.8, fontFace: FONT, fontSize: 13, bold: true, color: INK },
  );
}

/** The footer's short form of the dashboard's source line: a slide has room for one line. */
const slideSource = (report: QuarterReport) =>
  report.source === 'cycle'
    ? `Fuente: clasificación del ciclo ${report.cycleWorkflowId}.`
    : 'Fuente: clasificación con los datos actuales (ciclo del trimestre aún sin iniciar).';

const shareNote =
  'Porcentajes sobre las metas evaluadas; las no evaluadas (sin programación en la vigencia) no entran en la base.';

function laggingRows(goals: ReportGoal[]): Cell[][] {
  return goals.map((g) => [
    plainCell(g.goalCode, 'left', 11),
    plainCell(shortName(g.name), 'left', 11),
    statusCell(g.status, 11),
    plainCell(formatNumber(g.expectedToDate), 'right', 11),
    plainCell(formatNumber(g.executedToDate), 'right', 11),
    plainCell(formatShare(percentToShare(g.progressPercent)), 'right', 11),
    plainCell(formatShare(percentToShare(g.avanceVigencia ?? g.annualPercent)), 'right', 11),
    plainCell(formatShare(percentToShare(g.avanceCuatrienio)), 'right', 11),
  ]);
}

/**
 * The quarterly presentation for the Consejo de Gobierno (PE-P-008 task 1, "PPT con avance
 * trimestral"): title, whole plan, one slide per línea estratégica, and per dependencia its
 * rezagadas (no iniciadas and atrasadas), paginated.
 */
export async function buildPresentationPptx(report: QuarterReport, options: RenderOptions & { header?: RecordHeader } = {}): Promise<Buffer> {
  const generatedAt = options.generatedAt ?? new Date();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const dashboard = summarize(report.goals);
  const period = quarterTitle(report.fiscalYear, report.quarter);
  const source = slideSource(report);

  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.author = 'Metas PDM';
  pptx.company = report.municipality ?? '';
  pptx.title = `Seguimiento trimestral del Plan de Desarrollo ${report.fiscalYear}-T${report.quarter}`;
  pptx.subject = 'Consejo de Gobierno';

  // Title slide.
  const cover = pptx.addSlide();
  cover.background = { color: BRAND };
  cover.addText(report.municipality ?? 'Alcaldía municipal', { x: MARGIN, y: 1.2, w: CONTENT_W, h: 0.7, fontFace: FONT, fontSize: 24, color: 'FFFFFF' });
  cover.addText('Seguimiento trimestral del Plan de Desarrollo', {
    x: MARGIN,
    y: 2.0,
    w: CONTENT_W,
    h: 1.3,
    fontFace: FONT,
    fontSize: 40,
    bold: true,
    color: 'FFFFFF',
  });
  if (report.planName) cover.addText(report.planName, { x: MARGIN, y: 3.3, w: CONTENT_W, h: 0.6, fontFace: FONT, fontSize: 20, color: 'FFFFFF' });
  cover.addText(period, { x: MARGIN, y: 4.1, w: CONTENT_W, h: 0.6, fontFace: FONT, fontSize: 22, color: 'FFFFFF' });
  cover.addText(`Consejo de Gobierno · ${formatDate(generatedAt, timeZone)}`, {
    x: MARGIN,
    y: 4.8,
    w: CONTENT_W,
    h: 0.5,
    fontFace: FONT,
    fontSize: 18,
    color: 'FFFFFF',
  });
  cover.addText(`Procedimiento PE-P-008 · Tablero de control ${options.header?.format.code ?? 'PE_F_024'}`, { x: MARGIN, y: 6.6, w: CONTENT_W, h: 0.4, fontFace: FONT, fontSize: 12, color: 'D9E1F2' });

  // Whole plan.
  const contentSlides: Slide[] = [];
  const addSlide = () => {
    const slide = pptx.addSlide();
    contentSlides.push(slide);
    return slide;
  };
  const plan = addSlide();
  addHeading(plan, 'Todo el plan: estado de las metas', `${period} · ${dashboard.plan.total} metas de producto`);
  addStatusBreakdown(pptx, plan, dashboard.plan);
  addFooter(plan, `${shareNote} ${source}`);

  for (const line of dashboard.byLine) {
    const slide = addSlide();
    addHeading(slide, line.label, `Línea estratégica · ${period} · ${line.total} metas`);
    addStatusBreakdown(pptx, slide, line);
    addFooter(slide, `${shareNote} ${source}`);
  }

  for (const department of dashboard.byDepartment) {
    const lagging = report.goals.filter((g) => g.departmentCode === department.key && isLagging(g.status));
    const chunks = paginateLagging(lagging);
    const pages = Math.max(1, chunks.length);
    const summary = `Metas evaluadas: ${department.evaluated} · No iniciadas: ${department.counts.notStarted} · Atrasadas: ${department.counts.behind} · Sobrecumplidas: ${department.counts.overachieved}`;
    for (let page = 0; page < pages; page++) {
      const slide = addSlide();
      const pageLabel = pages > 1 ? ` (${page + 1} de ${pages})` : '';
      addHeading(slide, `${department.label}: metas rezagadas${pageLabel}`, summary);
      if (lagging.length === 0) {
        slide.addText('La dependencia no tiene metas rezagadas (no iniciadas ni atrasadas) al cierre del trimestre.', {
          x: MARGIN,
          y: 2.5,
          w: CONTENT_W,
          h: 1,
          fontFace: FONT,
          fontSize: 20,
          color: INK,
        });
      } else {
        const chunk = chunks[page] ?? [];
        const header = ['Código', 'Meta de producto', 'Estado', 'Esperado', 'Ejecutado', '% avance', 'Avance vigencia', 'Avance cuatrienio'].map(headerCell);
        slide.addTable([header, ...laggingRows(chunk)], {
          x: MARGIN,
          y: 1.5,
          w: CONTENT_W,
          colW: [1.3, 4.5, 1.4, 1.1, 1.1, 1.0, 1.0, 1.1],
          rowH: [0.4, ...chunk.map(rowHeight)],
          border: { type: 'solid', pt: 0.5, color: 'BFBFBF' },
        });
      }
      addFooter(slide, `${period}. Esperado y ejecutado acumulados al cierre del trimestre. ${source}`);
    }
  }

  // Every slide carries the institutional header; the page count is known once all are made.
  if (options.header) {
    const header = options.header;
    const slides = [cover, ...contentSlides];
    slides.forEach((slide, i) => addInstitutionalHeader(slide, header, i + 1, slides.length, slide === cover ? 'FFFFFF' : INK));
  }

  // stream() is the Node path that honours compression (write() with an outputType ignores it).
  const output = await pptx.stream({ compression: true });
  if (Buffer.isBuffer(output)) return output;
  if (output instanceof ArrayBuffer || output instanceof Uint8Array) return Buffer.from(output as ArrayBuffer);
  throw new Error('pptxgenjs did not return a binary buffer');
}
