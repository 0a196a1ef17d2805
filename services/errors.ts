import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, type ErrorCode } from '../domain/errors';
import { FailureTypes, type FailureType } from '../workflows/failures';

export { AppError, type ErrorCode } from '../domain/errors';

const codeOfFailure: Record<FailureType, ErrorCode> = {
  [FailureTypes.invalidInput]: 'invalid_input',
  [FailureTypes.unknownGoal]: 'invalid_input',
  [FailureTypes.notAwaitingResponse]: 'conflict',
  [FailureTypes.noResponseToDecide]: 'conflict',
  [FailureTypes.deadlinePassed]: 'deadline_passed',
  [FailureTypes.noGoalsForQuarter]: 'year_outside_plan',
  [FailureTypes.termTargetChanged]: 'invalid_input',
  [FailureTypes.closedPeriod]: 'invalid_input',
  [FailureTypes.invalidStoredData]: 'invalid_input',
  [FailureTypes.mailRejected]: 'invalid_input',
};

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * True when an error (or one of its causes) says Temporal could not be reached or did not answer
 * in time: gRPC UNAVAILABLE / DEADLINE_EXCEEDED, or the client failing to connect.
 */
export function isTemporalUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, details, message, name } = current as { code?: unknown; details?: unknown; message?: unknown; name?: unknown };
    if ((code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED) && details !== undefined) return true;
    if (name === 'ServiceError' && typeof message === 'string' && /Failed to connect/.test(message)) return true;
    if (name === 'TransportError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** What every request that needs Temporal answers while it is down: 503, never a hang or a generic 500. */
export function temporalUnavailableError(): AppError {
  return new AppError(
    'unavailable',
    'El motor de flujos (Temporal) no está disponible en este momento. Intente de nuevo en unos minutos; si persiste, avise al administrador (el estado se ve en /health).',
  );
}

/** Turns Temporal's errors (a rejected update, a missing workflow) into user-facing errors. */
export function fromTemporalError(error: unknown, what: string): AppError | unknown {
  if (isTemporalUnavailable(error)) return temporalUnavailableError();
  if (error instanceof WorkflowNotFoundError) return new AppError('not_found', `No existe ${what}`);
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const details = Array.isArray(failure.details?.[0]) ? (failure.details[0] as string[]) : [];
    return new AppError(codeOfFailure[failure.type as FailureType] ?? 'invalid_input', failure.message, details);
  }
  return error;
}
