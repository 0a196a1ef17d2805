import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenSummary, type Auth } from '../auth';
import type { Database } from '../db/client';
import { describeIssues } from '../domain/review';
import { AppError } from '../services/errors';
import { escapeHtml, sendPage } from './html';
import { formatShortDateTime as formatDateTime } from '../domain/format';

const stateLabels: Record<ApiTokenSummary['state'], string> = { active: 'Vigente', expired: 'Vencido', revoked: 'Revocado' };

const tokenIdOf = (req: Request) => {
  const id = Number(req.params.tokenId);
  if (!Number.isSafeInteger(id) || id <= 0) throw new AppError('invalid_input', `Identificador de token inválido: ${String(req.params.tokenId)}`);
  return id;
};

/**
 * API tokens in the browser: everyone sees, creates and revokes their own at /cuenta/tokens;
 * administrators see and revoke every account's at /admin/tokens. A new token is shown once.
 */
export function createTokenPagesRouter({ db, auth, timeZone }: { db: Database; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const when = (iso: string | null, none = '—') => (iso ? escapeHtml(formatDateTime(iso, timeZone)) : none);

  const createForm = z.object({
    nombre: z.string({ message: 'nombre: es obligatorio' }).trim().min(1, 'nombre: es obligatorio').max(100, 'nombre: máximo 100 caracteres'),
    dias: z.coerce
      .number({ message: 'vigencia: un número de días' })
      .int('vigencia: un número entero de días')
      .min(1, 'vigencia: al menos 1 día')
      .max(auth.apiTokenDays, `vigencia: como máximo ${auth.apiTokenDays} días`),
  });

  const table = (tokens: ApiTokenSummary[], csrf: string, { all }: { all: boolean }) => {
    if (!tokens.length) return '<p>No hay tokens.</p>';
    const action = all ? '/admin/tokens' : '/cuenta/tokens';
    const rows = tokens
      .map(
        (tk) => `<tr><td class="num">${tk.id}</td>${all ? `<td>${escapeHtml(tk.userName)}<br><small>${escapeHtml(tk.userEmail)}</small></td>` : ''}<td>${escapeHtml(tk.name)}</td>
<td><span class="badge">${escapeHtml(stateLabels[tk.state])}</span>${tk.revokedAt ? `<br><small>${when(tk.revokedAt)}</small>` : ''}</td>
<td>${when(tk.createdAt)}</td><td>${when(tk.expiresAt)}</td><td>${when(tk.lastUsedAt, 'Nunca')}</td>
<td>${
          tk.state === 'revoked'
            ? ''
            : `<form method="post" action="${action}/${tk.id}/revocar" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit" class="danger">Revocar</button></form>`
        }</td></tr>`,
      )
      .join('\n');
    return `<div class="table-wrap"><table><thead><tr><th class="num">#</th>${all ? '<th>Cuenta</th>' : ''}<th>Nombre</th><th>Estado</th><th>Creado</th><th>Vence</th><th>Último uso</th><th></th></tr></thead>
<tbody>${rows}</tbody></table></div>
<p><small>El último uso se actualiza como máximo una vez por minuto.</small></p>`;
  };

  const ownPage = async (req: Request, res: Response, { notice = '', errors = [] as string[], name = '', status = 200 } = {}) => {
    const csrf = auth.csrfToken(req);
    const tokens = await listApiTokens(db, { userId: res.locals.user!.id });
    const errorList = errors.length ? `<div class="error" role="alert"><ul>${errors.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>` : '';
    sendPage(
      res,
      'Tokens de acceso',
      `<h1>Mis tokens de acceso</h1>
<p>Los tokens permiten a la línea de comandos (<code>npm run metas -- login</code>) y a otros programas usar la API con su cuenta
(<code>Authorization: Bearer …</code>). Vencen a los ${auth.apiTokenDays} días como máximo. Revoque los que ya no use.</p>
${notice}${errorList}
${table(tokens, csrf, { all: false })}
<h2>Nuevo token</h2>
<form method="post" action="/cuenta/tokens">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="nombre">Nombre (para reconocerlo)</label><input id="nombre" name="nombre" maxlength="100" required value="${escapeHtml(name)}" placeholder="Importación nocturna">
<label for="dias">Vigencia (días)</label><input id="dias" name="dias" inputmode="numeric" value="${auth.apiTokenDays}">
<p><button type="submit">Crear token</button></p>
</form>`,
      { csrf, current: '/cuenta/tokens' },
      status,
    );
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
    const created = await createApiToken(db, { userId: user.id, name: parsed.data.nombre, days: parsed.data.dias }, { by: String(res.locals.actor) });
    await ownPage(req, res, {
      status: 201,
      notice: `<div class="ok" role="status"><p>Token «${escapeHtml(created.name)}» creado; vence el ${when(created.expiresAt)}. Cópielo ahora: no se vuelve a mostrar.</p>
<pre id="nuevo-token">${escapeHtml(created.token)}</pre></div>`,
    });
  });

  router.post('/cuenta/tokens/:tokenId/revocar', auth.requireRolePage('viewer'), async (req, res) => {
    const id = tokenIdOf(req);
    const revoked = await revokeApiToken(db, id, { by: String(res.locals.actor), ownerId: res.locals.user!.id });
    if (!revoked) {
      return ownPage(req, res, { errors: [`No tiene un token vigente con el número ${id} (no existe, ya fue revocado o es de otra cuenta).`], status: 404 });
    }
    await ownPage(req, res, { notice: `<p class="ok" role="status">Token #${id} revocado.</p>` });
  });

  const adminPage = async (req: Request, res: Response, { notice = '', status = 200 } = {}) => {
    const csrf = auth.csrfToken(req);
    const tokens = await listApiTokens(db, {});
    sendPage(
      res,
      'Tokens de todas las cuentas',
      `<h1>Tokens de acceso de todas las cuentas</h1>${notice}${table(tokens, csrf, { all: true })}`,
      { csrf, current: '/admin/tokens' },
      status,
    );
  };

  router.get('/admin/tokens', auth.requireRolePage('admin'), async (req, res) => {
    await adminPage(req, res);
  });

  router.post('/admin/tokens/:tokenId/revocar', auth.requireRolePage('admin'), async (req, res) => {
    const id = tokenIdOf(req);
    const revoked = await revokeApiToken(db, id, { by: String(res.locals.actor) });
    await adminPage(req, res, {
      notice: revoked ? `<p class="ok" role="status">Token #${id} revocado.</p>` : `<p class="error" role="alert">No hay un token vigente con el número ${id}.</p>`,
      status: revoked ? 200 : 404,
    });
  });

  return router;
}
