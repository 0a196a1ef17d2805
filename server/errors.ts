import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, isTemporalUnavailable, temporalUnavailableError } from '../services/errors';
import { sizeWords } from '../domain/inputText';

/** The API's one error envelope: `{ error: { code, message, details } }`, messages in Spanish. */
export function errorEnvelope(error: AppError) {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No existe la ruta ${req.method} ${req.path}`));
};

/** What a user is told about any error: our own errors as they are, body-parser's in Spanish, the rest hidden. */
export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  // Whatever route reached Temporal, an unreachable server is one clear 503.
  if (isTemporalUnavailable(error)) return temporalUnavailableError();
  const { type, limit, charset, encoding } = (error ?? {}) as { type?: string; limit?: number; charset?: string; encoding?: string };
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('invalid_input', 'El cuerpo de la solicitud no es válido (JSON o formulario mal formado)');
    case 'entity.too.large':
      return new AppError('invalid_input', `El archivo o la solicitud es demasiado grande${typeof limit === 'number' ? ` (máximo ${sizeWords(limit)})` : ''}`, [], 413);
    case 'parameters.too.many':
      return new AppError('invalid_input', 'El formulario tiene demasiados campos', [], 413);
    case 'charset.unsupported':
      return new AppError('invalid_input', `Juego de caracteres no admitido (${String(charset ?? '').slice(0, 40)}): envíe el texto en UTF-8`, [], 415);
    case 'encoding.unsupported':
      return new AppError('invalid_input', `Codificación del contenido no admitida (${String(encoding ?? '').slice(0, 40)})`, [], 415);
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('invalid_input', 'La solicitud llegó incompleta; envíela de nuevo');
    default:
      return null;
  }
}

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let appError = toAppError(error);
    if (!appError) {
      log(`Error no controlado en ${req.method} ${req.path}`, error);
      appError = new AppError('internal', 'Ocurrió un error interno; el equipo técnico fue notificado en el registro del servidor.');
    }
    res.status(appError.httpStatus).json(errorEnvelope(appError));
  };
}

