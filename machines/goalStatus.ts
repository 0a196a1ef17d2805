import { initialTransition, transition } from 'xstate';
import {
  goalStatusMachine,
  type GoalState,
  type GoalStatusContext,
  type GoalStatusEvent,
  type GoalStatusInput,
} from './goalStatusMachine';
import type { GoalState as DomainGoalState } from '../domain/reviewViews';

export type { GoalState } from './goalStatusMachine';

// Views (domain/reviewViews.ts) name the states without importing the machine: both lists must agree.
const statesMatchGlossary: [GoalState, DomainGoalState] extends [DomainGoalState, GoalState] ? true : never = true;
void statesMatchGlossary;

/** What we persist of a goal's machine: enough for `resolveState`, plain JSON for history and the database. */
export interface SavedGoalState {
  value: GoalState;
  context: GoalStatusContext;
}

/** Side effects the machine asks for; the workflow performs them as activities. */
export type GoalEffect = 'recordNoAdjustment' | 'applyReprogramming' | 'recordCommitment';
const effectNames: readonly string[] = ['recordNoAdjustment', 'applyReprogramming', 'recordCommitment'] satisfies GoalEffect[];

export interface GoalStep {
  state: SavedGoalState;
  effects: GoalEffect[];
  /** False when the event is not allowed in the current state (the state is then unchanged). */
  accepted: boolean;
}

/** Every state the machine defines, in definition order: the single source for pages, API and search attributes. */
export const goalStates = Object.keys(goalStatusMachine.config.states ?? {}) as GoalState[];

export const finalGoalStates = goalStates.filter((s) => goalStatusMachine.config.states?.[s]?.type === 'final');

export const goalStateLabels: Record<GoalState, string> = {
  unclassified: 'Sin clasificar',
  notEvaluated: 'No evaluada',
  onTrack: 'Al día',
  achieved: 'Cumplida',
  notStarted: 'No iniciada',
  behind: 'Atrasada',
  overachieved: 'Sobrecumplida',
  noReport: 'Sin reporte',
  unprogrammedExecution: 'Ejecución sin programación',
  alerted: 'Alertada',
  awaitingResponse: 'Esperando respuesta',
  noAdjustment: 'Negativa de ajustes registrada',
  responseReceived: 'Respuesta recibida',
  underAgreement: 'En acuerdo',
  reprogrammed: 'Reprogramada',
  keptWithCommitment: 'Programación mantenida con compromiso',
  cancelled: 'Cancelada',
  dataError: 'Error de datos',
};

function save(snapshot: { value: unknown; context: GoalStatusContext }): SavedGoalState {
  return { value: snapshot.value as GoalState, context: snapshot.context };
}

function effectsOf(actions: readonly { type: string }[]): GoalEffect[] {
  return actions.map((a) => a.type).filter((t): t is GoalEffect => effectNames.includes(t));
}

export function startGoal(input: GoalStatusInput): SavedGoalState {
  const [snapshot] = initialTransition(goalStatusMachine, input);
  return save(snapshot);
}

export function restoreGoal(saved: SavedGoalState) {
  return goalStatusMachine.resolveState(saved);
}

export function advanceGoal(saved: SavedGoalState, event: GoalStatusEvent): GoalStep {
  const snapshot = restoreGoal(saved);
  if (!snapshot.can(event)) return { state: saved, effects: [], accepted: false };
  const [next, actions] = transition(goalStatusMachine, snapshot, event);
  return { state: save(next), effects: effectsOf(actions), accepted: true };
}

export function canAccept(saved: SavedGoalState, event: GoalStatusEvent): boolean {
  return restoreGoal(saved).can(event);
}

export function isFinalGoalState(state: GoalState): boolean {
  return finalGoalStates.includes(state);
}
