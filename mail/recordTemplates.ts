import { formatFullDateTime } from '../domain/format';
import { checkedUrl, html, multiline } from './html';
import { COLORS, type Column, button, futureText, greeting, layout, notice, p, programmingText, reviewTitle, statusLabel, subjectOf, table, textLayout, theDepartment } from './layout';
import { type NoAdjustmentRecordInput, PROCEDURE_CODE, type RenderedMail, type ReprogrammedGoal, type ReprogrammingApprovedInput } from './templateInputs';

/** The e-mails that carry a review's records: the constancia de negativa de ajustes and the agreement. */

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
  const actionPlanUrl = input.actionPlan ? checkedUrl(input.actionPlan.url) : null;
  const versions = input.actionPlan
    ? `La nueva programación quedó registrada como la versión ${input.actionPlan.version} del Plan de Acción (PE_F_012) de la vigencia ${input.actionPlan.fiscalYear}, que puede descargar en ${actionPlanUrl}; la versión anterior se conserva en el historial.`
    : 'La nueva programación quedó registrada como una nueva versión del Plan de Acción (PE_F_012); la versión anterior se conserva en el historial.';
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
${button(url, 'Ver la revisión')}
${actionPlanUrl && input.actionPlan ? button(actionPlanUrl, `Descargar el Plan de Acción ${input.actionPlan.fiscalYear} (versión ${input.actionPlan.version})`) : ''}`;

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
