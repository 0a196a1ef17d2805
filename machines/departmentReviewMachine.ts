import { assign, setup, type StateValueFrom } from 'xstate';
import type { Decision, GoalAnswer } from '../domain/review';
import type { ResponseWindow } from '../domain/responseWindow';
import type { SavedGoalState } from './goalStatus';
import type { GoalStatusEvent } from './goalStatusMachine';
import { advanceReviewGoals, answersIn, goalCodesIn, startReviewGoals, type ReviewGoals } from './reviewGoals';

/**
 * One department's review in one quarter (PE-P-008 tasks 3 and 5): alert, response window with
 * reminders and extensions, the liaison's response, the coordinator's decision, and the end
 * (constancia de negativa de ajustes, reprogramming, commitment, cancellation or a data error).
 *
 * Pure: no timers, no I/O. The department-review workflow owns time (it computes deadlines and
 * sends `reminder.due` and `deadline.reached`) and performs the effects the machine names. Each
 * flagged goal keeps its own goal-status machine as per-goal data, fed from the review's events.
 */
export interface Respondent {
  name: string;
  email?: string;
}

export interface DepartmentReviewContext {
  goals: ReviewGoals;
  alertedAt: string | null;
  deadline: string | null;
  /** Rounds of response: 1 for the first answer, +1 after each request for changes. */
  round: number;
  respondent: Respondent | null;
  remindersSent: number;
  alertsResent: number;
  extensions: { deadline: string; reason: string }[];
  changeRequests: { comment: string; deadline: string }[];
  notes: { coordinator: string; text: string; at: string }[];
  /** The coordinator's decision while its effects are performed (or its new deadline computed). */
  pendingDecision: Decision | null;
  cancellation: { reason: string; by: string; at: string } | null;
  dataError: { reason: string; problems: string[]; at: string } | null;
}

export type DepartmentReviewEvent =
  | { type: 'alert.recorded'; at: string }
  /** `alertDelivered`: the alert e-mail went out first and the deadline counts from its delivery (no e-mail to send). */
  | { type: 'response.window.opened'; deadline: string; alertDelivered?: boolean }
  | { type: 'reminder.due'; at: string }
  | { type: 'deadline.extended'; deadline: string; reason: string }
  | { type: 'deadline.reached'; deadline: string }
  | { type: 'alert.resent'; coordinator: string }
  | { type: 'response.submitted'; respondent: Respondent; answers: GoalAnswer[] }
  | { type: 'decision.made'; decision: Decision }
  | { type: 'changes.requested'; deadline: string; window: ResponseWindow }
  | { type: 'decision.applied' }
  | { type: 'note.added'; coordinator: string; text: string; at: string }
  | { type: 'review.cancelled'; reason: string; by: string; at: string }
  | { type: 'data.invalid'; reason: string; problems: string[]; at: string };

export interface ReviewMachineInput {
  goals: { goalCode: string; state: SavedGoalState }[];
}

/** The effects the machine names, with their parameters; the workflow performs each (workflows/reviewEffects.ts). */
export interface ReviewEffectParams {
  recordAlert: Record<string, never>;
  sendAlertEmail: { deadline: string };
  sendReminderEmail: { sequence: number; deadline: string };
  resendAlertEmail: { sequence: number; deadline: string; coordinator: string };
  sendResponseReceipt: { round: number; respondent: Respondent; answers: { goalCode: string; answer: GoalAnswer | null }[] };
  recordDecision: { round: number; decision: Decision };
  sendChangesRequested: { round: number; coordinator: string; comment: string; deadline: string; window: ResponseWindow };
  recordNoAdjustment: { goalCodes: string[]; alertedAt: string | null; deadline: string | null; remindersSent: number };
  applyReprogramming: { approvedBy: string; round: number; goals: { goalCode: string; answer: GoalAnswer | null }[] };
  recordCommitment: { approvedBy: string; goals: { goalCode: string; answer: GoalAnswer | null }[] };
  recordNote: { sequence: number; coordinator: string; text: string; at: string };
  recordCancellation: { cancelledBy: string; reason: string; cancelledAt: string };
  recordDataError: { reason: string; problems: string[]; at: string };
}

/** The goal-status events a review event means for one goal (none for review-only events). */
function goalEventsFor(event: DepartmentReviewEvent, goalCode: string, context: DepartmentReviewContext): GoalStatusEvent[] {
  switch (event.type) {
    case 'alert.recorded':
      return [{ type: 'alert.sent', at: event.at }];
    case 'response.window.opened':
      return [{ type: 'response.window.opened', deadline: event.deadline }];
    case 'reminder.due':
      return [{ type: 'reminder.sent', at: event.at }];
    case 'deadline.extended':
      return [{ type: 'deadline.extended', deadline: event.deadline, reason: event.reason }];
    case 'deadline.reached':
      return [{ type: 'deadline.passed' }];
    case 'response.submitted': {
      const answer = event.answers.find((a) => a.goalCode === goalCode);
      return answer ? [{ type: 'response.submitted', answer }, { type: 'agreement.opened' }] : [];
    }
    case 'decision.made':
      return event.decision.decision === 'approve' ? [{ type: 'response.approved' }] : [];
    case 'changes.requested':
      return [{ type: 'changes.requested', comment: context.pendingDecision?.comment ?? '', deadline: event.deadline }];
    case 'review.cancelled':
      return [{ type: 'review.cancelled', reason: event.reason, by: event.by, at: event.at }];
    case 'data.invalid':
      return [{ type: 'data.invalid', reason: event.reason, at: event.at }];
    default:
      return [];
  }
}

const approvedBy = (context: DepartmentReviewContext) => context.pendingDecision?.coordinator ?? 'sistema';

const reviewSetup = setup({
  types: {
    context: {} as DepartmentReviewContext,
    events: {} as DepartmentReviewEvent,
    input: {} as ReviewMachineInput,
  },
  guards: {
    alertDelivered: ({ event }) => event.type === 'response.window.opened' && event.alertDelivered === true,
    approves: ({ event }) => event.type === 'decision.made' && event.decision.decision === 'approve',
    /** A deadline timer that fired after the deadline moved is stale. */
    isCurrentDeadline: ({ context, event }) => event.type === 'deadline.reached' && event.deadline === context.deadline,
    keepsEveryGoal: ({ context }) => Object.values(context.goals.byCode).every((g) => g.state.value === 'keptWithCommitment'),
  },
  actions: {
    advanceGoals: assign({ goals: ({ context, event }) => advanceReviewGoals(context.goals, (code) => goalEventsFor(event, code, context)) }),
    storeAlert: assign({ alertedAt: ({ event, context }) => (event.type === 'alert.recorded' ? event.at : context.alertedAt) }),
    storeDeadline: assign({
      deadline: ({ event, context }) =>
        event.type === 'response.window.opened' || event.type === 'deadline.extended' || event.type === 'changes.requested' ? event.deadline : context.deadline,
    }),
    storeExtension: assign({
      extensions: ({ event, context }) =>
        event.type === 'deadline.extended' ? [...context.extensions, { deadline: event.deadline, reason: event.reason }] : context.extensions,
    }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    countResentAlert: assign({ alertsResent: ({ context }) => context.alertsResent + 1 }),
    storeRespondent: assign({ respondent: ({ event, context }) => (event.type === 'response.submitted' ? event.respondent : context.respondent) }),
    storeDecision: assign({ pendingDecision: ({ event, context }) => (event.type === 'decision.made' ? event.decision : context.pendingDecision) }),
    clearDecision: assign({ pendingDecision: null }),
    startNextRound: assign(({ context, event }) =>
      event.type === 'changes.requested'
        ? {
            round: context.round + 1,
            respondent: null,
            pendingDecision: null,
            changeRequests: [...context.changeRequests, { comment: context.pendingDecision?.comment ?? '', deadline: event.deadline }],
          }
        : {},
    ),
    storeNote: assign({
      notes: ({ event, context }) =>
        event.type === 'note.added' ? [...context.notes, { coordinator: event.coordinator, text: event.text, at: event.at }] : context.notes,
    }),
    storeCancellation: assign({
      cancellation: ({ event, context }) => (event.type === 'review.cancelled' ? { reason: event.reason, by: event.by, at: event.at } : context.cancellation),
    }),
    storeDataError: assign({
      dataError: ({ event, context }) =>
        event.type === 'data.invalid' ? { reason: event.reason, problems: event.problems, at: event.at } : context.dataError,
    }),
    // Effects: performed by the workflow as activities (workflows/reviewEffects.ts); the machine only names them.
    recordAlert: () => {},
    sendAlertEmail: (_, _params: ReviewEffectParams['sendAlertEmail']) => {},
    sendReminderEmail: (_, _params: ReviewEffectParams['sendReminderEmail']) => {},
    resendAlertEmail: (_, _params: ReviewEffectParams['resendAlertEmail']) => {},
    sendResponseReceipt: (_, _params: ReviewEffectParams['sendResponseReceipt']) => {},
    recordDecision: (_, _params: ReviewEffectParams['recordDecision']) => {},
    sendChangesRequested: (_, _params: ReviewEffectParams['sendChangesRequested']) => {},
    recordNoAdjustment: (_, _params: ReviewEffectParams['recordNoAdjustment']) => {},
    applyReprogramming: (_, _params: ReviewEffectParams['applyReprogramming']) => {},
    recordCommitment: (_, _params: ReviewEffectParams['recordCommitment']) => {},
    recordNote: (_, _params: ReviewEffectParams['recordNote']) => {},
    recordCancellation: (_, _params: ReviewEffectParams['recordCancellation']) => {},
    recordDataError: (_, _params: ReviewEffectParams['recordDataError']) => {},
  },
});

/** Notes are welcome until the review ends; each one is recorded. */
const noteAdded = {
  actions: ['storeNote', { type: 'recordNote', params: ({ context }: { context: DepartmentReviewContext }) => ({ sequence: context.notes.length, ...context.notes.at(-1)! }) }],
} as const;

export const departmentReviewMachine = reviewSetup.createMachine({
  id: 'departmentReview',
  context: ({ input }) => ({
    goals: startReviewGoals(input.goals),
    alertedAt: null,
    deadline: null,
    round: 1,
    respondent: null,
    remindersSent: 0,
    alertsResent: 0,
    extensions: [],
    changeRequests: [],
    notes: [],
    pendingDecision: null,
    cancellation: null,
    dataError: null,
  }),
  initial: 'alerting',
  states: {
    // The alert is being recorded; its e-mail follows (it opens the response window when delivered).
    alerting: {
      entry: 'recordAlert',
      on: {
        'alert.recorded': { target: 'alerted', actions: ['storeAlert', 'advanceGoals'] },
        'note.added': noteAdded,
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals'] },
      },
    },
    alerted: {
      on: {
        'response.window.opened': [
          { guard: 'alertDelivered', target: 'awaitingResponse', actions: ['storeDeadline', 'advanceGoals'] },
          {
            target: 'awaitingResponse',
            actions: ['storeDeadline', 'advanceGoals', { type: 'sendAlertEmail', params: ({ context }) => ({ deadline: context.deadline! }) }],
          },
        ],
        'note.added': noteAdded,
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals'] },
      },
    },
    awaitingResponse: {
      on: {
        'reminder.due': {
          actions: ['countReminder', 'advanceGoals', { type: 'sendReminderEmail', params: ({ context }) => ({ sequence: context.remindersSent, deadline: context.deadline! }) }],
        },
        'deadline.extended': { actions: ['storeDeadline', 'storeExtension', 'advanceGoals'] },
        'alert.resent': {
          actions: [
            'countResentAlert',
            {
              type: 'resendAlertEmail',
              params: ({ context, event }) => ({
                sequence: context.alertsResent,
                deadline: context.deadline!,
                coordinator: event.type === 'alert.resent' ? event.coordinator : '',
              }),
            },
          ],
        },
        'deadline.reached': { guard: 'isCurrentDeadline', target: 'noAdjustment', actions: 'advanceGoals' },
        'response.submitted': {
          target: 'underAgreement',
          actions: [
            'storeRespondent',
            'advanceGoals',
            {
              type: 'sendResponseReceipt',
              params: ({ context }) => ({ round: context.round, respondent: context.respondent!, answers: answersIn(context.goals, 'underAgreement') }),
            },
          ],
        },
        'note.added': noteAdded,
        'review.cancelled': { target: 'cancelled', actions: ['storeCancellation', 'advanceGoals'] },
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals'] },
      },
    },
    underAgreement: {
      on: {
        'decision.made': [
          {
            guard: 'approves',
            target: 'approving',
            actions: [
              'storeDecision',
              'advanceGoals',
              { type: 'recordDecision', params: ({ context }) => ({ round: context.round, decision: context.pendingDecision! }) },
              {
                type: 'applyReprogramming',
                params: ({ context }) => ({ approvedBy: approvedBy(context), round: context.round, goals: answersIn(context.goals, 'reprogrammed') }),
              },
              { type: 'recordCommitment', params: ({ context }) => ({ approvedBy: approvedBy(context), goals: answersIn(context.goals, 'keptWithCommitment') }) },
            ],
          },
          {
            target: 'requestingChanges',
            actions: ['storeDecision', { type: 'recordDecision', params: ({ context }) => ({ round: context.round, decision: context.pendingDecision! }) }],
          },
        ],
        'note.added': noteAdded,
        'review.cancelled': { target: 'cancelled', actions: ['storeCancellation', 'advanceGoals'] },
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals'] },
      },
    },
    // An approval's reprogramming and commitment are being applied.
    approving: {
      on: {
        'decision.applied': [
          { guard: 'keepsEveryGoal', target: 'keptWithCommitment', actions: 'clearDecision' },
          { target: 'reprogrammed', actions: 'clearDecision' },
        ],
        'note.added': noteAdded,
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals', 'clearDecision'] },
      },
    },
    // Changes were requested; the workflow computes the new deadline.
    requestingChanges: {
      on: {
        'changes.requested': {
          target: 'awaitingResponse',
          actions: [
            {
              type: 'sendChangesRequested',
              params: ({ context, event }) => ({
                round: context.round + 1,
                coordinator: context.pendingDecision?.coordinator ?? '',
                comment: context.pendingDecision?.comment ?? '',
                deadline: event.type === 'changes.requested' ? event.deadline : '',
                window: event.type === 'changes.requested' ? event.window : { amount: 0, unit: 'businessDays' },
              }),
            },
            'storeDeadline',
            'advanceGoals',
            'startNextRound',
          ],
        },
        'note.added': noteAdded,
        'data.invalid': { target: 'dataError', actions: ['storeDataError', 'advanceGoals', 'clearDecision'] },
      },
    },
    noAdjustment: {
      type: 'final',
      entry: {
        type: 'recordNoAdjustment',
        params: ({ context }) => ({
          goalCodes: goalCodesIn(context.goals, 'noAdjustment'),
          alertedAt: context.alertedAt,
          deadline: context.deadline,
          remindersSent: context.remindersSent,
        }),
      },
    },
    reprogrammed: { type: 'final' },
    keptWithCommitment: { type: 'final' },
    cancelled: {
      type: 'final',
      entry: { type: 'recordCancellation', params: ({ context }) => ({ cancelledBy: context.cancellation!.by, reason: context.cancellation!.reason, cancelledAt: context.cancellation!.at }) },
    },
    dataError: { type: 'final', entry: { type: 'recordDataError', params: ({ context }) => ({ ...context.dataError! }) } },
  },
});

export type DepartmentReviewMachine = typeof departmentReviewMachine;
/** The review machine's (flat) state names, derived from its definition. */
export type ReviewState = StateValueFrom<typeof departmentReviewMachine> & string;
