import { assign, setup, type StateValueFrom } from 'xstate';
import { classifyMeasurement, type GoalStatus, type Measurement, type Thresholds } from '../domain/goals';
import type { GoalAnswer } from '../domain/review';

/**
 * The life of one product goal in one quarter's review (PE-P-008 tasks 2, 3 and 5).
 *
 * Pure: no timers, no I/O. The department-review workflow feeds it events one at a time with
 * `transition`, owns every deadline (XState `after` timers are not restored from snapshots) and
 * performs the actions it returns (`recordNoAdjustment`, `applyReprogramming`, `recordCommitment`)
 * as activities.
 */
export interface GoalStatusContext {
  goalCode: string;
  thresholds: Thresholds;
  measurement: Measurement | null;
  status: GoalStatus | null;
  alertedAt: string | null;
  deadline: string | null;
  remindersSent: number;
  extensions: { deadline: string; reason: string }[];
  answer: GoalAnswer | null;
  changeRequests: { comment: string; deadline: string }[];
  /** Why the review was cancelled and by whom (absent in snapshots older than cancellation). */
  cancellation?: { reason: string; by: string; at: string } | null;
  /** Why the department's stored data could not be processed (absent in snapshots older than it). */
  dataError?: { reason: string; at: string } | null;
}

export type GoalStatusEvent =
  | { type: 'progress.reported'; measurement: Measurement }
  | { type: 'alert.sent'; at: string }
  | { type: 'response.window.opened'; deadline: string }
  | { type: 'reminder.sent'; at: string }
  | { type: 'deadline.extended'; deadline: string; reason: string }
  | { type: 'deadline.passed' }
  | { type: 'response.submitted'; answer: GoalAnswer }
  | { type: 'agreement.opened' }
  | { type: 'changes.requested'; comment: string; deadline: string }
  | { type: 'response.approved' }
  | { type: 'review.cancelled'; reason: string; by: string; at: string }
  | { type: 'data.invalid'; reason: string; at: string };

export interface GoalStatusInput {
  goalCode: string;
  thresholds: Thresholds;
}

export const goalStatusMachine = setup({
  types: {
    context: {} as GoalStatusContext,
    events: {} as GoalStatusEvent,
    input: {} as GoalStatusInput,
  },
  guards: {
    classifiedAs: ({ event, context }, params: { status: GoalStatus }) =>
      event.type === 'progress.reported' && classifyMeasurement(event.measurement, context.thresholds) === params.status,
    proposesReprogramming: ({ context }) => context.answer?.action === 'reprogram',
  },
  actions: {
    storeClassification: assign(({ event, context }) => {
      if (event.type !== 'progress.reported') return {};
      return { measurement: event.measurement, status: classifyMeasurement(event.measurement, context.thresholds) };
    }),
    storeAlert: assign({ alertedAt: ({ event }) => (event.type === 'alert.sent' ? event.at : null) }),
    storeDeadline: assign({
      deadline: ({ event, context }) =>
        event.type === 'response.window.opened' || event.type === 'deadline.extended' || event.type === 'changes.requested'
          ? event.deadline
          : context.deadline,
    }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    storeExtension: assign({
      extensions: ({ event, context }) =>
        event.type === 'deadline.extended' ? [...context.extensions, { deadline: event.deadline, reason: event.reason }] : context.extensions,
    }),
    storeAnswer: assign({ answer: ({ event, context }) => (event.type === 'response.submitted' ? event.answer : context.answer) }),
    storeChangeRequest: assign({
      changeRequests: ({ event, context }) =>
        event.type === 'changes.requested'
          ? [...context.changeRequests, { comment: event.comment, deadline: event.deadline }]
          : context.changeRequests,
    }),
    storeCancellation: assign({
      cancellation: ({ event, context }) =>
        event.type === 'review.cancelled' ? { reason: event.reason, by: event.by, at: event.at } : (context.cancellation ?? null),
    }),
    storeDataError: assign({
      dataError: ({ event, context }) => (event.type === 'data.invalid' ? { reason: event.reason, at: event.at } : (context.dataError ?? null)),
    }),
    // Performed by the workflow as activities; the machine only names them.
    recordNoAdjustment: () => {},
    applyReprogramming: () => {},
    recordCommitment: () => {},
  },
}).createMachine({
  id: 'goalStatus',
  context: ({ input }) => ({
    goalCode: input.goalCode,
    thresholds: input.thresholds,
    measurement: null,
    status: null,
    alertedAt: null,
    deadline: null,
    remindersSent: 0,
    extensions: [],
    answer: null,
    changeRequests: [],
    cancellation: null,
    dataError: null,
  }),
  initial: 'unclassified',
  states: {
    unclassified: {
      on: {
        'progress.reported': [
          { guard: { type: 'classifiedAs', params: { status: 'notEvaluated' } }, target: 'notEvaluated', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'notStarted' } }, target: 'notStarted', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'behind' } }, target: 'behind', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'onTrack' } }, target: 'onTrack', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'achieved' } }, target: 'achieved', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'overachieved' } }, target: 'overachieved', actions: 'storeClassification' },
          { guard: { type: 'classifiedAs', params: { status: 'noReport' } }, target: 'noReport', actions: 'storeClassification' },
          {
            guard: { type: 'classifiedAs', params: { status: 'unprogrammedExecution' } },
            target: 'unprogrammedExecution',
            actions: 'storeClassification',
          },
        ],
      },
    },
    notEvaluated: { type: 'final' },
    onTrack: { type: 'final' },
    achieved: { type: 'final' },
    notStarted: { on: { 'alert.sent': { target: 'alerted', actions: 'storeAlert' }, 'data.invalid': { target: 'dataError', actions: 'storeDataError' } } },
    behind: { on: { 'alert.sent': { target: 'alerted', actions: 'storeAlert' }, 'data.invalid': { target: 'dataError', actions: 'storeDataError' } } },
    overachieved: { on: { 'alert.sent': { target: 'alerted', actions: 'storeAlert' }, 'data.invalid': { target: 'dataError', actions: 'storeDataError' } } },
    // Something was programmed for the quarter and nothing was reported: flagged in the alert as its own reason.
    noReport: { on: { 'alert.sent': { target: 'alerted', actions: 'storeAlert' }, 'data.invalid': { target: 'dataError', actions: 'storeDataError' } } },
    // Executed in a year with nothing programmed: listed for the coordinator, not alerted.
    unprogrammedExecution: { type: 'final' },
    alerted: {
      on: {
        'response.window.opened': { target: 'awaitingResponse', actions: 'storeDeadline' },
        'review.cancelled': { target: 'cancelled', actions: 'storeCancellation' },
        'data.invalid': { target: 'dataError', actions: 'storeDataError' },
      },
    },
    awaitingResponse: {
      on: {
        'reminder.sent': { actions: 'countReminder' },
        'deadline.extended': { actions: ['storeDeadline', 'storeExtension'] },
        'deadline.passed': { target: 'noAdjustment' },
        'response.submitted': { target: 'responseReceived', actions: 'storeAnswer' },
        'review.cancelled': { target: 'cancelled', actions: 'storeCancellation' },
        'data.invalid': { target: 'dataError', actions: 'storeDataError' },
      },
    },
    noAdjustment: { type: 'final', entry: 'recordNoAdjustment' },
    responseReceived: {
      on: { 'agreement.opened': { target: 'underAgreement' }, 'data.invalid': { target: 'dataError', actions: 'storeDataError' } },
    },
    underAgreement: {
      on: {
        'response.approved': [
          { guard: 'proposesReprogramming', target: 'reprogrammed' },
          { target: 'keptWithCommitment' },
        ],
        'changes.requested': { target: 'awaitingResponse', actions: ['storeChangeRequest', 'storeDeadline'] },
        'review.cancelled': { target: 'cancelled', actions: 'storeCancellation' },
        'data.invalid': { target: 'dataError', actions: 'storeDataError' },
      },
    },
    reprogrammed: { type: 'final', entry: 'applyReprogramming' },
    keptWithCommitment: { type: 'final', entry: 'recordCommitment' },
    // An operator or coordinator withdrew the review (with a reason); nothing is applied.
    cancelled: { type: 'final' },
    // The department's stored data could not be processed (InvalidStoredData); the reason is kept.
    dataError: { type: 'final' },
  },
});

export type GoalStatusMachine = typeof goalStatusMachine;
/** The machine's (flat) state names, derived from its definition. */
export type GoalState = StateValueFrom<typeof goalStatusMachine> & string;
