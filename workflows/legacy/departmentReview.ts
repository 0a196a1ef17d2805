/**
 * FROZEN: the department review as it ran before the review machine (machines/departmentReviewMachine.ts).
 * Registered under its original workflow type `departmentReview` so reviews started by it, and the
 * histories in test/histories, keep replaying. New reviews run `departmentReviewV2`
 * (workflows/departmentReview.ts). Do not change this file's commands; delete it once no review of
 * this type can still be running or replayed.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ReviewActivities } from '../../activities';
import {
  type Decision,
  decisionSchema,
  deadlineExtensionSchema,
  describeIssues,
  describeSubmissionIssues,
  coordinatorActionSchema,
  coordinatorNoteSchema,
  responseSubmissionSchema,
  type ReviewCancellation,
  reviewCancellationSchema,
} from '../../domain/review';
import { assertTermTargets } from '../responseChecks';
import { parseResponseWindow, type ResponseWindow } from '../../domain/responseWindow';
import type { GoalEffect } from '../../machines/goalStatus';
import { workflowNow } from '../clock';
import { DepartmentGoals } from './departmentGoals';
import { Patches } from '../patches';
import { awaitResponseUntilDeadline } from './responseWait';
import { failure, FailureTypes } from '../failures';
import { addNoteUpdate, cancelReviewUpdate, decideUpdate, extendDeadlineUpdate, resendAlertUpdate, reviewStateQuery, submitResponseUpdate } from '../messages';
import { ReviewStatus } from '../searchAttributes';
import type { DepartmentReviewInput, DepartmentReviewOutcome, ReviewAction, ReviewView } from '../types';

const activities = proxyActivities<ReviewActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});
/**
 * For the activities that only write a few rows or compute a date (milliseconds each): run by the
 * worker running the review, without a round trip through the server. The activities that send
 * e-mail, render documents or mark the review's timeline stay regular activities.
 */
const localActivities = proxyLocalActivities<ReviewActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumInterval: '30 seconds' },
});

/**
 * PE-P-008 tasks 3 and 5 for one department: alert, wait for the liaison's response until the
 * deadline, then either the constancia de negativa de ajustes or an agreement with the coordinator
 * that ends in a reprogramming (or the programming kept with a commitment).
 */
export async function departmentReview(input: DepartmentReviewInput): Promise<DepartmentReviewOutcome> {
  const reviewWorkflowId = workflowInfo().workflowId;
  // Reviews started before e-mail notifications existed replay without them.
  const notifies = patched(Patches.notifications);
  // Reviews started before local activities replay with every activity a regular one.
  const records = patched(Patches.localActivities) ? localActivities : activities;
  const goals = new DepartmentGoals(input.goals);
  let round = 1;
  let respondent: ReviewView['respondent'] = null;
  let pendingDecision: Decision | null = null;
  let outcome: DepartmentReviewOutcome | null = null;
  const notes: NonNullable<ReviewView['notes']> = [];
  let alertsResent = 0;
  /** Why the department's data could not be processed, when the review ended that way. */
  let dataError: { reason: string; problems: string[]; at: string } | null = null;
  /** Set by the cancelReview update; the main loop ends the review at its next wait. */
  let cancellation: ReviewCancellation | null = null;

  const allowedActions = (): ReviewAction[] => {
    if (cancellation) return [];
    const noting: ReviewAction[] = outcome === null ? ['addNote'] : [];
    if (goals.state === 'awaitingResponse') return ['submitResponse', 'extendDeadline', 'resendAlert', ...noting, 'cancelReview'];
    if (goals.state === 'underAgreement' && !pendingDecision) return ['decide', ...noting, 'cancelReview'];
    return noting;
  };
  const view = (): ReviewView => ({
    workflowId: reviewWorkflowId,
    cycleWorkflowId: input.cycleWorkflowId,
    fiscalYear: input.fiscalYear,
    quarter: input.quarter,
    department: input.department,
    state: goals.state,
    deadline: goals.sharedContext.deadline,
    alertedAt: goals.sharedContext.alertedAt,
    round,
    respondent,
    changeRequests: goals.sharedContext.changeRequests,
    remindersSent: goals.sharedContext.remindersSent,
    extensions: goals.sharedContext.extensions,
    notes,
    cancellation: goals.sharedContext.cancellation ?? null,
    dataError,
    allowedActions: allowedActions(),
    goals: goals.views(),
    outcome,
  });

  /** Writes the machine steps taken since the last call and keeps ReviewStatus current. */
  const persist = async () => {
    await records.recordGoalStates({
      reviewWorkflowId,
      status: goals.state,
      deadline: goals.sharedContext.deadline,
      thresholds: goals.sharedContext.thresholds,
      steps: goals.takeUnrecorded(),
    });
    upsertSearchAttributes([{ key: ReviewStatus, value: goals.state }]);
  };

  const deadlineFrom = async (window: ResponseWindow, from: Date) =>
    (await records.computeDeadline({ window, from: from.toISOString() })).deadline;

  setHandler(reviewStateQuery, view);

  setHandler(
    submitResponseUpdate,
    async (submission) => {
      const parsed = responseSubmissionSchema.parse(submission);
      const answers = new Map(parsed.answers.map((a) => [a.goalCode, a]));
      goals.send((goalCode) => {
        const answer = answers.get(goalCode);
        return answer ? { type: 'response.submitted', answer } : null;
      });
      respondent = parsed.respondent;
      // Acknowledge once the response is recorded and waiting for the coordinator.
      await condition(() => goals.state !== 'responseReceived');
      return view();
    },
    {
      validator: (submission) => {
        assertAwaitingResponse(goals, 'responder');
        const parsed = responseSubmissionSchema.safeParse(submission);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La respuesta tiene errores', describeSubmissionIssues(parsed.error, submission));
        const answered = parsed.data.answers.map((a) => a.goalCode);
        const unknown = answered.filter((code) => !goals.has(code));
        if (unknown.length) {
          throw failure(FailureTypes.unknownGoal, `Estas metas no hacen parte de esta revisión: ${unknown.join(', ')}`, unknown);
        }
        const repeated = answered.filter((code, i) => answered.indexOf(code) !== i);
        if (repeated.length) throw failure(FailureTypes.invalidInput, `Meta respondida más de una vez: ${[...new Set(repeated)].join(', ')}`);
        const missing = goals.codes.filter((code) => !answered.includes(code));
        if (missing.length) throw failure(FailureTypes.invalidInput, `Falta responder estas metas: ${missing.join(', ')}`, missing);
        // The current review's check (validators are not replayed, so running reviews get it too).
        assertTermTargets(parsed.data.answers, (code) => goals.goal(code)?.term, input.fiscalYear);
      },
    },
  );

  setHandler(
    decideUpdate,
    async (decision) => {
      pendingDecision = decisionSchema.parse(decision);
      // Answer once the main loop has acted on it, so the caller sees the resulting state.
      await condition(() => pendingDecision === null);
      return view();
    },
    {
      validator: (decision) => {
        if (cancellation || goals.state === 'cancelled') throw failure(FailureTypes.notAwaitingResponse, 'No es posible decidir: la revisión ya terminó (fue cancelada)');
        if (goals.state !== 'underAgreement' || pendingDecision) {
          throw failure(
            FailureTypes.noResponseToDecide,
            `No hay una respuesta de la dependencia pendiente de decisión (estado actual: ${goals.state})`,
          );
        }
        const parsed = decisionSchema.safeParse(decision);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La decisión tiene errores', describeIssues(parsed.error));
        if (parsed.data.decision === 'approve') {
          // An answer accepted before the limits of domain/numbers.ts existed cannot be applied.
          const answers = goals.views().flatMap((g) => (g.answer ? [g.answer] : []));
          const checked = responseSubmissionSchema.safeParse({ respondent: { name: 'enlace' }, answers });
          if (!checked.success) {
            throw failure(
              FailureTypes.invalidInput,
              'La respuesta registrada tiene valores que no se pueden aplicar; solicite ajustes a la dependencia',
              describeSubmissionIssues(checked.error, { answers }),
            );
          }
        }
      },
    },
  );

  setHandler(
    extendDeadlineUpdate,
    async (extension) => {
      const parsed = deadlineExtensionSchema.parse(extension);
      const window = parseWindowOrFail(parsed.window);
      const current = goals.sharedContext.deadline ?? workflowNow().toISOString();
      const deadline = await deadlineFrom(window, new Date(current));
      goals.send(() => ({ type: 'deadline.extended', deadline, reason: `${parsed.reason} (${parsed.coordinator})` }));
      if (goals.sharedContext.deadline !== deadline) {
        throw failure(FailureTypes.notAwaitingResponse, 'El plazo venció mientras se procesaba la ampliación');
      }
      return view();
    },
    {
      validator: (extension) => {
        assertAwaitingResponse(goals, 'ampliar el plazo');
        const parsed = deadlineExtensionSchema.safeParse(extension);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La ampliación tiene errores', describeIssues(parsed.error));
      },
    },
  );

  setHandler(
    resendAlertUpdate,
    async (action) => {
      alertsResent += 1;
      await activities.resendAlert({
        reviewWorkflowId,
        sequence: alertsResent,
        deadline: goals.sharedContext.deadline ?? '',
        responseWindow: input.responseWindow,
        coordinator: coordinatorActionSchema.parse(action).coordinator,
      });
      return view();
    },
    {
      validator: (action) => {
        assertAwaitingResponse(goals, 'reenviar la alerta');
        const parsed = coordinatorActionSchema.safeParse(action);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'Datos inválidos', describeIssues(parsed.error));
      },
    },
  );

  setHandler(
    addNoteUpdate,
    async (note) => {
      const parsed = coordinatorNoteSchema.parse(note);
      const entry = { ...parsed, at: workflowNow().toISOString() };
      notes.push(entry);
      await activities.recordNote({ reviewWorkflowId, sequence: notes.length, ...entry });
      return view();
    },
    {
      validator: (note) => {
        if (outcome !== null) throw failure(FailureTypes.notAwaitingResponse, 'La revisión ya terminó; no admite notas');
        const parsed = coordinatorNoteSchema.safeParse(note);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La nota tiene errores', describeIssues(parsed.error));
      },
    },
  );

  setHandler(
    cancelReviewUpdate,
    async (request) => {
      cancellation = reviewCancellationSchema.parse(request);
      await condition(() => outcome !== null);
      return view();
    },
    {
      validator: (request) => {
        if (outcome !== null || cancellation) throw failure(FailureTypes.notAwaitingResponse, 'La revisión ya terminó; no es posible cancelarla');
        if (pendingDecision) throw failure(FailureTypes.notAwaitingResponse, 'Se está aplicando una decisión de la coordinación; no es posible cancelar ahora');
        if (goals.state !== 'underAgreement') assertAwaitingResponse(goals, 'cancelar la revisión');
        const parsed = reviewCancellationSchema.safeParse(request);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La cancelación tiene errores', describeIssues(parsed.error));
      },
    },
  );

  /** Ends the review as cancelled: the machine records why, the department is told, nothing is applied. */
  const cancelReview = async (request: ReviewCancellation): Promise<DepartmentReviewOutcome> => {
    const at = workflowNow().toISOString();
    goals.send(() => ({ type: 'review.cancelled', reason: request.reason, by: request.cancelledBy, at }));
    await persist();
    await activities.recordCancellation({ reviewWorkflowId, cancelledBy: request.cancelledBy, reason: request.reason, cancelledAt: at });
    return 'cancelled';
  };

  /**
   * An activity found the department's stored data unusable (InvalidStoredData, never retried): the
   * review ends visibly with the outcome dataError and the reason recorded, instead of failing.
   * Reviews that failed this way before the change replay as they ran (the error is rethrown).
   */
  const endOnDataError = async (error: unknown): Promise<DepartmentReviewOutcome> => {
    const invalid = invalidStoredData(error);
    if (!invalid || !patched(Patches.dataErrors)) throw error;
    const at = workflowNow().toISOString();
    dataError = { ...invalid, at };
    goals.send(() => ({ type: 'data.invalid', reason: invalid.reason, at }));
    await activities.recordDataError({
      reviewWorkflowId,
      cycleWorkflowId: input.cycleWorkflowId,
      departmentCode: input.department.code,
      fiscalYear: input.fiscalYear,
      quarter: input.quarter,
      ...dataError,
    });
    try {
      await persist();
    } catch {
      // Steps built from unusable numbers may not replay in the activity; the outcome is recorded anyway.
      upsertSearchAttributes([{ key: ReviewStatus, value: goals.state }]);
    }
    return 'dataError';
  };

  // Task 3: the quarterly alert, then the response window.
  try {
    const { sentAt } = await activities.sendAlert({
      reviewWorkflowId,
      cycleWorkflowId: input.cycleWorkflowId,
      fiscalYear: input.fiscalYear,
      quarter: input.quarter,
      department: input.department,
      goals: goals.views().map(({ goalCode, name, status, measurement }) => ({ goalCode, name, status, measurement })),
    });
    goals.send(() => ({ type: 'alert.sent', at: sentAt }));
    const firstDeadline = await deadlineFrom(input.responseWindow, new Date(sentAt));
    goals.send(() => ({ type: 'response.window.opened', deadline: firstDeadline }));
    await activities.openResponseWindow({ reviewWorkflowId, deadline: firstDeadline, responseWindow: input.responseWindow });
    await persist();
  } catch (error) {
    outcome = await endOnDataError(error);
  }

  while (outcome === null) {
    const waited = await awaitResponseUntilDeadline({
      goals,
      persist,
      reminders: notifies ? (input.reminders ?? []) : [],
      scheduleReminders: async (deadline) =>
        (await records.scheduleReminders({ deadline, reminders: input.reminders ?? [], from: workflowNow().toISOString() })).instants,
      sendReminder: (sequence, deadline) => activities.sendReminder({ reviewWorkflowId, sequence, deadline }),
      cancelled: () => cancellation !== null,
    });
    if (waited === 'cancelled' && cancellation) {
      outcome = await cancelReview(cancellation);
      break;
    }
    if (waited === 'deadlinePassed') {
      const effects = goals.send(() => ({ type: 'deadline.passed' }));
      await persist();
      await performEffects(effects);
      outcome = 'noAdjustment';
      break;
    }

    // Task 5: the response is in; the coordinator and the department agree.
    goals.send(() => ({ type: 'agreement.opened' }));
    await persist();
    if (notifies && respondent) {
      await activities.sendResponseReceipt({
        reviewWorkflowId,
        round,
        respondent,
        answers: goals.views().flatMap((g) => (g.answer ? [{ goalCode: g.goalCode, name: g.name, answer: g.answer }] : [])),
        reviewStatus: goals.state,
      });
    }
    await condition(() => pendingDecision !== null || cancellation !== null);
    if (cancellation) {
      outcome = await cancelReview(cancellation);
      break;
    }
    const decision = pendingDecision as unknown as Decision;
    await records.recordDecision({ reviewWorkflowId, round, decision });

    if (decision.decision === 'approve') {
      const effects = goals.send(() => ({ type: 'response.approved' }));
      await persist();
      try {
        await performEffects(effects, decision.coordinator);
        outcome = goals.state === 'keptWithCommitment' ? 'keptWithCommitment' : 'reprogrammed';
      } catch (error) {
        outcome = await endOnDataError(error);
      }
    } else {
      const window = decision.window ? parseWindowOrFail(decision.window) : input.responseWindow;
      const deadline = await deadlineFrom(window, workflowNow());
      goals.send(() => ({ type: 'changes.requested', comment: decision.comment, deadline }));
      round += 1;
      respondent = null;
      await persist();
      if (notifies) {
        await activities.sendChangesRequested({
          reviewWorkflowId,
          round,
          coordinator: decision.coordinator,
          comment: decision.comment,
          deadline,
          responseWindow: window,
        });
      }
    }
    pendingDecision = null;
  }

  await activities.completeDepartmentReview({ reviewWorkflowId, outcome });
  await condition(allHandlersFinished);
  return outcome;

  async function performEffects(effects: Map<GoalEffect, string[]>, approvedBy = 'sistema') {
    const base = { reviewWorkflowId, fiscalYear: input.fiscalYear, quarter: input.quarter, department: input.department };
    const noAdjustment = effects.get('recordNoAdjustment');
    if (noAdjustment) {
      const ctx = goals.sharedContext;
      await activities.recordNoAdjustment({
        ...base,
        goalCodes: noAdjustment,
        alertedAt: ctx.alertedAt,
        deadline: ctx.deadline,
        remindersSent: ctx.remindersSent,
      });
    }
    const answersOf = (codes: string[] | undefined) =>
      (codes ?? []).map((code) => ({ goalCode: code, answer: goals.stateOf(code)?.context.answer ?? null }));
    const reprogrammed = answersOf(effects.get('applyReprogramming'));
    if (reprogrammed.length) await activities.applyReprogramming({ ...base, approvedBy, decisionRound: round, goals: reprogrammed });
    const kept = answersOf(effects.get('recordCommitment'));
    if (kept.length) await activities.recordCommitment({ ...base, approvedBy, goals: kept });
  }
}

/** The reason and problems of an InvalidStoredData failure raised by an activity, or null for any other error. */
function invalidStoredData(error: unknown): { reason: string; problems: string[] } | null {
  const cause = error instanceof ActivityFailure ? error.cause : null;
  if (!(cause instanceof ApplicationFailure) || cause.type !== FailureTypes.invalidStoredData) return null;
  const details = cause.details?.[0];
  return { reason: cause.message, problems: Array.isArray(details) ? details.map(String) : [] };
}

function assertAwaitingResponse(goals: DepartmentGoals, what: string) {
  const state = goals.state;
  const deadline = goals.sharedContext.deadline;
  if (state === 'noAdjustment' || (state === 'awaitingResponse' && deadline && Date.parse(deadline) <= workflowNow().getTime())) {
    throw failure(
      FailureTypes.deadlinePassed,
      `El plazo para responder venció (${deadline ?? 'sin plazo'}); no es posible ${what}. Se registra la constancia de negativa de ajustes.`,
    );
  }
  if (state !== 'awaitingResponse') {
    const reason =
      state === 'alerted'
        ? 'la revisión aún no ha abierto el plazo de respuesta'
        : state === 'cancelled'
          ? 'la revisión ya terminó (fue cancelada)'
          : `la dependencia ya respondió (estado: ${state})`;
    throw failure(FailureTypes.notAwaitingResponse, `No es posible ${what}: ${reason}`);
  }
}

function parseWindowOrFail(text: string): ResponseWindow {
  const parsed = parseResponseWindow(text);
  if (!parsed.ok) throw failure(FailureTypes.invalidInput, parsed.message);
  return parsed.window;
}
