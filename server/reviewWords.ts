import type { GoalState } from '../machines/goalStatus';

/**
 * A department review's state as the planning office says it. "Cambios solicitados" is the machine's
 * awaitingResponse after the coordinator asked for changes.
 */
const reviewStateWords: Partial<Record<GoalState, string>> = {
  alerted: 'Alertada',
  awaitingResponse: 'Esperando respuesta',
  responseReceived: 'Respondida',
  underAgreement: 'En acuerdo',
  reprogrammed: 'Reprogramada',
  keptWithCommitment: 'Acordada: se mantiene con compromiso',
  noAdjustment: 'Negativa registrada',
  cancelled: 'Cancelada',
  dataError: 'Error de datos',
};
/** Outcomes that are no machine state: a review that failed or was terminated outside the product. */
const outcomeWords: Record<string, string> = { failed: 'Falló (ver el historial del flujo)' };

export function reviewStateLabel(state: string, changeRequests = 0): string {
  if (state === 'awaitingResponse' && changeRequests > 0) return 'Cambios solicitados';
  return reviewStateWords[state as GoalState] ?? outcomeWords[state] ?? state;
}

/** "Quedan 3 días y 4 horas" — or that the deadline passed and the constancia is being recorded. */
export function timeLeft(deadline: string | null, now: Date): string | null {
  if (!deadline) return null;
  const ms = Date.parse(deadline) - now.getTime();
  if (ms <= 0) return 'Plazo vencido: se registra la constancia';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (days > 0) return `Quedan ${plural(days, 'día', 'días')} y ${plural(hours, 'hora', 'horas')}`;
  if (hours > 0) return `Quedan ${plural(hours, 'hora', 'horas')} y ${plural(minutes % 60, 'minuto', 'minutos')}`;
  return minutes > 0 ? `Quedan ${plural(minutes, 'minuto', 'minutos')}` : 'Queda menos de un minuto';
}
