import express, { type Request, type Response } from 'express';
import { inArray } from 'drizzle-orm';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { goalStatusLabels } from '../domain/goals';
import { goalStateLabels } from '../machines/goalStatus';
import type { CycleService } from '../services/cycles';
import { AppError } from '../services/errors';
import type { ReviewView } from '../domain/reviewViews';
import { escapeHtml, sendPage } from './html';

const waitingStates = ['underAgreement', 'awaitingResponse'] as const;

/**
 * The coordinator's inbox (PE-P-008 task 5): responses waiting for agreement, with the programming
 * before and after side by side, and the reviews still waiting for an answer. Every action is an
 * update on the running workflow; the page shows the workflow's own state.
 */
export function createCoordinationRouter({ db, cycles, auth, timeZone }: { db: Database; cycles: CycleService; auth: Auth; timeZone: string }) {
  const router = express.Router();

  async function inbox(): Promise<ReviewView[]> {
    const rows = await db
      .select({ workflowId: t.departmentReviews.workflowId })
      .from(t.departmentReviews)
      .where(inArray(t.departmentReviews.status, [...waitingStates]))
      .orderBy(t.departmentReviews.workflowId);
    const views = await Promise.all(rows.map((r) => cycles.reviewStatus(r.workflowId).catch(() => null)));
    return views.filter((v): v is ReviewView => v !== null && (waitingStates as readonly string[]).includes(v.status));
  }

  router.get('/api/inbox', auth.requireRole('coordinator'), async (_req, res) => {
    res.json(await inbox());
  });

  router.get('/coordinacion', auth.requireRolePage('coordinator'), async (req, res) => {
    const csrf = auth.csrfToken(req);
    sendPage(res, 'Bandeja de coordinación', inboxPage(await inbox(), csrf, timeZone), { csrf, current: '/coordinacion' });
  });

  const coordinatorOf = (res: Response) => String(res.locals.user?.name ?? '');
  const reviewIdOf = (req: Request) => {
    const id = String(req.params.workflowId ?? '');
    if (!/^revision-\d{4}-T[1-4]-[A-Za-z0-9_.-]+$/.test(id)) throw new AppError('invalid_input', `Identificador de revisión inválido: ${id}`);
    return id;
  };
  const done = (res: Response, title: string, message: string) =>
    sendPage(res, title, `<h1>${escapeHtml(title)}</h1><p class="ok" role="status">${escapeHtml(message)}</p><p><a href="/coordinacion">Volver a la bandeja</a></p>`);
  const refused = (res: Response, error: AppError) =>
    sendPage(
      res,
      'No fue posible',
      `<h1>No fue posible completar la acción</h1><div class="error" role="alert"><p>${escapeHtml(error.message)}</p><ul>${error.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul></div><p><a href="/coordinacion">Volver a la bandeja</a></p>`,
      {},
      error.httpStatus,
    );

  router.post('/coordinacion/:workflowId/decision', auth.requireRolePage('coordinator'), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const decision =
      form.decision === 'approve'
        ? { decision: 'approve', coordinator: coordinatorOf(res), comment: form.comment || undefined }
        : { decision: 'requestChanges', coordinator: coordinatorOf(res), comment: form.comment ?? '', window: form.window || undefined };
    try {
      const view = await cycles.decide(reviewIdOf(req), decision);
      done(res, 'Decisión registrada', view.outcome ? `Revisión cerrada: ${goalStateLabels[view.status]}.` : `Se solicitaron ajustes; nuevo plazo: ${formatDate(view.deadline, timeZone)}.`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/alert-resend', auth.requireRolePage('coordinator'), async (req, res) => {
    try {
      await cycles.resendAlert(reviewIdOf(req), { coordinator: coordinatorOf(res) });
      done(res, 'Alerta reenviada', 'La dependencia recibirá de nuevo el reporte de alerta con su enlace personal.');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/notes', auth.requireRolePage('coordinator'), async (req, res) => {
    try {
      await cycles.addNote(reviewIdOf(req), { coordinator: coordinatorOf(res), text: String(((req.body ?? {}) as Record<string, string>).text ?? '') });
      done(res, 'Nota agregada', 'La nota quedó en la revisión y en el registro de auditoría.');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  router.post('/coordinacion/:workflowId/extension', auth.requireRolePage('coordinator'), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, string>;
    try {
      const view = await cycles.extendDeadline(reviewIdOf(req), { coordinator: coordinatorOf(res), reason: form.reason ?? '', window: form.window ?? '' });
      done(res, 'Plazo ampliado', `Nuevo plazo: ${formatDate(view.deadline, timeZone)}.`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused(res, error);
    }
  });

  return router;
}

const formatDate = (iso: string | null, timeZone: string) =>
  iso ? new Date(iso).toLocaleString('es-CO', { timeZone, dateStyle: 'long', timeStyle: 'short' }) : '—';

const targets = (values: readonly (number | null)[] | null | undefined) => (values ? values.map((v) => v ?? '—').join(' · ') : '—');

function agreementSection(view: ReviewView, csrf: string): string {
  const rows = view.goals
    .map((g) => {
      const answer = g.answer;
      const proposed = answer?.action === 'reprogram' ? targets(answer.newQuarterlyTargets) : 'Mantener';
      return `<tr><th scope="row">${escapeHtml(g.goalCode)}</th><td>${escapeHtml(g.name)}</td><td>${escapeHtml(g.status ? goalStatusLabels[g.status] : '—')}</td><td>${escapeHtml(targets(g.programming.quarterlyTargets))}</td><td>${escapeHtml(proposed)}</td><td>${escapeHtml(answer?.justification ?? '—')}</td><td>${escapeHtml(answer?.commitment ?? '—')}</td></tr>`;
    })
    .join('');
  const id = escapeHtml(view.workflowId);
  return `<section aria-labelledby="h-${id}"><h2 id="h-${id}">${escapeHtml(view.department.name)} · ${id}</h2>
<p>Respondió: ${escapeHtml(view.respondent?.name ?? '—')} (ronda ${view.round}).</p>
<table><caption>Programación trimestral antes y después</caption><thead><tr><th scope="col">Meta</th><th scope="col">Nombre</th><th scope="col">Estado</th><th scope="col">Programación actual</th><th scope="col">Propuesta</th><th scope="col">Justificación</th><th scope="col">Compromiso</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/coordinacion/${id}/decision"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="decision" value="approve"><button type="submit">Aprobar</button></form>
<form method="post" action="/coordinacion/${id}/decision"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="decision" value="requestChanges">
<label for="c-${id}">Comentario para la dependencia</label><textarea id="c-${id}" name="comment" rows="2" required minlength="10"></textarea>
<label for="w-${id}">Nuevo plazo</label><select id="w-${id}" name="window"><option value="5d">5 días hábiles</option><option value="10d">10 días hábiles</option></select>
<button type="submit">Solicitar ajustes</button></form>${noteForm(view, csrf)}</section>`;
}

function noteForm(view: ReviewView, csrf: string): string {
  const id = escapeHtml(view.workflowId);
  const notes = (view.notes ?? []).map((n) => `<li>${escapeHtml(n.coordinator)}: ${escapeHtml(n.text)}</li>`).join('');
  return `${notes ? `<ul aria-label="Notas">${notes}</ul>` : ''}<form method="post" action="/coordinacion/${id}/notes"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="n-${id}">Nota</label><input id="n-${id}" name="text" required minlength="3"><button type="submit">Agregar nota</button></form>`;
}

function waitingRow(view: ReviewView, csrf: string, timeZone: string): string {
  const id = escapeHtml(view.workflowId);
  return `<tr><th scope="row">${escapeHtml(view.department.name)}</th><td>${id}</td><td>${escapeHtml(formatDate(view.deadline, timeZone))}</td><td>
<form method="post" action="/coordinacion/${id}/extension"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="r-${id}">Motivo</label><input id="r-${id}" name="reason" required minlength="10">
<label for="e-${id}">Ampliar</label><select id="e-${id}" name="window"><option value="3d">3 días hábiles</option><option value="5d">5 días hábiles</option></select>
<button type="submit">Ampliar plazo</button></form>
<form method="post" action="/coordinacion/${id}/alert-resend"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit">Reenviar alerta</button></form>
${noteForm(view, csrf)}</td></tr>`;
}

function inboxPage(views: ReviewView[], csrf: string, timeZone: string): string {
  const agreements = views.filter((v) => v.status === 'underAgreement');
  const waiting = views.filter((v) => v.status === 'awaitingResponse');
  return `<h1>Bandeja de coordinación</h1>
<h2>Respuestas para acordar (${agreements.length})</h2>${agreements.length ? agreements.map((v) => agreementSection(v, csrf)).join('') : '<p>No hay respuestas pendientes de acuerdo.</p>'}
<h2>Esperando respuesta (${waiting.length})</h2>${
      waiting.length
        ? `<table><thead><tr><th scope="col">Dependencia</th><th scope="col">Revisión</th><th scope="col">Plazo</th><th scope="col">Ampliar plazo</th></tr></thead><tbody>${waiting.map((v) => waitingRow(v, csrf, timeZone)).join('')}</tbody></table>`
        : '<p>Ninguna revisión espera respuesta.</p>'
    }`;
}
