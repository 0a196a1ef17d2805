import { cycleTitle, formatNumber } from '../../domain/format';
import { parseWorkflowId } from '../../domain/workflowIds';
import { roleLabels, type Role } from '../../auth/roles';

// The audit log in the office's words: what happened, to what, and the details that matter.

const actionWords: Record<string, string> = {
  'http.post': 'Envió un formulario o una solicitud',
  'http.put': 'Actualizó datos',
  'http.patch': 'Actualizó datos',
  'http.delete': 'Eliminó datos',
  'auth.login.succeeded': 'Inició sesión',
  'auth.login.failed': 'Intento de inicio de sesión fallido',
  'auth.login.throttled': 'Inicio de sesión demorado por intentos fallidos',
  'auth.logout': 'Cerró la sesión',
  'auth.token.created': 'Creó un token de API',
  'auth.token.revoked': 'Revocó un token de API',
  'user.created': 'Creó una cuenta',
  'user.password.changed': 'Cambió la contraseña',
  'user.personalData.exported': 'Exportó los datos personales',
  'user.personalData.removed': 'Eliminó los datos personales',
  'cycle.started': 'Inició el ciclo',
  'cycle.completed': 'Terminó el ciclo',
  'alert.sent': 'Envió el reporte de alerta',
  'alert.resent': 'Reenvió el reporte de alerta',
  'reminder.sent': 'Envió un recordatorio',
  'response.approved': 'Aprobó la respuesta',
  'changes.requested': 'Solicitó cambios',
  'review.note': 'Agregó una nota',
  'review.cancelled': 'Canceló la revisión',
  'review.dataError': 'Error en los datos de la dependencia',
  'review.completed': 'Terminó la revisión',
  'noAdjustment.recorded': 'Registró la constancia de negativa de ajustes',
  'reprogramming.applied': 'Aplicó la reprogramación (nueva versión del plan)',
  'mail.rejected': 'El servidor de correo rechazó un mensaje',
  'plan.thresholds.changed': 'Cambió los umbrales de clasificación',
  'department.created': 'Creó una dependencia',
  'department.updated': 'Actualizó una dependencia',
  'demo.loaded': 'Cargó los datos de demostración',
};

const outcomeWords: Record<string, string> = {
  noAdjustment: 'negativa registrada',
  reprogrammed: 'reprogramada',
  keptWithCommitment: 'se mantiene con compromiso',
  cancelled: 'cancelada',
  dataError: 'error de datos',
  failed: 'falló',
};

/** The action in words; an unknown one as recorded. */
export const auditActionWords = (action: string): string => actionWords[action] ?? action;

/** A subject in words: a review or cycle by its title, an account by its name, a department by its code. */
export function auditSubjectWords(subject: string, nameOf: (actor: string) => string): string {
  const workflow = parseWorkflowId(subject);
  if (workflow) {
    const title = cycleTitle(workflow.fiscalYear, workflow.quarter);
    return workflow.departmentCode ? `${title}, dependencia ${workflow.departmentCode}` : title;
  }
  if (/^user:\d+$/.test(subject)) return `Cuenta de ${nameOf(subject)}`;
  const department = /^department:(.+)$/.exec(subject);
  if (department) return `Dependencia ${department[1]}`;
  return subject;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** The few details people read at a glance ("Estado HTTP 303 · Rol: Operador…"); the rest stays in the full record. */
export function auditDetailSummary(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const d = details as Record<string, unknown>;
  const parts: (string | null)[] = [
    typeof d.role === 'string' ? `Rol: ${roleLabels[d.role as Role] ?? d.role}` : null,
    typeof d.status === 'number' ? `respuesta ${d.status}${d.status >= 400 ? ' (rechazada)' : ''}` : null,
    typeof d.fiscalYear === 'number' && typeof d.quarter === 'number' ? cycleTitle(d.fiscalYear, d.quarter) : null,
    typeof d.outcome === 'string' ? `resultado: ${outcomeWords[d.outcome] ?? d.outcome}` : null,
    Array.isArray(d.goals) ? `${formatNumber(d.goals.length)} ${d.goals.length === 1 ? 'meta' : 'metas'}` : null,
    text(d.reason) ? `motivo: ${text(d.reason)}` : null,
    text(d.comment) ? `comentario: ${text(d.comment)}` : null,
    text(d.text) ? `nota: ${text(d.text)}` : null,
    text(d.name) ? `nombre: ${text(d.name)}` : null,
  ];
  return parts
    .filter((p): p is string => p !== null)
    .join(' · ')
    .slice(0, 300);
}
