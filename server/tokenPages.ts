import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Auth } from '../auth';
import type { AppServices } from '../services/appServices';
import { describeIssues } from '../domain/review';
import { AppError } from '../services/errors';
import { sendPage } from './html';
import { allTokensPage, ownTokensPage, type TokenNotice } from './views/tokens';
import { formatShortDateTime as formatDateTime } from '../domain/format';

const tokenIdOf = (req: Request) => {
  const id = Number(req.params.tokenId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('invalid_input', `Identificador de token inválido: ${String(req.params.tokenId)}`);
  return id;
};

/**
 * API tokens in the browser: everyone sees, creates and revokes their own at /cuenta/tokens;
 * administrators see and revoke every account's at /admin/tokens. A new token is shown once.
 */
export function createTokenPagesRouter({ apiTokens, auth, timeZone }: { apiTokens: AppServices['apiTokens']; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const when = (iso: string) => formatDateTime(iso, timeZone);

  const createForm = z.object({
    nombre: z.string({ message: 'nombre: es obligatorio' }).trim().min(1, 'nombre: es obligatorio').max(100, 'nombre: máximo 100 caracteres'),
    dias: z.coerce
      .number({ message: 'vigencia: un número de días' })
      .int('vigencia: un número entero de días')
      .min(1, 'vigencia: al menos 1 día')
      .max(auth.apiTokenDays, `vigencia: como máximo ${auth.apiTokenDays} días`),
  });

  const ownPage = async (req: Request, res: Response, { notice, errors = [] as string[], name = '', status = 200 }: { notice?: TokenNotice; errors?: string[]; name?: string; status?: number } = {}) => {
    const csrf = auth.csrfToken(req);
    const tokens = await apiTokens.list({ userId: res.locals.user!.id });
    sendPage(res, 'Tokens de acceso', ownTokensPage({ tokens, csrf, maxDays: auth.apiTokenDays, when, notice, errors, name }), { csrf, current: '/cuenta/tokens' }, status);
  };

  router.get('/cuenta/tokens', auth.requireRolePage('viewer'), async (req, res) => {
    await ownPage(req, res);
  });

  router.post('/cuenta/tokens', auth.requireRolePage('viewer'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = createForm.safeParse(body);
    if (!parsed.success) {
      return ownPage(req, res, { errors: describeIssues(parsed.error), name: typeof body.nombre === 'string' ? body.nombre : '', status: 400 });
    }
    const user = res.locals.user!;
    const created = await apiTokens.create({ userId: user.id, name: parsed.data.nombre, days: parsed.data.dias }, { by: String(res.locals.actor) });
    await ownPage(req, res, {
      status: 201,
      notice: { kind: 'created', name: created.name, expiresAt: created.expiresAt, token: created.token },
    });
  });

  router.post('/cuenta/tokens/:tokenId/revocar', auth.requireRolePage('viewer'), async (req, res) => {
    const id = tokenIdOf(req);
    const revoked = await apiTokens.revoke(id, { by: String(res.locals.actor), ownerId: res.locals.user!.id });
    if (!revoked) {
      return ownPage(req, res, { notice: { kind: 'notRevoked', id, own: true }, status: 404 });
    }
    await ownPage(req, res, { notice: { kind: 'revoked', id } });
  });

  const adminPage = async (req: Request, res: Response, { notice, status = 200 }: { notice?: TokenNotice; status?: number } = {}) => {
    const csrf = auth.csrfToken(req);
    const tokens = await apiTokens.list({});
    sendPage(res, 'Tokens de todas las cuentas', allTokensPage({ tokens, csrf, when, notice }), { csrf, current: '/admin/tokens' }, status);
  };

  router.get('/admin/tokens', auth.requireRolePage('admin'), async (req, res) => {
    await adminPage(req, res);
  });

  router.post('/admin/tokens/:tokenId/revocar', auth.requireRolePage('admin'), async (req, res) => {
    const id = tokenIdOf(req);
    const revoked = await apiTokens.revoke(id, { by: String(res.locals.actor) });
    await adminPage(req, res, {
      notice: revoked ? { kind: 'revoked', id } : { kind: 'notRevoked', id, own: false },
      status: revoked ? 200 : 404,
    });
  });

  return router;
}
