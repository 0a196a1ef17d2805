import { goalStatusLabels, type GoalStatus, type Quarter } from '../domain/goals';
import { DEFAULT_TIME_ZONE, formatDateTime, formatNumber, formatPercent, quarterTitle } from '../domain/format';
import {
  type DocumentKind,
  justificationInputSchema,
  noAdjustmentRecordInputSchema,
  PROCEDURE_CODE,
  PROCEDURE_NAME,
  type Justification,
  type JustificationInput,
  type NoAdjustmentRecord,
  type NoAdjustmentRecordInput,
  type Programming,
  type RenderPdfOptions,
  type Review,
  type ReviewedGoal,
} from './pdfInput';
import { MUTED, renderPdf, type Column, type SignatureBlock } from './pdfLayout';
import { defaultRecordFormats, type RecordHeader } from '../domain/recordFormats';
import { entityName } from '../domain/format';

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

export * from './pdfInput';



const COORDINATOR_TITLE = 'Coordinador general del MMSE';

/** The institutional header of a record from its (certified) input, with the escudo's image when given. */
function headerOf(kind: DocumentKind, data: Review, title: string, options: RenderPdfOptions): RecordHeader {
  const format = data.format ?? defaultRecordFormats[kind];
  return {
    entity: entityName(data.issuer.municipality),
    office: data.issuer.office,
    process: data.issuer.process,
    procedure: `${PROCEDURE_CODE} ${PROCEDURE_NAME}`,
    title,
    format: { key: kind, code: format.code, version: format.version, approvedOn: format.approvedOn },
    formatVersionId: data.format?.versionId ?? null,
    fiscalYear: data.fiscalYear,
    escudo: data.escudo && options.escudo ? { ...data.escudo, ...options.escudo } : null,
  };
}

/** The líder's block: named when the department has one registered. */
const leaderBlock = (department: Review['department']): SignatureBlock => ({
  role: 'Acordó',
  name: department.headName ?? 'Líder de la dependencia (sin registrar)',
  title: `${department.headTitle ?? 'Líder de la dependencia'} · ${department.name}`,
});

const statusLabel = (status: GoalStatus | null) => (status ? goalStatusLabels[status] : 'Sin clasificar');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);


const finalDeadline = (review: Review) => review.deadline.extensions.at(-1)?.deadline ?? review.deadline.initial;

function reviewFields(review: Review, when: (iso: string) => string): [string, string][] {
  const { department, alert, reminders, deadline } = review;
  const liaison = [department.liaisonName, department.liaisonEmail].filter(Boolean).join(', ');
  return [
    ...(review.recordNumber ? [['Consecutivo', review.recordNumber] as [string, string]] : []),
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

/**
 * The goal table's columns; the name takes what the others leave. With `avances` the table also
 * shows the avance de la vigencia and del cuatrienio (records without a per-goal section).
 */
const goalColumns = (last: Column, avances: boolean): Column[] => {
  const avanceColumns: Column[] = avances
    ? [
        { header: 'Avance de la vigencia', share: 0.1, align: 'right' },
        { header: 'Avance del cuatrienio', share: 0.11, align: 'right' },
      ]
    : [];
  const fixed = 0.05 + 0.115 + 0.1 + 0.1 + 0.1 + last.share + avanceColumns.reduce((sum, c) => sum + c.share, 0);
  return [
    { header: 'No.', share: 0.05, align: 'right' },
    { header: 'Código', share: 0.115 },
    { header: 'Meta de producto', share: 1 - fixed },
    { header: 'Estado', share: 0.1 },
    { header: 'Esperado al corte', share: 0.1, align: 'right' },
    { header: 'Ejecutado al corte', share: 0.1, align: 'right' },
    ...avanceColumns,
    last,
  ];
};

const goalCells = (goal: ReviewedGoal, index: number, avances: boolean) => [
  String(index + 1),
  goal.goalCode,
  goal.name,
  statusLabel(goal.status),
  formatNumber(goal.measurement?.expectedToDate ?? null),
  formatNumber(goal.measurement?.executedToDate ?? null),
  ...(avances ? [formatPercent(goal.measurement?.annualPercent), formatPercent(goal.measurement?.termPercent)] : []),
];

/** "Avance de la vigencia: 66,7 % · avance del cuatrienio: 40 %". */
const avancesText = (goal: ReviewedGoal) =>
  `Avance de la vigencia: ${formatPercent(goal.measurement?.annualPercent)} · avance del cuatrienio: ${formatPercent(goal.measurement?.termPercent)}`;

function programmingText(p: Programming | null): string {
  if (!p) return 'Sin programación registrada';
  const quarters = p.quarterlyTargets ? p.quarterlyTargets.map((v, i) => `T${i + 1}: ${formatNumber(v)}`).join(' · ') + ' · ' : '';
  return `${quarters}Anual: ${formatNumber(p.annualTarget)}`;
}

function futureYearsText(before: Programming | null, after: Programming | null): string | null {
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
      header: headerOf('noAdjustmentRecord', data, title, options),
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
        goalColumns({ header: '% frente a lo esperado', share: 0.1, align: 'right' }, true),
        data.goals.map((goal, i) => [...goalCells(goal, i, true), formatPercent(goal.measurement?.progressPercent)]),
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
      const automatic = data.issuedAutomatically ?? !data.coordinator;
      // Without a coordinator account the system itself is named, on behalf of the coordination.
      w.signatures([
        data.coordinator
          ? { role: 'Expidió', name: data.coordinator, title: data.coordinatorTitle ?? COORDINATOR_TITLE }
          : { role: 'Expidió', name: 'Sistema Metas PDM', title: 'Por la Coordinación general del MMSE' },
      ]);
      if (automatic) {
        w.paragraph(`Expedida automáticamente por el sistema Metas PDM al vencer el plazo de respuesta (${when(deadline)}), a cargo del coordinador.`, {
          size: 7.5,
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
      header: headerOf('justificationAndCommitment', data, title, options),
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
        goalColumns({ header: 'Decisión', share: 0.15 }, false),
        data.goals.map((goal, i) => [...goalCells(goal, i, false), goal.action === 'reprogram' ? 'Reprogramada' : 'Mantiene la programación']),
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
          ['Estado al corte', `${statusLabel(goal.status)}: esperado ${formatNumber(m?.expectedToDate ?? null)}, ejecutado ${formatNumber(m?.executedToDate ?? null)} (${formatPercent(m?.progressPercent)})`],
          ['Avances', avancesText(goal)],
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

      if (data.consolidationCommitments?.length) {
        w.section('Consolidación del tercer trimestre: compromisos por metas rezagadas en la vigencia');
        data.consolidationCommitments.forEach((goal, i) => {
          w.subheading(`${i + 1}. Meta ${goal.goalCode}: ${goal.name}`);
          w.fields([['Trimestres rezagada', goal.laggedQuarters]]);
          w.labeledParagraph('Compromiso', goal.commitment, 8);
        });
      }

      w.section('Acuerdo');
      const outcomes = [
        reprogrammed
          ? `${plural(reprogrammed, 'La meta reprogramada queda', `Las ${reprogrammed} metas reprogramadas quedan`)} con la nueva programación ` +
            (data.actionPlan
              ? `como la versión ${data.actionPlan.version} del Plan de Acción (PE_F_012) de la vigencia ${data.actionPlan.fiscalYear} (${data.actionPlan.url}); la versión anterior se conserva en el historial.`
              : 'como una nueva versión del Plan de Acción (PE_F_012); la versión anterior se conserva en el historial.')
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
      w.signatures([
        { role: 'Aprobó y expidió', name: approval.approvedBy, title: COORDINATOR_TITLE },
        leaderBlock(data.department),
        ...(response ? [{ role: 'Presentó', name: response.respondent.name, title: `Enlace de la dependencia · ${data.department.name}` }] : []),
      ]);
    },
    options,
  );
}
