import type express from 'express';
import multer from 'multer';

/**
 * One file of a multipart form, parsed in memory within `limits`. A parse problem (too big, too
 * many fields) is kept in `res.locals.uploadProblem` for the route to word in Spanish after the
 * CSRF check, which can only run once the body is parsed.
 */
export function memoryUpload(field: string, limits: multer.Options['limits']): express.RequestHandler {
  const parse = multer({ storage: multer.memoryStorage(), defParamCharset: 'utf8', limits }).single(field);
  return (req, res, next) =>
    parse(req, res, (error: unknown) => {
      if (error) res.locals.uploadProblem = error;
      next();
    });
}
