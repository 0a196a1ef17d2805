import express from 'express';
import type { Auth } from '../auth';
import type { Database } from '../db/client';
import { outboxMessage, readOutbox } from '../mail';
import { escapeHtml, sendPage } from './html';

const statusLabels: Record<string, string> = { stored: 'En bandeja (sin SMTP)', sending: 'Enviando', sent: 'Enviado', failed: 'Falló' };

/** Administrators read the outbox in the browser; a message's HTML is shown sandboxed, never inline. */
export function createAdminPagesRouter({ db, auth, timeZone }: { db: Database; auth: Auth; timeZone: string }) {
  const router = express.Router();
  const when = (iso: string) => new Date(iso).toLocaleString('es-CO', { timeZone, dateStyle: 'medium', timeStyle: 'short' });

  router.get('/admin/correos', auth.requireRolePage('admin'), async (req, res) => {
    const offset = Math.max(0, Number(req.query.desde ?? 0) || 0);
    const { total, items } = await readOutbox(db, { limit: 50, offset });
    const rows = items
      .map(
        (m) =>
          `<tr><td>${escapeHtml(when(m.createdAt))}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/admin/correos/${m.id}">${escapeHtml(m.subject)}</a></td><td>${escapeHtml(statusLabels[m.status] ?? m.status)}</td></tr>`,
      )
      .join('');
    const next = offset + 50 < total ? `<p><a href="/admin/correos?desde=${offset + 50}">Más antiguos</a></p>` : '';
    sendPage(
      res,
      'Correos',
        `<h1>Correos enviados y bandeja de salida</h1><p>${total} correos.</p><table><thead><tr><th scope="col">Fecha</th><th scope="col">Para</th><th scope="col">Asunto</th><th scope="col">Estado</th></tr></thead><tbody>${rows}</tbody></table>${next}`,
      { csrf: auth.csrfToken(req), current: '/admin/correos' },
    );
  });

  router.get('/admin/correos/:id', auth.requireRolePage('admin'), async (req, res) => {
    const message = await outboxMessage(db, Number(req.params.id));
    if (!message) return sendPage(res, 'No encontrado', '<h1>Correo no encontrado</h1>', {}, 404);
    const attachments = message.attachments
      .map((a) => (a.documentId ? `<li><a href="/api/documents/${a.documentId}">${escapeHtml(a.fileName)}</a></li>` : `<li>${escapeHtml(a.fileName)}</li>`))
      .join('');
    sendPage(
      res,
      message.subject,
        `<h1>${escapeHtml(message.subject)}</h1>
<p>Para: ${escapeHtml(message.to.join(', '))}${message.cc.length ? ` · Copia: ${escapeHtml(message.cc.join(', '))}` : ''} · ${escapeHtml(when(message.createdAt))} · ${escapeHtml(statusLabels[message.status] ?? message.status)}</p>
${attachments ? `<h2>Adjuntos</h2><ul>${attachments}</ul>` : ''}
<h2>Mensaje</h2><iframe title="Contenido del correo" sandbox srcdoc="${escapeHtml(message.html)}" style="width:100%;height:32rem;border:1px solid #888"></iframe>
<h2>Versión de texto</h2><pre style="white-space:pre-wrap">${escapeHtml(message.text)}</pre>
<p><a href="/admin/correos">Volver</a></p>`,
      { csrf: auth.csrfToken(req), current: '/admin/correos' },
    );
  });

  return router;
}
