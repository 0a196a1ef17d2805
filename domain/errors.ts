/**
 * The application's error type, low enough for every layer (imports, reports, auth, services) to
 * throw it; server/errors.ts turns it into the HTTP error envelope.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'year_outside_plan'
  | 'conflict'
  | 'deadline_passed'
  | 'unavailable'
  | 'unauthenticated'
  | 'forbidden'
  | 'internal';

/** An error meant for the user: a Spanish message, a stable code and the details that help fix it. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: string[] = [],
    readonly httpStatus = httpStatusOf(code),
  ) {
    super(message);
    this.name = 'AppError';
  }
}

function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'invalid_input':
    case 'year_outside_plan':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'deadline_passed':
      return 409;
    case 'unavailable':
      return 503;
    default:
      return 500;
  }
}
