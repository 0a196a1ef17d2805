import { ActivityFailure, ApplicationFailure, patched, upsertSearchAttributes } from '@temporalio/workflow';
import {
  advanceReview,
  allowedReviewActions,
  reviewOutcome,
  reviewStateOf,
  shownReviewState,
  startReview,
  type ReviewEffect,
  type ReviewSnapshot,
  type ReviewStep,
} from '../machines/departmentReview';
import type { DepartmentReviewEvent } from '../machines/departmentReviewMachine';
import { workflowNow } from './clock';
import { FailureTypes } from './failures';
import { Patches } from './patches';
import type { EffectTable } from './reviewEffects';
import { localActivities } from './reviewEffects';
import { ReviewStatus } from './searchAttributes';
import type { DepartmentReviewInput, GoalView, ReviewAction, ReviewView } from './types';

/**
 * Drives the department-review machine inside the workflow: one event at a time (updates and the
 * main flow queue behind each other), each step's goal states written, then the effects the
 * machine named performed from the effect table. An effect that finds the department's data
 * unusable (InvalidStoredData) is answered with `data.invalid`, which ends the review visibly.
 */
export class ReviewDriver {
  private snapshot: ReviewSnapshot;
  private pending: ReviewEffect[];
  private queue: Promise<unknown> = Promise.resolve();
  private recordedSteps = 0;
  private recorded: { state: string; deadline: string | null } | null = null;

  constructor(
    private readonly input: DepartmentReviewInput,
    readonly reviewWorkflowId: string,
    private readonly effectsFor: (review: ReviewDriver) => EffectTable,
  ) {
    const start = startReview({ goals: input.goals.map(({ goalCode, state }) => ({ goalCode, state })) });
    this.snapshot = start.snapshot;
    this.pending = start.effects;
  }

  get state() {
    return reviewStateOf(this.snapshot);
  }
  get context() {
    return this.snapshot.context;
  }
  get done(): boolean {
    return this.snapshot.status === 'done';
  }
  get outcome() {
    return reviewOutcome(this.snapshot);
  }

  can(event: DepartmentReviewEvent): boolean {
    return this.snapshot.can(event);
  }

  /** Performs the effects of the initial state (the alert is recorded). */
  start(): Promise<void> {
    const effects = this.pending;
    this.pending = [];
    return this.enqueue(() => this.perform(effects));
  }

  /**
   * Sends an event once the events before it are handled; false when the machine refused it. An
   * event that needs an activity first (a deadline to compute) is built in its turn, so no two
   * coroutines ever wait on activities at once: replay then meets the commands in the same order.
   */
  send(event: DepartmentReviewEvent | (() => Promise<DepartmentReviewEvent>)): Promise<boolean> {
    return this.enqueue(async () => this.apply(typeof event === 'function' ? await event() : event));
  }

  /** Runs work that calls activities in the queue's turn (see `send`). */
  inTurn<T>(work: () => Promise<T>): Promise<T> {
    return this.enqueue(work);
  }

  /** Resolves once every event sent so far has been handled and its effects performed. */
  settled(): Promise<void> {
    return this.enqueue(async () => undefined);
  }

  allowedActions(): ReviewAction[] {
    return allowedReviewActions(this.snapshot);
  }

  goalViews(): GoalView[] {
    return this.input.goals.map((goal) => {
      const state = this.context.goals.byCode[goal.goalCode]?.state ?? goal.state;
      return {
        goalCode: goal.goalCode,
        name: goal.name,
        state: state.value,
        status: state.context.status,
        measurement: state.context.measurement,
        programming: goal.programming,
        term: goal.term ?? null,
        answer: state.context.answer,
      };
    });
  }

  view(): ReviewView {
    const c = this.context;
    return {
      workflowId: this.reviewWorkflowId,
      cycleWorkflowId: this.input.cycleWorkflowId,
      fiscalYear: this.input.fiscalYear,
      quarter: this.input.quarter,
      department: this.input.department,
      state: shownReviewState(this.state),
      deadline: c.deadline,
      alertedAt: c.alertedAt,
      round: c.round,
      respondent: c.respondent,
      changeRequests: c.changeRequests,
      remindersSent: c.remindersSent,
      extensions: c.extensions,
      notes: c.notes,
      cancellation: c.cancellation,
      dataError: c.dataError,
      allowedActions: this.allowedActions(),
      goals: this.goalViews(),
      outcome: this.outcome,
    };
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(event: DepartmentReviewEvent): Promise<boolean> {
    const step: ReviewStep = advanceReview(this.snapshot, event);
    if (!step.accepted) return false;
    this.snapshot = step.snapshot;
    await this.persist();
    await this.perform(step.effects);
    return true;
  }

  private async perform(effects: ReviewEffect[]): Promise<void> {
    const table = this.effectsFor(this);
    for (const effect of effects) {
      let answer: DepartmentReviewEvent | void;
      try {
        answer = await (table[effect.type] as (params: unknown) => Promise<DepartmentReviewEvent | void>)(effect.params);
      } catch (error) {
        const refused = refusedMail(error);
        if (refused !== null && patched(Patches.undeliverableMail)) {
          // The review goes on; the coordinator sees why the department got no e-mail (the outbox keeps it as failed).
          const note = { coordinator: 'Sistema de correo', text: `No se pudo entregar el correo (${mailPurposes[effect.type] ?? effect.type}): ${refused}`, at: workflowNow().toISOString() };
          // A review that already ended (the constancia's or the cancellation's e-mail) takes no note: it is recorded directly.
          if (!(await this.apply({ type: 'note.added', ...note }))) await table.recordNote({ sequence: this.context.notes.length + 1, ...note });
          continue;
        }
        const invalid = invalidStoredData(error);
        // A review that already ended (or cannot end with a data error) fails as before.
        if (!invalid || !(await this.apply({ type: 'data.invalid', ...invalid, at: workflowNow().toISOString() }))) throw error;
        return;
      }
      if (answer) await this.apply(answer);
    }
  }

  /** Writes the goal steps not yet written and keeps the ReviewStatus search attribute current. */
  private async persist(): Promise<void> {
    const shown = shownReviewState(this.state);
    const { deadline, goals } = this.context;
    const steps = goals.steps.slice(this.recordedSteps);
    if (!steps.length && this.recorded?.state === shown && this.recorded.deadline === deadline) return;
    const thresholds = Object.values(goals.byCode)[0]?.state.context.thresholds;
    try {
      await localActivities.recordGoalStates({ reviewWorkflowId: this.reviewWorkflowId, status: shown, deadline, thresholds, steps });
    } catch (error) {
      // Steps built from unusable numbers may not replay in the activity; the data error is recorded anyway.
      if (this.state !== 'dataError') throw error;
    }
    this.recordedSteps = goals.steps.length;
    this.recorded = { state: shown, deadline };
    upsertSearchAttributes([{ key: ReviewStatus, value: shown }]);
  }
}

/** What the e-mail effects send, in the coordinator's words. */
const mailPurposes: Partial<Record<string, string>> = {
  sendAlertEmail: 'alerta',
  sendReminderEmail: 'recordatorio',
  resendAlertEmail: 'alerta reenviada',
  sendResponseReceipt: 'acuse de recibo',
  sendChangesRequested: 'solicitud de ajustes',
  recordNoAdjustment: 'constancia de negativa',
  recordCancellation: 'aviso de cancelación',
};

/** The mail server's reason when an activity failed with MailRejected (never retried), or null. */
export function refusedMail(error: unknown): string | null {
  const cause = error instanceof ActivityFailure ? error.cause : null;
  return cause instanceof ApplicationFailure && cause.type === FailureTypes.mailRejected ? cause.message : null;
}

/** The reason and problems of an InvalidStoredData failure raised by an activity, or null for any other error. */
export function invalidStoredData(error: unknown): { reason: string; problems: string[] } | null {
  const cause = error instanceof ActivityFailure ? error.cause : null;
  if (!(cause instanceof ApplicationFailure) || cause.type !== FailureTypes.invalidStoredData) return null;
  const details = cause.details?.[0];
  return { reason: cause.message, problems: Array.isArray(details) ? details.map(String) : [] };
}
