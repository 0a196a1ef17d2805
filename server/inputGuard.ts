import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { describeUnsafeInput, findUnsafeInput } from '../domain/inputText';
import { AppError } from '../services/errors';

declare module 'node:http' {
  interface IncomingMessage {
    /** The body's bytes as they arrived (JSON and form bodies), kept for the records that store them. */
    rawBody?: Buffer;
  }
}

/** For express.json / express.urlencoded `verify`: keeps the bytes as they arrived. */
export const keepRawBody = (req: IncomingMessage, _res: unknown, buffer: Buffer) => {
  req.rawBody = buffer;
};

const bodyMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

export interface InputGuardOptions {
  /** Routes that read their body themselves (file uploads): any content type passes. */
  ownBody: (req: Request) => boolean;
  /**
   * Routes that store what arrived before refusing it (the liaison's response): characters are
   * checked there, so the refused submission is kept and named; nesting is still limited here.
   */
  storesRefused: (req: Request) => boolean;
}

/**
 * The edge check of every JSON and form body and every query string (after the body parsers):
 * a body of another type is a 415, control characters, broken Unicode and nesting deeper than
 * MAX_INPUT_DEPTH a 400 naming the field, all in Spanish through the error envelope.
 */
export function guardInput({ ownBody, storesRefused }: InputGuardOptions): RequestHandler {
  return (req, _res, next) => {
    if (bodyMethods.has(req.method) && hasBody(req) && req.body === undefined && !ownBody(req)) {
      const type = String(req.headers['content-type'] ?? 'ninguno').split(';')[0]?.trim().slice(0, 80);
      throw new AppError(
        'invalid_input',
        `Tipo de contenido no admitido (${type}): envíe JSON (application/json) o un formulario (application/x-www-form-urlencoded).`,
        [],
        415,
      );
    }
    const inQuery = findUnsafeInput(req.query);
    if (inQuery) throw new AppError('invalid_input', `Parámetros de la dirección inválidos: ${describeUnsafeInput(inQuery)}`);
    if (req.body !== undefined) {
      const problem = findUnsafeInput(req.body, { text: !storesRefused(req) });
      if (problem) throw new AppError('invalid_input', describeUnsafeInput(problem));
    }
    next();
  };
}
