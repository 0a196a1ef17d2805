import { goalStatusLabels, type GoalStatus, type Measurement, type YearProgramming } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';
import { describeResponseWindow, type ResponseWindow } from '../domain/responseWindow';
import { goalStateLabels, type GoalState } from '../machines/goalStatus';
import { businessDaysText, entityName, formatDate, formatFullDateTime, formatNumber, formatPercent, quarterLabel } from '../domain/format';
import { checkedUrl, html, multiline, SafeHtml } from './html';

/**
 * The e-mails of PE-P-008, as pure functions: typed input in, { subject, html, text } out. Every
 * value is escaped in the HTML (see ./html), every date is printed in the office's time zone and
 * every message has a plain-text version with the same content and the full links.
 */

export const PROCEDURE_CODE = 'PE-P-008';
const PROCEDURE_NAME = 'Reprogramación o ajuste de metas de producto';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Who writes and from where: shared by every template. */
export interface MailContext {
  /** The municipality's name ("Pasto"); shown as "Alcaldía de Pasto" unless it already names the entity. */
  municipality: string;
  /** "Oficina de Planeación de Gestión Institucional". */
  officeName: string;
  /** IANA time zone of the office (TZ, "America/Bogota"): every date is printed in it. */
  timeZone: string;
  /** Who signs; defaults to the coordination of the MMSE. */
  signature?: { name?: string | null; role?: string | null };
}

export interface MailDepartment {
  code: string;
  name: string;
  liaisonName?: string | null;
}

interface ReviewContext extends MailContext {
  department: MailDepartment;
  fiscalYear: number;
  quarter: number;
}

/** A flagged goal as the alert shows it (the shape the sendAlert activity already receives). */
export interface AlertGoal {
  goalCode: string;
  name: string;
  status: GoalStatus | null;
  measurement: Measurement | null;
  unit?: string | null;
}

export interface QuarterlyAlertInput extends ReviewContext {
  goals: AlertGoal[];
  responseWindow: ResponseWindow;
  /** ISO instant the answer is due (end of the last business day, local time). */
  deadline: string;
  /** The liaison's personal link to the response form. */
  responseUrl: string;
  /** File name of the attached Matriz de metas rezagadas del trimestre. */
  matrixFileName: string;
  /** Q3: the attachment also carries the cumulative matrix (PE-P-008 task 4). */
  includesCumulative?: boolean;
}

export interface ReminderInput extends ReviewContext {
  /** Business days left until the deadline (0 = today is the last day). */
  businessDaysLeft: number;
  deadline: string;
  alertedAt: string;
  responseUrl: string;
  /** Goals still waiting for an answer. */
  pendingGoals: { goalCode: string; name: string }[];
  /** 1 for the first reminder, 2 for the second… */
  reminderNumber?: number;
}

export interface ResponseReceiptInput extends ReviewContext {
  respondent: { name: string; email?: string | null };
  receivedAt: string;
  /** 1 for the first answer, +1 after each request for changes. */
  round: number;
  answers: { goalCode: string; name: string; answer: GoalAnswer }[];
  /** The review's state after the answer (ReviewView.status). */
  reviewStatus: GoalState;
  reviewUrl: string;
}

export interface ChangesRequestedInput extends ReviewContext {
  coordinatorName: string;
  comment: string;
  requestedAt: string;
  newDeadline: string;
  responseWindow?: ResponseWindow;
  responseUrl: string;
  /** The round the department now answers (2 after the first request for changes). */
  round: number;
}

export interface ReviewCancelledInput extends ReviewContext {
  cancelledBy: string;
  reason: string;
  cancelledAt: string;
}

export interface NoAdjustmentRecordInput extends ReviewContext {
  /** Review workflow ID, cited as the reference of the record. */
  reference: string;
  goals: { goalCode: string; name: string; status: GoalStatus | null }[];
  alertedAt: string;
  /** Instants each reminder was sent, in order. */
  remindersSentAt: string[];
  deadline: string;
  recordedAt: string;
  /** File name of the attached PDF constancia. */
  pdfFileName: string;
}

export interface ReprogrammedGoal {
  goalCode: string;
  name: string;
  unit?: string | null;
  before: YearProgramming;
  after: YearProgramming & { futureAnnualTargets?: Record<string, number> };
  justification: string;
  commitment: string;
  /** The change alters the meta cuatrienio: only valid with an Acuerdo del Concejo. */
  altersTermTarget?: boolean;
  councilAgreement?: string | null;
}

export interface ReprogrammingApprovedInput extends ReviewContext {
  reference: string;
  approvedBy: string;
  approvedAt: string;
  reprogrammed: ReprogrammedGoal[];
  /** Goals whose programming stays, with the department's justification and commitment. */
  kept?: { goalCode: string; name: string; justification: string; commitment: string }[];
  /** File name of the attached document (justification and commitment, new programming). */
  documentFileName: string;
  reviewUrl: string;
}

// ---------------------------------------------------------------------------------------------
// Layout and building blocks

const COLORS = { text: '#1f2933', muted: '#52606d', border: '#cbd2d9', head: '#e4e7eb', brand: '#0b4f8a', notice: '#fff4e5', noticeBorder: '#b45309' };
const FONT = 'Arial, Helvetica, sans-serif';
const cell = `border:1px solid ${COLORS.border};padding:6px 8px;vertical-align:top;text-align:left;`;
const numCell = `${cell}text-align:right;white-space:nowrap;`;
const headCell = `${cell}background:${COLORS.head};font-weight:bold;`;

const greetingName = (c: ReviewContext) => c.department.liaisonName?.trim() || null;
const greeting = (c: ReviewContext) => (greetingName(c) ? `Respetado(a) ${greetingName(c)}:` : `Señores ${c.department.name}:`);
/** Department names differ in gender (Secretaría, Instituto): "la dependencia X" reads right for all. */
const theDepartment = (c: ReviewContext) => `la dependencia ${c.department.name}`;
const reviewTitle = (c: ReviewContext) => `vigencia ${c.fiscalYear}, trimestre ${quarterLabel(c.quarter)}`;
const subjectOf = (c: ReviewContext, what: string) => `${PROCEDURE_CODE} · ${what} · T${c.quarter}-${c.fiscalYear} · ${c.department.name}`;
const statusLabel = (status: GoalStatus | null) => (status ? goalStatusLabels[status] : 'Sin clasificar');

function signatureLines(c: MailContext): string[] {
  return [c.signature?.name?.trim() || null, c.signature?.role?.trim() || 'Coordinación general del MMSE', c.officeName, entityName(c.municipality)].filter(
    (l): l is string => Boolean(l),
  );
}

function layout(c: MailContext, title: string, body: SafeHtml): string {
  const sign = signatureLines(c);
  const page = html`<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f5f7fa;">
<div style="max-width:720px;margin:0 auto;padding:24px 16px;font-family:${FONT};font-size:15px;line-height:1.5;color:${COLORS.text};background:#ffffff;">
<p style="margin:0 0 4px 0;font-size:13px;color:${COLORS.muted};">${entityName(c.municipality)} · ${c.officeName}</p>
<h1 style="margin:0 0 16px 0;font-size:20px;line-height:1.3;color:${COLORS.brand};">${title}</h1>
${body}
<p style="margin:24px 0 0 0;">Cordialmente,</p>
<p style="margin:4px 0 0 0;">${sign.map((line, i) => html`${i === 0 ? html`<strong>${line}</strong>` : line}${i < sign.length - 1 ? html`<br>` : ''}`)}</p>
<hr style="border:0;border-top:1px solid ${COLORS.border};margin:24px 0 12px 0;">
<p style="margin:0;font-size:12px;color:${COLORS.muted};">Procedimiento ${PROCEDURE_CODE} · ${PROCEDURE_NAME}. Mensaje generado por el sistema Metas PDM; se conserva como registro (Ley 594 de 2000). Si tiene inquietudes, responda a este correo.</p>
</div>
</body>
</html>`;
  return `<!DOCTYPE html>\n${page.value}\n`;
}

function textLayout(c: MailContext, title: string, lines: (string | null | false)[]): string {
  return [
    `${entityName(c.municipality)} · ${c.officeName}`,
    title.toUpperCase(),
    '',
    ...lines.filter((l): l is string => l !== null && l !== false),
    '',
    'Cordialmente,',
    ...signatureLines(c),
    '',
    '--',
    `Procedimiento ${PROCEDURE_CODE} · ${PROCEDURE_NAME}. Mensaje generado por el sistema Metas PDM; se conserva como registro (Ley 594 de 2000). Si tiene inquietudes, responda a este correo.`,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

const p = (content: SafeHtml | string) => html`<p style="margin:0 0 12px 0;">${content}</p>`;

function button(url: string, label: string): SafeHtml {
  const href = checkedUrl(url);
  return html`<p style="margin:16px 0;"><a href="${href}" style="display:inline-block;background:${COLORS.brand};color:#ffffff;text-decoration:none;font-weight:bold;padding:10px 18px;border-radius:4px;">${label}</a></p>
<p style="margin:0 0 12px 0;font-size:13px;color:${COLORS.muted};">Si el botón no funciona, copie este enlace en su navegador: <a href="${href}" style="color:${COLORS.brand};word-break:break-all;">${href}</a></p>`;
}

/** Someone's own words (a coordinator's comment, a reason), quoted as written. */
function quote(text: string): SafeHtml {
  return html`<blockquote style="margin:0 0 12px 0;padding:8px 12px;border-left:4px solid ${COLORS.border};background:#f5f7fa;">${multiline(text)}</blockquote>`;
}

/** The same words in the text version, one `> ` line each. */
const quotedLines = (text: string) => text.replace(/\r\n?/g, '\n').split('\n').map((l) => `> ${l}`);

function notice(content: SafeHtml | string): SafeHtml {
  return html`<p style="margin:16px 0;padding:10px 12px;background:${COLORS.notice};border-left:4px solid ${COLORS.noticeBorder};">${content}</p>`;
}

interface Column<Row> {
  header: string;
  numeric?: boolean;
  /** The row header cell (th scope="row"), usually the goal code. */
  rowHeader?: boolean;
  value: (row: Row) => SafeHtml | string;
}

function table<Row>(caption: string, columns: Column<Row>[], rows: Row[]): SafeHtml {
  return html`<table style="border-collapse:collapse;width:100%;margin:0 0 16px 0;font-size:14px;">
<caption style="text-align:left;font-weight:bold;padding:0 0 6px 0;">${caption}</caption>
<thead><tr>${columns.map((col) => html`<th scope="col" style="${col.numeric ? `${headCell}text-align:right;` : headCell}">${col.header}</th>`)}</tr></thead>
<tbody>
${rows.map(
  (row) =>
    html`<tr>${columns.map((col) =>
      col.rowHeader
        ? html`<th scope="row" style="${cell}font-weight:bold;white-space:nowrap;">${col.value(row)}</th>`
        : html`<td style="${col.numeric ? numCell : cell}">${col.value(row)}</td>`,
    )}</tr>\n`,
)}</tbody>
</table>`;
}

const quarters = (targets: YearProgramming['quarterlyTargets']) =>
  targets ? targets.map((v, i) => `T${i + 1}: ${formatNumber(v)}`).join(' · ') : 'sin programación trimestral';
const programmingText = (prog: YearProgramming) => `anual ${formatNumber(prog.annualTarget)} (${quarters(prog.quarterlyTargets)})`;
const futureText = (future: Record<string, number> | undefined) =>
  future && Object.keys(future).length
    ? `Vigencias futuras: ${Object.entries(future)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([year, value]) => `${year}: ${formatNumber(value)}`)
        .join(' · ')}`
    : null;

// ---------------------------------------------------------------------------------------------
// Templates

function alertSummary(total: number, lagging: number, overachieved: number): string {
  const head = total === 1 ? 'Se identificó 1 meta de producto que requiere revisión' : `Se identificaron ${total} metas de producto que requieren revisión`;
  const parts = [
    lagging === 1 ? '1 rezagada (atrasada o no iniciada), que se prioriza' : lagging > 1 ? `${lagging} rezagadas (atrasadas o no iniciadas), que se priorizan` : null,
    overachieved === 1
      ? '1 sobrecumplida, cuya programación puede requerir ajuste'
      : overachieved > 1
        ? `${overachieved} sobrecumplidas, cuya programación puede requerir ajuste`
        : null,
  ].filter((part): part is string => part !== null);
  const others = total - lagging - overachieved;
  if (others > 0) parts.push(others === 1 ? '1 en otro estado' : `${others} en otros estados`);
  if (!parts.length) return `${head}.`;
  return `${head}: ${parts.join('; ')}.`;
}

const priority: Record<string, number> = { notStarted: 0, behind: 1, overachieved: 2 };
const byPriority = (a: AlertGoal, b: AlertGoal) =>
  (priority[a.status ?? ''] ?? 3) - (priority[b.status ?? ''] ?? 3) || a.goalCode.localeCompare(b.goalCode, 'es');

/** PE-P-008 task 3: the quarterly alert report to a department, lagging goals first. */
export function quarterlyAlert(input: QuarterlyAlertInput): RenderedMail {
  const goals = [...input.goals].sort(byPriority);
  const lagging = goals.filter((g) => g.status === 'notStarted' || g.status === 'behind').length;
  const overachieved = goals.filter((g) => g.status === 'overachieved').length;
  const windowText = describeResponseWindow(input.responseWindow);
  const deadline = formatFullDateTime(input.deadline, input.timeZone);
  const url = checkedUrl(input.responseUrl);
  const title = `Reporte de alerta trimestral de metas de producto — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Reporte de alerta trimestral de metas de producto');
  const q = `T${input.quarter}`;
  const intro = `En cumplimiento del procedimiento ${PROCEDURE_CODE} (${PROCEDURE_NAME}), le remitimos el reporte de alerta trimestral de las metas de producto a cargo de ${theDepartment(input)} para la ${reviewTitle(input)}.`;
  const summary = alertSummary(goals.length, lagging, overachieved);
  const ask = `Le solicitamos revisar cada meta y, a través del formulario, proponer su reprogramación o mantener la programación vigente, indicando en ambos casos la justificación y el compromiso de la dependencia.`;
  const deadlineText = `Plazo para responder: ${windowText}, hasta el ${deadline}.`;
  const attachment = `Se adjunta la Matriz de metas rezagadas del trimestre (${input.matrixFileName})${input.includesCumulative ? ', que en el tercer trimestre incluye además el comportamiento acumulado de las metas rezagadas en la vigencia' : ''}.`;
  const consequence = `Si no se recibe respuesta dentro del plazo, se dejará constancia por correo electrónico de que no se realizaron ajustes a las metas (constancia de negativa de ajustes), según el procedimiento ${PROCEDURE_CODE}.`;
  const personal = 'El enlace es personal: no lo reenvíe.';

  const columns: Column<AlertGoal>[] = [
    { header: 'Código', rowHeader: true, value: (g) => g.goalCode },
    { header: 'Meta de producto', value: (g) => (g.unit ? html`${g.name}<br><span style="color:${COLORS.muted};font-size:13px;">Unidad: ${g.unit}</span>` : g.name) },
    { header: 'Estado', value: (g) => html`<strong>${statusLabel(g.status)}</strong>` },
    { header: 'Programado en la vigencia', numeric: true, value: (g) => formatNumber(g.measurement?.annualTarget) },
    { header: `Esperado a ${q}`, numeric: true, value: (g) => formatNumber(g.measurement?.expectedToDate) },
    { header: `Ejecutado a ${q}`, numeric: true, value: (g) => formatNumber(g.measurement?.executedToDate) },
    { header: 'Avance frente a lo esperado', numeric: true, value: (g) => formatPercent(g.measurement?.progressPercent) },
  ];

  const body = html`${p(greeting(input))}
${p(intro)}
${p(summary)}
${table(`Metas de producto para revisión — ${reviewTitle(input)}`, columns, goals)}
${p(ask)}
${notice(html`<strong>${deadlineText}</strong>`)}
${button(url, 'Responder el reporte de alerta')}
${p(html`${personal} ${attachment}`)}
${p(consequence)}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    summary,
    '',
    ...goals.map((g) =>
      [
        `- ${g.goalCode} · ${g.name}${g.unit ? ` (unidad: ${g.unit})` : ''}`,
        `  Estado: ${statusLabel(g.status)}. Programado en la vigencia: ${formatNumber(g.measurement?.annualTarget)}. Esperado a ${q}: ${formatNumber(g.measurement?.expectedToDate)}. Ejecutado a ${q}: ${formatNumber(g.measurement?.executedToDate)}. Avance frente a lo esperado: ${formatPercent(g.measurement?.progressPercent)}.`,
      ].join('\n'),
    ),
    '',
    ask,
    '',
    deadlineText,
    '',
    `Responda en su formulario personal: ${url}`,
    personal,
    '',
    attachment,
    '',
    consequence,
  ]);
  return { subject, html: layout(input, title, body), text };
}

/** A reminder while the department has not answered. */
export function reminder(input: ReminderInput): RenderedMail {
  const deadline = formatFullDateTime(input.deadline, input.timeZone);
  const url = checkedUrl(input.responseUrl);
  const left =
    input.businessDaysLeft <= 0 ? 'Hoy vence el plazo' : `${input.businessDaysLeft === 1 ? 'Queda' : 'Quedan'} ${businessDaysText(input.businessDaysLeft)}`;
  const label = input.reminderNumber && input.reminderNumber > 1 ? `Recordatorio n.º ${input.reminderNumber}` : 'Recordatorio';
  const title = `${label}: ${left.toLowerCase()} para responder el reporte de alerta trimestral`;
  const subject = subjectOf(input, `${label}: ${left.toLowerCase()} para responder`);
  const intro = `Le recordamos que el ${formatDate(input.alertedAt, input.timeZone)} se remitió a ${theDepartment(input)} el reporte de alerta trimestral de metas de producto de la ${reviewTitle(input)} y que aún no hemos recibido su respuesta.`;
  const deadlineText = `${left}: el plazo vence el ${deadline}.`;
  const pending = `${input.pendingGoals.length === 1 ? 'Meta pendiente' : 'Metas pendientes'} de respuesta (${input.pendingGoals.length}):`;
  const consequence = `Si no se recibe respuesta dentro del plazo, se dejará constancia por correo electrónico de que no se realizaron ajustes a las metas, según el procedimiento ${PROCEDURE_CODE}.`;

  const body = html`${p(greeting(input))}
${p(intro)}
${notice(html`<strong>${deadlineText}</strong>`)}
${p(pending)}
<ul style="margin:0 0 12px 0;padding-left:20px;">${input.pendingGoals.map((g) => html`<li><strong>${g.goalCode}</strong> · ${g.name}</li>`)}</ul>
${button(url, 'Responder el reporte de alerta')}
${p(consequence)}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    deadlineText,
    '',
    pending,
    ...input.pendingGoals.map((g) => `- ${g.goalCode} · ${g.name}`),
    '',
    `Responda en su formulario personal: ${url}`,
    '',
    consequence,
  ]);
  return { subject, html: layout(input, title, body), text };
}

const actionLabel = (answer: GoalAnswer) => (answer.action === 'reprogram' ? 'Reprogramar la meta' : 'Mantener la programación');

/** Acknowledges the liaison's answer: what was submitted per goal and where the review stands. */
export function responseReceipt(input: ResponseReceiptInput): RenderedMail {
  const url = checkedUrl(input.reviewUrl);
  const state = goalStateLabels[input.reviewStatus];
  const title = `Constancia de recepción de su respuesta — ${reviewTitle(input)}`;
  const subject = subjectOf(input, input.round > 1 ? `Respuesta recibida (ronda ${input.round})` : 'Respuesta recibida');
  const intro = `Recibimos la respuesta de ${theDepartment(input)} al reporte de alerta trimestral de la ${reviewTitle(input)}, enviada por ${input.respondent.name}${input.respondent.email ? ` (${input.respondent.email})` : ''} el ${formatFullDateTime(input.receivedAt, input.timeZone)}${input.round > 1 ? `, en la ronda ${input.round} de acuerdo` : ''}.`;
  const next = 'La coordinación general del MMSE revisará la propuesta y la aprobará o le solicitará ajustes; le informaremos por este medio.';
  const stateText = `Estado actual de la revisión: ${state}.`;

  const details = (a: GoalAnswer): string[] =>
    a.action === 'reprogram'
      ? [
          `Nueva programación trimestral: ${quarters(a.newQuarterlyTargets)}`,
          futureText(a.futureAnnualTargets),
          a.councilAgreement ? `Acuerdo del Concejo: ${a.councilAgreement}` : null,
        ].filter((l): l is string => Boolean(l))
      : [];

  const columns: Column<ResponseReceiptInput['answers'][number]>[] = [
    { header: 'Código', rowHeader: true, value: (r) => r.goalCode },
    { header: 'Meta de producto', value: (r) => r.name },
    { header: 'Propuesta', value: (r) => html`<strong>${actionLabel(r.answer)}</strong>${details(r.answer).map((d) => html`<br>${d}`)}` },
    { header: 'Justificación', value: (r) => multiline(r.answer.justification) },
    { header: 'Compromiso', value: (r) => multiline(r.answer.commitment) },
  ];

  const body = html`${p(greeting(input))}
${p(intro)}
${table('Lo que usted registró para cada meta', columns, input.answers)}
${notice(html`<strong>${stateText}</strong> ${next}`)}
${button(url, 'Ver el estado de la revisión')}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    'Lo que usted registró para cada meta:',
    ...input.answers.map((r) =>
      [
        `- ${r.goalCode} · ${r.name}`,
        `  Propuesta: ${actionLabel(r.answer)}`,
        ...details(r.answer).map((d) => `  ${d}`),
        `  Justificación: ${r.answer.justification}`,
        `  Compromiso: ${r.answer.commitment}`,
      ].join('\n'),
    ),
    '',
    stateText,
    next,
    '',
    `Consulte la revisión: ${url}`,
  ]);
  return { subject, html: layout(input, title, body), text };
}

/** The coordinator asks the department to adjust its answer, with a new deadline. */
export function changesRequested(input: ChangesRequestedInput): RenderedMail {
  const url = checkedUrl(input.responseUrl);
  const deadline = formatFullDateTime(input.newDeadline, input.timeZone);
  const title = `Solicitud de ajustes a su respuesta — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Solicitud de ajustes a su respuesta');
  const intro = `La coordinación general del MMSE revisó la respuesta de ${theDepartment(input)} al reporte de alerta trimestral de la ${reviewTitle(input)} y, el ${formatFullDateTime(input.requestedAt, input.timeZone)}, solicitó los siguientes ajustes para llegar a un común acuerdo sobre la reprogramación de las metas:`;
  const by = `Observación de ${input.coordinatorName}:`;
  const deadlineText = `Nuevo plazo para responder${input.responseWindow ? ` (${describeResponseWindow(input.responseWindow)})` : ''}: hasta el ${deadline}.`;
  const how = `Ingrese al formulario, ajuste su propuesta y envíela de nuevo (ronda ${input.round}). Si no se recibe respuesta dentro del plazo, se dejará constancia de que no se realizaron ajustes a las metas, según el procedimiento ${PROCEDURE_CODE}.`;

  const body = html`${p(greeting(input))}
${p(intro)}
${p(html`<strong>${by}</strong>`)}
${quote(input.comment)}
${notice(html`<strong>${deadlineText}</strong>`)}
${p(how)}
${button(url, 'Ajustar la respuesta')}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    by,
    ...quotedLines(input.comment),
    '',
    deadlineText,
    '',
    how,
    '',
    `Ajuste su respuesta en: ${url}`,
  ]);
  return { subject, html: layout(input, title, body), text };
}

/** The review was withdrawn: the department no longer has to answer, and nothing was applied. */
export function reviewCancelled(input: ReviewCancelledInput): RenderedMail {
  const title = `Revisión cancelada — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Revisión cancelada');
  const intro = `El ${formatFullDateTime(input.cancelledAt, input.timeZone)}, ${input.cancelledBy} canceló la revisión de ${theDepartment(input)} correspondiente a la ${reviewTitle(input)}. Ya no es necesario responder el reporte de alerta y no se aplicó ningún cambio a la programación de las metas.`;
  const reasonTitle = 'Motivo de la cancelación:';
  const body = html`${p(greeting(input))}
${p(intro)}
${p(html`<strong>${reasonTitle}</strong>`)}
${quote(input.reason)}`;
  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    reasonTitle,
    ...quotedLines(input.reason),
  ]);
  return { subject, html: layout(input, title, body), text };
}

/** PE-P-008 task 3, no answer: the constancia de negativa de ajustes, to the department and the coordinator. */
export function noAdjustmentRecord(input: NoAdjustmentRecordInput): RenderedMail {
  const tz = input.timeZone;
  const title = `Constancia de negativa de ajustes — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Constancia de negativa de ajustes');
  const reminderDates = input.remindersSentAt.map((r) => `el ${formatFullDateTime(r, tz)}`);
  const reminders =
    reminderDates.length === 0
      ? 'no se enviaron recordatorios'
      : reminderDates.length === 1
        ? `se envió 1 recordatorio, ${reminderDates[0]}`
        : `se enviaron ${reminderDates.length} recordatorios: ${reminderDates.join('; ')}`;
  const statement = `Por medio de la presente se deja constancia de que el ${formatFullDateTime(input.alertedAt, tz)} se remitió a ${theDepartment(input)} (${input.department.code}) el reporte de alerta trimestral de metas de producto de la ${reviewTitle(input)}, con plazo de respuesta hasta el ${formatFullDateTime(input.deadline, tz)}; ${reminders}. Vencido el plazo sin que se recibiera respuesta de la dependencia, no se realizaron ajustes ni reprogramaciones a las metas relacionadas a continuación, cuya programación vigente se mantiene.`;
  const close = `Con esta constancia finaliza, para este trimestre, la tarea 3 del procedimiento ${PROCEDURE_CODE}. Referencia: ${input.reference}. Registrada el ${formatFullDateTime(input.recordedAt, tz)}.`;
  const attachment = `Se adjunta la constancia en PDF (${input.pdfFileName}).`;

  const columns: Column<NoAdjustmentRecordInput['goals'][number]>[] = [
    { header: 'Código', rowHeader: true, value: (g) => g.goalCode },
    { header: 'Meta de producto', value: (g) => g.name },
    { header: 'Estado en el trimestre', value: (g) => statusLabel(g.status) },
  ];
  const dates: [string, string][] = [
    ['Envío del reporte de alerta', formatFullDateTime(input.alertedAt, tz)],
    ...input.remindersSentAt.map((r, i): [string, string] => [`Recordatorio ${i + 1}`, formatFullDateTime(r, tz)]),
    ['Vencimiento del plazo', formatFullDateTime(input.deadline, tz)],
    ['Registro de la constancia', formatFullDateTime(input.recordedAt, tz)],
  ];

  const body = html`${p(greeting(input))}
${p(html`<strong>${statement}</strong>`)}
${table('Fechas que sustentan la constancia', [
  { header: 'Actuación', rowHeader: true, value: (d: [string, string]) => d[0] },
  { header: 'Fecha y hora', value: (d: [string, string]) => d[1] },
], dates)}
${table('Metas sin ajuste', columns, input.goals)}
${p(close)}
${p(attachment)}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    statement,
    '',
    'Fechas que sustentan la constancia:',
    ...dates.map(([what, when]) => `- ${what}: ${when}`),
    '',
    'Metas sin ajuste:',
    ...input.goals.map((g) => `- ${g.goalCode} · ${g.name} (${statusLabel(g.status)})`),
    '',
    close,
    attachment,
  ]);
  return { subject, html: layout(input, title, body), text };
}

/** PE-P-008 task 5: the agreed reprogramming, applied as a new version of the plan. */
export function reprogrammingApproved(input: ReprogrammingApprovedInput): RenderedMail {
  const url = checkedUrl(input.reviewUrl);
  const kept = input.kept ?? [];
  const title = `Reprogramación de metas aprobada — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Reprogramación de metas aprobada');
  const intro = `En común acuerdo con ${theDepartment(input)}, ${input.approvedBy} aprobó el ${formatFullDateTime(input.approvedAt, input.timeZone)} el ajuste de las metas de producto de la ${reviewTitle(input)}. Referencia: ${input.reference}.`;
  const versions = 'La nueva programación quedó registrada como una nueva versión del Plan de Acción (PE_F_012); la versión anterior se conserva en el historial.';
  const counts = `Metas reprogramadas: ${input.reprogrammed.length}. Metas que mantienen su programación con compromiso: ${kept.length}.`;
  const council = input.reprogrammed.filter((g) => g.altersTermTarget);
  const councilText = council.length
    ? `Atención: ${council.length === 1 ? 'la reprogramación de la meta' : 'la reprogramación de las metas'} ${council.map((g) => `${g.goalCode}${g.councilAgreement ? ` (acuerdo registrado: ${g.councilAgreement})` : ' (sin Acuerdo del Concejo registrado)'}`).join(', ')} modifica la meta cuatrienio, lo que requiere Acuerdo del Concejo Municipal.`
    : null;
  const attachment = `Se adjunta el documento con la justificación de las metas y el compromiso de la dependencia (${input.documentFileName}).`;

  const columns: Column<ReprogrammedGoal>[] = [
    { header: 'Código', rowHeader: true, value: (g) => g.goalCode },
    { header: 'Meta de producto', value: (g) => (g.unit ? html`${g.name}<br><span style="color:${COLORS.muted};font-size:13px;">Unidad: ${g.unit}</span>` : g.name) },
    { header: 'Programación anterior', value: (g) => programmingText(g.before) },
    {
      header: 'Nueva programación',
      value: (g) => html`<strong>${programmingText(g.after)}</strong>${futureText(g.after.futureAnnualTargets) ? html`<br>${futureText(g.after.futureAnnualTargets)}` : ''}`,
    },
    { header: 'Justificación', value: (g) => multiline(g.justification) },
    { header: 'Compromiso', value: (g) => multiline(g.commitment) },
  ];
  const keptColumns: Column<NonNullable<ReprogrammingApprovedInput['kept']>[number]>[] = [
    { header: 'Código', rowHeader: true, value: (g) => g.goalCode },
    { header: 'Meta de producto', value: (g) => g.name },
    { header: 'Justificación', value: (g) => multiline(g.justification) },
    { header: 'Compromiso', value: (g) => multiline(g.commitment) },
  ];

  const body = html`${p(greeting(input))}
${p(intro)}
${p(counts)}
${input.reprogrammed.length ? table('Metas reprogramadas', columns, input.reprogrammed) : ''}
${kept.length ? table('Metas que mantienen su programación', keptColumns, kept) : ''}
${councilText ? notice(councilText) : ''}
${p(versions)}
${p(attachment)}
${button(url, 'Ver la revisión')}`;

  const text = textLayout(input, title, [
    greeting(input),
    '',
    intro,
    '',
    counts,
    '',
    input.reprogrammed.length > 0 && 'Metas reprogramadas:',
    ...input.reprogrammed.map((g) =>
      [
        `- ${g.goalCode} · ${g.name}${g.unit ? ` (unidad: ${g.unit})` : ''}`,
        `  Programación anterior: ${programmingText(g.before)}`,
        `  Nueva programación: ${programmingText(g.after)}`,
        futureText(g.after.futureAnnualTargets) && `  ${futureText(g.after.futureAnnualTargets)}`,
        `  Justificación: ${g.justification}`,
        `  Compromiso: ${g.commitment}`,
      ]
        .filter(Boolean)
        .join('\n'),
    ),
    kept.length > 0 && '',
    kept.length > 0 && 'Metas que mantienen su programación:',
    ...kept.map((g) => [`- ${g.goalCode} · ${g.name}`, `  Justificación: ${g.justification}`, `  Compromiso: ${g.commitment}`].join('\n')),
    '',
    councilText,
    versions,
    attachment,
    '',
    `Consulte la revisión: ${url}`,
  ]);
  return { subject, html: layout(input, title, body), text };
}
