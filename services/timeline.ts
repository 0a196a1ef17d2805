import { DEFAULT_TIME_ZONE, formatDateTime } from '../domain/format';

/**
 * A review's story in domain words, read from its real Temporal history (proto3 JSON, as
 * `historyToJSON` and the Temporal UI download it). Every entry names the event it comes from.
 */
export type TimelineKind =
  | 'reviewStarted'
  | 'alertSent'
  | 'responseWindowOpened'
  | 'reminderSent'
  | 'responseReceived'
  | 'changesRequested'
  | 'approved'
  | 'deadlineExtended'
  | 'alertResent'
  | 'noteAdded'
  | 'noAdjustmentRecorded'
  | 'reprogrammingApplied'
  | 'commitmentRecorded'
  | 'reviewCancelled'
  | 'reviewCompleted';

export interface TimelineEntry {
  eventId: number;
  time: string;
  kind: TimelineKind;
  label: string;
  actor: string | null;
  detail: string | null;
}

interface HistoryEventJson {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

const labels: Record<TimelineKind, string> = {
  reviewStarted: 'Revisión iniciada',
  alertSent: 'Alerta enviada',
  responseWindowOpened: 'Plazo de respuesta abierto',
  reminderSent: 'Recordatorio enviado',
  responseReceived: 'Respuesta recibida',
  changesRequested: 'Cambios solicitados',
  approved: 'Aprobada',
  deadlineExtended: 'Plazo ampliado',
  alertResent: 'Alerta reenviada',
  noteAdded: 'Nota de la coordinación',
  noAdjustmentRecorded: 'Constancia de negativa de ajustes registrada',
  reprogrammingApplied: 'Reprogramación aplicada (nueva versión del plan)',
  commitmentRecorded: 'Justificación y compromiso registrados',
  reviewCancelled: 'Revisión cancelada',
  reviewCompleted: 'Revisión terminada',
};

const activityKinds: Record<string, TimelineKind> = {
  sendAlert: 'alertSent',
  openResponseWindow: 'responseWindowOpened',
  sendReminder: 'reminderSent',
  resendAlert: 'alertResent',
  recordNoAdjustment: 'noAdjustmentRecorded',
  applyReprogramming: 'reprogrammingApplied',
  recordCommitment: 'commitmentRecorded',
  // The same steps under the names departmentReviewV2 gives them.
  recordAlert: 'alertSent',
  sendAlertEmail: 'responseWindowOpened',
  sendReminderEmail: 'reminderSent',
  resendAlertEmail: 'alertResent',
};

/** The first JSON payload of a Payloads message (our data converter writes json/plain). */
function firstPayload(payloads: unknown): Record<string, unknown> | null {
  const data = (payloads as { payloads?: { data?: string }[] } | undefined)?.payloads?.[0]?.data;
  if (!data) return null;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** How a review ended, as the timeline's detail says it. */
const outcomeWords: Record<string, string> = {
  noAdjustment: 'Negativa registrada (constancia)',
  reprogrammed: 'Reprogramada',
  keptWithCommitment: 'Se mantiene con compromiso',
  cancelled: 'Cancelada',
  dataError: 'Error de datos',
  failed: 'Falló',
};

/** A deadline as people read it (the office's time zone), never the ISO string the history holds. */
const deadlineWords = (iso: string, timeZone: string) => (Number.isNaN(Date.parse(iso)) ? iso : formatDateTime(iso, timeZone));

/** `timeZone`: the office's, for the deadlines in words. */
export function reviewTimeline(history: { events?: HistoryEventJson[] }, timeZone = DEFAULT_TIME_ZONE): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const scheduled = new Map<string, string>();
  const add = (event: HistoryEventJson, kind: TimelineKind, actor: string | null = null, detail: string | null = null) =>
    entries.push({ eventId: Number(event.eventId), time: event.eventTime, kind, label: labels[kind], actor, detail });

  for (const event of history.events ?? []) {
    switch (event.eventType) {
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED':
        add(event, 'reviewStarted', 'sistema');
        break;
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED': {
        const attributes = event.activityTaskScheduledEventAttributes as { activityType?: { name?: string }; input?: unknown } | undefined;
        scheduled.set(String(event.eventId), attributes?.activityType?.name ?? '');
        const kind = activityKinds[attributes?.activityType?.name ?? ''];
        if (!kind) break;
        const input = firstPayload(attributes?.input);
        const detail = kind === 'responseWindowOpened' || kind === 'reminderSent' ? text(input?.deadline) : null;
        add(event, kind, text(input?.approvedBy) ?? text(input?.coordinator) ?? 'sistema', detail && `plazo: ${deadlineWords(detail, timeZone)}`);
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED': {
        // The alert whose deadline counts from its delivery: the window opens when the e-mail is delivered.
        const attributes = event.activityTaskCompletedEventAttributes as { scheduledEventId?: string | number; result?: unknown } | undefined;
        if (scheduled.get(String(attributes?.scheduledEventId)) !== 'deliverAlertEmail') break;
        const deadline = text(firstPayload(attributes?.result)?.deadline);
        add(event, 'responseWindowOpened', 'sistema', deadline && `alerta entregada; plazo: ${deadlineWords(deadline, timeZone)}`);
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const request = (event.workflowExecutionUpdateAcceptedEventAttributes as { acceptedRequest?: { input?: { name?: string; args?: unknown } } })
          ?.acceptedRequest?.input;
        const args = firstPayload(request?.args);
        if (request?.name === 'submitResponse') {
          add(event, 'responseReceived', text((args?.respondent as { name?: string } | undefined)?.name));
        } else if (request?.name === 'decide') {
          add(event, args?.decision === 'approve' ? 'approved' : 'changesRequested', text(args?.coordinator), text(args?.comment));
        } else if (request?.name === 'extendDeadline') {
          add(event, 'deadlineExtended', text(args?.coordinator), text(args?.reason));
        } else if (request?.name === 'addNote') {
          add(event, 'noteAdded', text(args?.coordinator), text(args?.text));
        } else if (request?.name === 'cancelReview') {
          add(event, 'reviewCancelled', text(args?.cancelledBy), text(args?.reason));
        }
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED': {
        const result = (event.workflowExecutionCompletedEventAttributes as { result?: { payloads?: { data?: string }[] } } | undefined)?.result;
        const data = result?.payloads?.[0]?.data;
        const outcome: unknown = data ? JSON.parse(Buffer.from(data, 'base64').toString('utf8')) : null;
        add(event, 'reviewCompleted', 'sistema', typeof outcome === 'string' ? (outcomeWords[outcome] ?? outcome) : null);
        break;
      }
      default:
        break;
    }
  }
  return entries;
}
