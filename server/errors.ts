import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../services/errors';

/** The API's one error envelope: `{ error: { code, message, details } }`, messages in Spanish. */
export function errorEnvelope(error: AppError) {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No existe la ruta ${req.method} ${req.path}`));
};

export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error?.type === 'entity.parse.failed') appError = new AppError('invalid_input', 'El cuerpo de la solicitud no es JSON válido');
    else if (error?.type === 'entity.too.large') {
      appError = new AppError('invalid_input', 'El archivo o la solicitud es demasiado grande (máximo 10 MB)', [], 413);
    }
    else {
      log(`Error no controlado en ${req.method} ${req.path}`, error);
      appError = new AppError('internal', 'Ocurrió un error interno; el equipo técnico fue notificado en el registro del servidor.');
    }
    res.status(appError.httpStatus).json(errorEnvelope(appError));
  };
}
