import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import type { GoalState } from './goalStatus';
import {
  departmentReviewMachine,
  type DepartmentReviewEvent,
  type ReviewMachineInput,
  type ReviewEffectParams,
  type ReviewState,
} from './departmentReviewMachine';

export type { ReviewState } from './departmentReviewMachine';
export type ReviewSnapshot = SnapshotFrom<typeof departmentReviewMachine>;

/** The effects the review machine names, in the order a review may need them. */
export const reviewEffectNames = [
  'recordAlert',
  'sendAlertEmail',
  'sendReminderEmail',
  'resendAlertEmail',
  'sendResponseReceipt',
  'recordDecision',
  'sendChangesRequested',
  'recordNoAdjustment',
  'applyReprogramming',
  'recordCommitment',
  'recordNote',
  'recordCancellation',
  'recordDataError',
] as const satisfies readonly (keyof ReviewEffectParams)[];
export type ReviewEffectName = keyof ReviewEffectParams;
export type ReviewEffect = { [K in ReviewEffectName]: { type: K; params: ReviewEffectParams[K] } }[ReviewEffectName];

export interface ReviewStep {
  snapshot: ReviewSnapshot;
  effects: ReviewEffect[];
  /** False when the event is not allowed in the current state (the snapshot is then unchanged). */
  accepted: boolean;
}

const effectsOf = (actions: readonly { type: string; params?: unknown }[]): ReviewEffect[] =>
  actions
    .filter((a) => (reviewEffectNames as readonly string[]).includes(a.type))
    .map((a) => ({ type: a.type, params: a.params ?? {} }) as ReviewEffect);

export function startReview(input: ReviewMachineInput): ReviewStep {
  const [snapshot, actions] = initialTransition(departmentReviewMachine, input);
  return { snapshot, effects: effectsOf(actions), accepted: true };
}

export function advanceReview(snapshot: ReviewSnapshot, event: DepartmentReviewEvent): ReviewStep {
  if (!snapshot.can(event)) return { snapshot, effects: [], accepted: false };
  const [next, actions] = transition(departmentReviewMachine, snapshot, event);
  return { snapshot: next, effects: effectsOf(actions), accepted: true };
}

/** Every state of the review machine, in definition order. */
export const reviewStates = Object.keys(departmentReviewMachine.config.states ?? {}) as ReviewState[];
export const finalReviewStates = reviewStates.filter((s) => departmentReviewMachine.config.states?.[s]?.type === 'final');

export const reviewStateLabels: Record<ReviewState, string> = {
  alerting: 'Registrando la alerta',
  alerted: 'Alertada',
  awaitingResponse: 'Esperando respuesta',
  underAgreement: 'En acuerdo',
  approving: 'Aplicando la aprobación',
  requestingChanges: 'Solicitando ajustes',
  noAdjustment: 'Negativa de ajustes registrada',
  reprogrammed: 'Reprogramada',
  keptWithCommitment: 'Programación mantenida con compromiso',
  cancelled: 'Cancelada',
  dataError: 'Error de datos',
};

/**
 * The review's state in the goal-state words pages, the database and the ReviewStatus search
 * attribute already use: the passing states (recording the alert, applying a decision) show as the
 * state they belong to.
 */
export function reviewStatusOf(state: ReviewState): GoalState {
  if (state === 'alerting') return 'alerted';
  if (state === 'approving' || state === 'requestingChanges') return 'underAgreement';
  return state;
}

export type ReviewOutcome = 'noAdjustment' | 'reprogrammed' | 'keptWithCommitment' | 'cancelled' | 'dataError';

/** The outcome is the final state reached; null while the review runs. */
export function reviewOutcome(snapshot: ReviewSnapshot): ReviewOutcome | null {
  return snapshot.status === 'done' ? (snapshot.value as ReviewOutcome) : null;
}

export const reviewStateOf = (snapshot: ReviewSnapshot) => snapshot.value as ReviewState;
