import express, { type Request } from 'express';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { authenticate, createApiToken, createUser, exportPersonalData, removePersonalData, type Auth } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { describeIssues } from '../domain/review';
import { AppError } from '../services/errors';

const isLoopback = (req: Request) => ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');

const tokenRequest = z.object({
  email: z.string().trim().min(3, 'correo: es obligatorio'),
  password: z.string().min(1, 'contraseña: es obligatoria'),
  name: z.string().trim().min(1).max(100).default('línea de comandos'),
});

/**
 * Accounts over the API: the first administrator (only while there is no account, and only from
 * this machine), API tokens for scripts, and the personal data an admin exports or removes.
 */
export function createAccountsRouter({ db, auth }: { db: Database; auth: Auth }) {
  const router = express.Router();
  const userId = (req: Request) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('invalid_input', `Identificador de usuario inválido: ${req.params.id}`);
    return id;
  };

  router.post('/users', async (req, res, next) => {
    const [{ count } = { count: 0 }] = await db.select({ count: sql<number>`count(*)::int` }).from(t.users);
    if (count > 0) return auth.requireRole('admin')(req, res, next);
    // Bootstrap: the very first account is an administrator created from the server's own machine.
    if (!isLoopback(req)) throw new AppError('forbidden', 'El primer administrador solo se crea desde el mismo servidor');
    if ((req.body as { role?: string } | undefined)?.role !== 'admin') throw new AppError('invalid_input', 'La primera cuenta debe ser de administrador (--role admin)');
    next();
  });
  router.post('/users', async (req, res) => {
    const user = await createUser(db, req.body, { by: String(res.locals.actor ?? 'instalación') });
    res.status(201).json(user);
  });

  /** A token for the command line or a script, in exchange for the account's password. */
  router.post('/auth/tokens', auth.loginRateLimit, async (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_input', 'Datos inválidos', describeIssues(parsed.error));
    const result = await authenticate(db, parsed.data.email, parsed.data.password, { ip: req.ip ?? null });
    if (!result.ok) throw new AppError('unauthenticated', result.message);
    res.status(201).json(await createApiToken(db, { userId: result.user.id, name: parsed.data.name }, { by: `user:${result.user.id}` }));
  });

  router.get('/users/:id/personal-data', auth.requireRole('admin'), async (req, res) => {
    res.json(await exportPersonalData(db, userId(req), { by: String(res.locals.actor) }));
  });
  router.delete('/users/:id/personal-data', auth.requireRole('admin'), async (req, res) => {
    res.json(await removePersonalData(db, userId(req), { by: String(res.locals.actor) }));
  });

  return router;
}
