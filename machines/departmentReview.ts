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
 * The review machine's state as shown (ReviewView.state), in the goal-state words pages, the
 * database and the ReviewStatus search attribute already use: the passing states (recording the
 * alert, applying a decision) show as the state they belong to.
 */
export function shownReviewState(state: ReviewState): GoalState {
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

/** The actions a caller (form, API, CLI) may take, each probed with the event it would send. */
const actionProbes = {
  submitResponse: { type: 'response.submitted', respondent: { name: '' }, answers: [] },
  decide: { type: 'decision.made', decision: { decision: 'approve', coordinator: '' } },
  extendDeadline: { type: 'deadline.extended', deadline: '', reason: '' },
  resendAlert: { type: 'alert.resent', coordinator: '' },
  addNote: { type: 'note.added', coordinator: '', text: '', at: '' },
  cancelReview: { type: 'review.cancelled', reason: '', by: '', at: '' },
} as const satisfies Record<string, DepartmentReviewEvent>;
export type ReviewActionName = keyof typeof actionProbes;

/** The allowed actions are the events the machine accepts now (`snapshot.can`). */
export function allowedReviewActions(snapshot: ReviewSnapshot): ReviewActionName[] {
  return (Object.keys(actionProbes) as ReviewActionName[]).filter((action) => snapshot.can(actionProbes[action]));
}

/**
 * The allowed actions in a recorded state (read models keep the state, not the snapshot). A
 * status the review machine does not name (a goal's classification before the alert, or an older
 * review's `responseReceived`) counts as a running review that is not waiting for anyone.
 */
export function allowedReviewActionsIn(state: string): ReviewActionName[] {
  const value = (reviewStates as string[]).includes(state) ? state : 'alerting';
  const [initial] = initialTransition(departmentReviewMachine, { goals: [] });
  return allowedReviewActions(departmentReviewMachine.resolveState({ value, context: initial.context }));
}
