import type { GoalAnswer } from '../domain/review';
import { byAlertPriority } from '../domain/goalPriority';
import { describeResponseWindow } from '../domain/responseWindow';
import { goalStateLabels } from '../machines/goalStatus';
import { businessDaysText, formatDate, formatFullDateTime, formatNumber, formatPercent } from '../domain/format';
import { checkedUrl, html, multiline } from './html';
import { COLORS, type Column, button, futureText, greeting, layout, notice, p, quarters, quote, quotedLines, reviewTitle, statusLabel, subjectOf, table, textLayout, theDepartment } from './layout';
import { type AlertGoal, type ChangesRequestedInput, PROCEDURE_CODE, PROCEDURE_NAME, type QuarterlyAlertInput, type ReminderInput, type RenderedMail, type ResponseReceiptInput, type ReviewCancelledInput } from './templateInputs';

/**
 * The e-mails of PE-P-008, as pure functions: typed input in, { subject, html, text } out. Every
 * value is escaped in the HTML (see ./html), every date is printed in the office's time zone and
 * every message has a plain-text version with the same content and the full links.
 */

export * from './templateInputs';
export * from './recordTemplates';

function alertSummary(total: number, lagging: number, overachieved: number, noReport = 0): string {
  const head = total === 1 ? 'Se identificó 1 meta de producto que requiere revisión' : `Se identificaron ${total} metas de producto que requieren revisión`;
  const parts = [
    lagging === 1 ? '1 rezagada (atrasada o no iniciada), que se prioriza' : lagging > 1 ? `${lagging} rezagadas (atrasadas o no iniciadas), que se priorizan` : null,
    overachieved === 1
      ? '1 sobrecumplida, cuya programación puede requerir ajuste'
      : overachieved > 1
        ? `${overachieved} sobrecumplidas, cuya programación puede requerir ajuste`
        : null,
    noReport === 1
      ? '1 sin reporte del trimestre: tenía programación y no se reportó su avance'
      : noReport > 1
        ? `${noReport} sin reporte del trimestre: tenían programación y no se reportó su avance`
        : null,
  ].filter((part): part is string => part !== null);
  const others = total - lagging - overachieved - noReport;
  if (others > 0) parts.push(others === 1 ? '1 en otro estado' : `${others} en otros estados`);
  if (!parts.length) return `${head}.`;
  return `${head}: ${parts.join('; ')}.`;
}

/** PE-P-008 task 3: the quarterly alert report to a department, lagging goals first. */
export function quarterlyAlert(input: QuarterlyAlertInput): RenderedMail {
  const goals = [...input.goals].sort(byAlertPriority);
  const lagging = goals.filter((g) => g.status === 'notStarted' || g.status === 'behind').length;
  const overachieved = goals.filter((g) => g.status === 'overachieved').length;
  const noReport = goals.filter((g) => g.status === 'noReport').length;
  const windowText = describeResponseWindow(input.responseWindow);
  const deadline = formatFullDateTime(input.deadline, input.timeZone);
  const url = checkedUrl(input.responseUrl);
  const title = `Reporte de alerta trimestral de metas de producto — ${reviewTitle(input)}`;
  const subject = subjectOf(input, 'Reporte de alerta trimestral de metas de producto');
  const q = `T${input.quarter}`;
  const intro = `En cumplimiento del procedimiento ${PROCEDURE_CODE} (${PROCEDURE_NAME}), le remitimos el reporte de alerta trimestral de las metas de producto a cargo de ${theDepartment(input)} para la ${reviewTitle(input)}.`;
  const summary = alertSummary(goals.length, lagging, overachieved, noReport);
  const ask = `Le solicitamos revisar cada meta y, a través del formulario, proponer su reprogramación o mantener la programación vigente, indicando en ambos casos la justificación y el compromiso de la dependencia.`;
  const deadlineText = input.countsFromReceipt
    ? `Plazo para responder: tiene ${windowText} desde la recepción de esta alerta, hasta el ${deadline}.`
    : `Plazo para responder: ${windowText}, hasta el ${deadline}.`;
  const cumulative = input.cumulativeMatrixFileName
    ? ` Como consolidación del tercer trimestre se adjunta también la Matriz de metas rezagadas acumuladas de la vigencia (${input.cumulativeMatrixFileName}), con el estado que registró cada trimestre; en el formulario indique un compromiso para cada meta que estuvo rezagada en algún trimestre, aunque no esté en alerta en este.`
    : '';
  const attachment = `Se adjunta la Matriz de metas rezagadas del trimestre (${input.matrixFileName})${input.includesCumulative ? ', que en el tercer trimestre incluye además el comportamiento acumulado de las metas rezagadas en la vigencia' : ''}.${cumulative}`;
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
    { header: 'Avance de la vigencia', numeric: true, value: (g) => formatPercent(g.measurement?.annualPercent) },
    { header: 'Avance del cuatrienio', numeric: true, value: (g) => formatPercent(g.measurement?.termPercent) },
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
        `  Estado: ${statusLabel(g.status)}. Programado en la vigencia: ${formatNumber(g.measurement?.annualTarget)}. Esperado a ${q}: ${formatNumber(g.measurement?.expectedToDate)}. Ejecutado a ${q}: ${formatNumber(g.measurement?.executedToDate)}. Avance frente a lo esperado: ${formatPercent(g.measurement?.progressPercent)}. Avance de la vigencia: ${formatPercent(g.measurement?.annualPercent)}. Avance del cuatrienio: ${formatPercent(g.measurement?.termPercent)}.`,
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
  const state = goalStateLabels[input.reviewState];
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
