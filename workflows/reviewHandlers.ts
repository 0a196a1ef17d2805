import { condition, setHandler } from '@temporalio/workflow';
import {
  coordinatorActionSchema,
  coordinatorNoteSchema,
  deadlineExtensionSchema,
  decisionSchema,
  describeIssues,
  describeSubmissionIssues,
  responseSubmissionSchema,
  reviewCancellationSchema,
} from '../domain/review';
import { parseResponseWindow, type ResponseWindow } from '../domain/responseWindow';
import { workflowNow } from './clock';
import { failure, FailureTypes } from './failures';
import { addNoteUpdate, cancelReviewUpdate, decideUpdate, extendDeadlineUpdate, resendAlertUpdate, reviewStateQuery, submitResponseUpdate } from './messages';
import type { ReviewDriver } from './reviewDriver';
import { localActivities } from './reviewEffects';
import { assertOpenPeriods, assertValidResponse } from './responseChecks';
import type { DepartmentReviewInput } from './types';

/**
 * The review's query and updates. Each update validates its input (before it enters history),
 * sends the machine its event and answers with the resulting view; the machine decides what is
 * allowed and the driver performs the effects.
 */
export function registerReviewHandlers(review: ReviewDriver, input: DepartmentReviewInput): void {
  setHandler(reviewStateQuery, () => review.view());

  setHandler(
    submitResponseUpdate,
    async (submission) => {
      const { respondent, answers } = responseSubmissionSchema.parse(submission);
      if (!(await review.send({ type: 'response.submitted', respondent, answers }))) assertAwaitingResponse(review, 'responder');
      return review.view();
    },
    {
      validator: (submission) => {
        assertAwaitingResponse(review, 'responder');
        // The decision date is the submission's workflow time (deterministic; validators never replay).
        assertValidResponse(review, input.fiscalYear, submission, workflowNow());
      },
    },
  );

  setHandler(
    decideUpdate,
    async (decision) => {
      if (!(await review.send({ type: 'decision.made', decision: decisionSchema.parse(decision) }))) assertCanDecide(review);
      // Answer once the main flow has acted on it, so the caller sees the resulting state.
      await condition(() => review.state !== 'approving' && review.state !== 'requestingChanges');
      return review.view();
    },
    {
      validator: (decision) => {
        assertCanDecide(review);
        const parsed = decisionSchema.safeParse(decision);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La decisión tiene errores', describeIssues(parsed.error));
        if (parsed.data.decision === 'requestChanges' && parsed.data.window) parseWindowOrFail(parsed.data.window);
        if (parsed.data.decision === 'approve') {
          // An answer accepted before the limits of domain/numbers.ts existed cannot be applied.
          const answers = review.goalViews().flatMap((g) => (g.answer ? [g.answer] : []));
          const checked = responseSubmissionSchema.safeParse({ respondent: { name: 'enlace' }, answers });
          if (!checked.success) {
            throw failure(
              FailureTypes.invalidInput,
              'La respuesta registrada tiene valores que no se pueden aplicar; solicite ajustes a la dependencia',
              describeSubmissionIssues(checked.error, { answers }),
            );
          }
          // A quarter that elapsed since the answer came cannot be reprogrammed any more.
          assertOpenPeriods(review.goalViews(), input.fiscalYear, answers, workflowNow());
        }
      },
    },
  );

  setHandler(
    extendDeadlineUpdate,
    async (extension) => {
      const parsed = deadlineExtensionSchema.parse(extension);
      const extended = async () => {
        const from = review.context.deadline ?? workflowNow().toISOString();
        const { deadline } = await localActivities.computeDeadline({ window: parseWindowOrFail(parsed.window), from });
        return { type: 'deadline.extended' as const, deadline, reason: `${parsed.reason} (${parsed.coordinator})` };
      };
      if (!(await review.send(extended))) {
        throw failure(FailureTypes.notAwaitingResponse, 'El plazo venció mientras se procesaba la ampliación');
      }
      return review.view();
    },
    {
      validator: (extension) => {
        assertAwaitingResponse(review, 'ampliar el plazo');
        const parsed = deadlineExtensionSchema.safeParse(extension);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La ampliación tiene errores', describeIssues(parsed.error));
      },
    },
  );

  setHandler(
    resendAlertUpdate,
    async (action) => {
      const { coordinator } = coordinatorActionSchema.parse(action);
      if (!(await review.send({ type: 'alert.resent', coordinator }))) assertAwaitingResponse(review, 'reenviar la alerta');
      return review.view();
    },
    {
      validator: (action) => {
        assertAwaitingResponse(review, 'reenviar la alerta');
        const parsed = coordinatorActionSchema.safeParse(action);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'Datos inválidos', describeIssues(parsed.error));
      },
    },
  );

  const noMoreNotes = () => failure(FailureTypes.notAwaitingResponse, 'La revisión ya terminó; no admite notas');
  setHandler(
    addNoteUpdate,
    async (note) => {
      const { coordinator, text } = coordinatorNoteSchema.parse(note);
      if (!(await review.send({ type: 'note.added', coordinator, text, at: workflowNow().toISOString() }))) throw noMoreNotes();
      return review.view();
    },
    {
      validator: (note) => {
        if (review.done) throw noMoreNotes();
        const parsed = coordinatorNoteSchema.safeParse(note);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La nota tiene errores', describeIssues(parsed.error));
      },
    },
  );

  setHandler(
    cancelReviewUpdate,
    async (request) => {
      const { cancelledBy, reason } = reviewCancellationSchema.parse(request);
      if (!(await review.send({ type: 'review.cancelled', reason, by: cancelledBy, at: workflowNow().toISOString() }))) assertCanCancel(review);
      return review.view();
    },
    {
      validator: (request) => {
        assertCanCancel(review);
        const parsed = reviewCancellationSchema.safeParse(request);
        if (!parsed.success) throw failure(FailureTypes.invalidInput, 'La cancelación tiene errores', describeIssues(parsed.error));
      },
    },
  );
}

const applyingDecision = (review: ReviewDriver) => review.state === 'approving' || review.state === 'requestingChanges';

function assertCanDecide(review: ReviewDriver) {
  if (review.state === 'cancelled') throw failure(FailureTypes.notAwaitingResponse, 'No es posible decidir: la revisión ya terminó (fue cancelada)');
  if (!review.can({ type: 'decision.made', decision: { decision: 'approve', coordinator: '' } })) {
    const state = applyingDecision(review) ? 'underAgreement' : review.view().state;
    throw failure(FailureTypes.noResponseToDecide, `No hay una respuesta de la dependencia pendiente de decisión (estado actual: ${state})`);
  }
}

function assertCanCancel(review: ReviewDriver) {
  if (review.done) throw failure(FailureTypes.notAwaitingResponse, 'La revisión ya terminó; no es posible cancelarla');
  if (applyingDecision(review)) {
    throw failure(FailureTypes.notAwaitingResponse, 'Se está aplicando una decisión de la coordinación; no es posible cancelar ahora');
  }
  if (review.state !== 'underAgreement') assertAwaitingResponse(review, 'cancelar la revisión');
}

/** The liaison may act only while the response window is open; each refusal says why, in Spanish. */
function assertAwaitingResponse(review: ReviewDriver, what: string) {
  const state = review.state;
  const deadline = review.context.deadline;
  if (state === 'noAdjustment' || (state === 'awaitingResponse' && deadline && Date.parse(deadline) <= workflowNow().getTime())) {
    throw failure(
      FailureTypes.deadlinePassed,
      `El plazo para responder venció (${deadline ?? 'sin plazo'}); no es posible ${what}. Se registra la constancia de negativa de ajustes.`,
    );
  }
  if (state !== 'awaitingResponse') {
    const reason =
      state === 'alerting' || state === 'alerted'
        ? 'la revisión aún no ha abierto el plazo de respuesta'
        : state === 'cancelled'
          ? 'la revisión ya terminó (fue cancelada)'
          : `la dependencia ya respondió (estado: ${review.view().state})`;
    throw failure(FailureTypes.notAwaitingResponse, `No es posible ${what}: ${reason}`);
  }
}

export function parseWindowOrFail(text: string): ResponseWindow {
  const parsed = parseResponseWindow(text);
  if (!parsed.ok) throw failure(FailureTypes.invalidInput, parsed.message);
  return parsed.window;
}
