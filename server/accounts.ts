import express, { type Request } from 'express';
import { z } from 'zod';
import type { Auth, CreateUserInput } from '../auth';
import { BOOTSTRAP_HEADER, bootstrapMessages, crossSite } from '../auth/bootstrap';
import type { AppServices } from '../services/appServices';
import { describeIssues } from '../domain/review';
import { AppError } from '../services/errors';

const tokenRequest = z.object({
  email: z.string().trim().min(3, 'correo: es obligatorio'),
  password: z.string().min(1, 'contraseña: es obligatoria'),
  name: z.string().trim().min(1, 'nombre: de 1 a 100 caracteres').max(100, 'nombre: de 1 a 100 caracteres').default('línea de comandos'),
  /** Shorter than the installation's lifetime if wanted. */
  days: z.number().int('días: un número entero').min(1, 'días: al menos 1').optional(),
});

const tokenListQuery = z.object({ all: z.enum(['0', '1', 'true', 'false'], { message: 'all: use 1 o 0' }).optional() });

/**
 * Accounts over the API: the first administrator (once, with the installation code), API tokens
 * for scripts (issue, list, revoke), and the personal data an admin exports or removes.
 */
export function createAccountsRouter({ accounts, apiTokens, auth }: { accounts: AppServices['accounts']; apiTokens: AppServices['apiTokens']; auth: Auth }) {
  const router = express.Router();
  const userId = (req: Request) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('invalid_input', `Identificador de usuario inválido: ${req.params.id}`);
    return id;
  };

  router.post('/users', async (req, res, next) => {
    if (res.locals.user || !(await accounts.bootstrapOpen())) {
      // Someone still trying to install after the first administrator exists gets told so.
      if (!res.locals.user && req.get(BOOTSTRAP_HEADER) !== undefined) throw new AppError('conflict', bootstrapMessages.alreadyDone);
      return auth.requireRole('admin')(req, res, next);
    }
    // Bootstrap: the very first account, an administrator, with the one-time installation code.
    if (crossSite(req)) throw new AppError('forbidden', bootstrapMessages.foreignOrigin);
    if (!auth.bootstrap.active) throw new AppError('forbidden', bootstrapMessages.noToken);
    if (!auth.bootstrap.verify(req.get(BOOTSTRAP_HEADER))) throw new AppError('forbidden', bootstrapMessages.missingToken);
    const user = await accounts.createFirstAdministrator((req.body ?? {}) as CreateUserInput);
    await auth.bootstrap.discard();
    res.status(201).json(user);
  });
  router.post('/users', async (req, res) => {
    const user = await accounts.createUser(req.body, { by: String(res.locals.actor) });
    res.status(201).json(user);
  });

  /** A token for the command line or a script, in exchange for the account's password. */
  router.post('/auth/tokens', auth.loginRateLimit, async (req, res) => {
    const parsed = tokenRequest.safeParse(req.body);
    if (!parsed.success) throw new AppError('invalid_input', 'Datos inválidos', describeIssues(parsed.error));
    const result = await accounts.authenticate(parsed.data.email, parsed.data.password, { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 500) ?? null });
    if (!result.ok && result.reason === 'throttled') {
      res.setHeader('Retry-After', String(result.retryAfterSeconds));
      return void res.status(429).json({ error: { code: 'login_throttled', message: result.message, details: [] } });
    }
    if (!result.ok) throw new AppError('unauthenticated', result.message);
    const days = Math.min(parsed.data.days ?? auth.apiTokenDays, auth.apiTokenDays);
    res.status(201).json(await apiTokens.create({ userId: result.user.id, name: parsed.data.name, days }, { by: `user:${result.user.id}` }));
  });

  /** One's own tokens; `?all=1` every account's (administrators). */
  router.get('/auth/tokens', auth.requireRole('viewer'), async (req, res) => {
    const parsed = tokenListQuery.safeParse(req.query);
    if (!parsed.success) throw new AppError('invalid_input', 'Parámetros inválidos', describeIssues(parsed.error));
    const all = parsed.data.all === '1' || parsed.data.all === 'true';
    const user = res.locals.user!;
    if (all && user.role !== 'admin') throw new AppError('forbidden', 'Solo un administrador puede ver los tokens de todas las cuentas.');
    res.json({ tokens: await apiTokens.list(all ? {} : { userId: user.id }) });
  });

  /** `logout` of the command line: revokes the very token the request carries. */
  router.delete('/auth/tokens/current', auth.requireRole('viewer'), async (_req, res) => {
    const tokenId = res.locals.apiTokenId;
    if (tokenId === undefined) throw new AppError('invalid_input', 'Esta solicitud no usa un token de acceso (Authorization: Bearer …); no hay token que revocar.');
    await apiTokens.revoke(tokenId, { by: String(res.locals.actor), ownerId: res.locals.user!.id });
    res.json({ revoked: true, id: tokenId });
  });

  /** Revokes one of one's own tokens; administrators revoke anyone's. Someone else's token is a 404. */
  router.delete('/auth/tokens/:tokenId', auth.requireRole('viewer'), async (req, res) => {
    const tokenId = Number(req.params.tokenId);
    if (!Number.isSafeInteger(tokenId) || tokenId <= 0) throw new AppError('invalid_input', `Identificador de token inválido: ${req.params.tokenId}`);
    const user = res.locals.user!;
    const revoked = await apiTokens.revoke(tokenId, { by: String(res.locals.actor), ...(user.role === 'admin' ? {} : { ownerId: user.id }) });
    if (!revoked) throw new AppError('not_found', `No tiene un token activo con id ${tokenId} (no existe, ya fue revocado o es de otra cuenta).`);
    res.json({ revoked: true, id: tokenId });
  });

  router.get('/users/:id/personal-data', auth.requireRole('admin'), async (req, res) => {
    res.json(await accounts.exportPersonalData(userId(req), { by: String(res.locals.actor) }));
  });
  router.delete('/users/:id/personal-data', auth.requireRole('admin'), async (req, res) => {
    res.json(await accounts.removePersonalData(userId(req), { by: String(res.locals.actor) }));
  });

  return router;
}
