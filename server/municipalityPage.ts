import express, { type RequestHandler, type Response } from 'express';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import { html, type SafeHtml } from '../mail/html';
import { AppError } from '../services/errors';
import { identitySourceLabels, municipalityName, type MunicipalityIdentity, parseIdentity, readIdentity, saveIdentity } from '../services/municipality';
import { sendPage } from './html';
import { formatShortDateTime as formatDateTime } from '../domain/format';

/**
 * The municipality's identity (name, DANE code): the administrators' page /admin/municipio and the
 * API (GET /api/municipality for every account, PUT for administrators). Pages show the name in
 * their header (`municipalityHeader`); exports and documents read it from the plan.
 */
export function createMunicipalityRouter({ db, auth, timeZone }: { db: Database; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const adminPage = auth.requireRolePage('admin');
  const actor = (res: Response) => String(res.locals.actor ?? 'anónimo');

  const show = async (req: express.Request, res: Response, problem?: AppError, values?: { name?: unknown; daneCode?: unknown }) => {
    const identity = await readIdentity(db);
    const csrf = auth.csrfToken(req);
    const saved = !problem && req.query.guardado === '1' ? html`<p class="ok" role="status">Se guardó el municipio.</p>` : '';
    const body = html`${saved}${municipalityPage(identity, csrf, (iso) => formatDateTime(iso, timeZone), problem, values)}`;
    // The header shows the name just saved.
    if (identity) res.locals.municipality = identity.name;
    sendPage(res, 'Municipio', body.toString(), { csrf, current: '/admin/municipio' }, problem?.httpStatus ?? 200);
  };

  router.get('/admin/municipio', adminPage, (req, res) => show(req, res));
  router.post('/admin/municipio', adminPage, async (req, res) => {
    const body = (req.body ?? {}) as { name?: unknown; daneCode?: unknown };
    try {
      await saveIdentity(db, parseIdentity(body), 'page', actor(res));
      res.redirect(303, '/admin/municipio?guardado=1');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await show(req, res, error, body);
    }
  });

  router.get('/api/municipality', auth.requireRole('viewer'), async (_req, res) => {
    res.json((await readIdentity(db)) ?? { name: null, daneCode: null, source: null, updatedAt: null });
  });
  router.put('/api/municipality', auth.requireRole('admin'), async (req, res) => {
    res.json(await saveIdentity(db, parseIdentity(req.body), 'page', actor(res)));
  });
  return router;
}

/** Puts the municipality's name in res.locals for the pages' header (cached a few seconds). */
export const municipalityHeader =
  (db: Database): RequestHandler =>
  (req, res, next) => {
    if (req.path.startsWith('/api/')) return next();
    municipalityName(db).then(
      (name) => {
        res.locals.municipality = name;
        next();
      },
      // The header can do without it; the page itself reports a database problem.
      () => next(),
    );
  };

function municipalityPage(
  identity: MunicipalityIdentity | null,
  csrf: string,
  when: (iso: string) => string,
  problem?: AppError,
  values?: { name?: unknown; daneCode?: unknown },
): SafeHtml {
  const name = typeof values?.name === 'string' ? values.name : (identity?.name ?? '');
  const daneCode = typeof values?.daneCode === 'string' ? values.daneCode : (identity?.daneCode ?? '');
  const current = identity
    ? html`<p>Municipio actual: <strong>${identity.name}</strong> (código DANE ${identity.daneCode}), definido en ${identitySourceLabels[identity.source]} el ${when(identity.updatedAt)}.</p>`
    : html`<p>Todavía no se ha definido el municipio: se toma de los títulos del Plan Indicativo (p. ej. «MUNICIPIO DE PASTO – NARIÑO», «Código DANE: 52001») o de la configuración (<code>MUNICIPALITY_NAME</code>, <code>MUNICIPALITY_DANE_CODE</code>).</p>`;
  const error = problem
    ? html`<div class="error" role="alert"><p>${problem.message}</p>${problem.details.length ? html`<ul>${problem.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`
    : '';
  return html`<h1>Municipio</h1>
${error}${current}
<p>El nombre aparece en el encabezado de las páginas, en las hojas de cálculo exportadas y en los documentos (PDF). Lo que se defina aquí no lo reemplaza el nombre escrito en un archivo importado.</p>
<form method="post" action="/admin/municipio">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="municipio-nombre">Nombre del municipio</label><input id="municipio-nombre" name="name" required minlength="2" maxlength="120" value="${name}" placeholder="Pasto">
<label for="municipio-dane">Código DANE (5 dígitos)</label><input id="municipio-dane" name="daneCode" required pattern="[0-9]{5}" inputmode="numeric" maxlength="5" value="${daneCode}" placeholder="52001">
<p><button type="submit">Guardar</button></p>
</form>`;
}
