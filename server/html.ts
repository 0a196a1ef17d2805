import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { entityName } from '../domain/format';
import { escapeHtml } from '../mail/html';
import { roleSatisfies, roleLabels, type Role } from '../auth/roles';

// Pages and e-mails escape the same way: every value put in a page goes through it.
export { escapeHtml };

export interface PageOptions {
  /** The signed-in account: the navigation shows what its role may use. */
  user?: { name: string; role: Role } | null;
  /** The session's CSRF token, for the sign-out button. */
  csrf?: string;
  /** Scripts of our own origin (CSP allows no inline script), e.g. '/assets/monitor.js'. */
  scripts?: string[];
  /** Path of the navigation entry to mark as current. */
  current?: string;
  /** The municipality's name (services/municipality.ts), shown in the header. */
  municipality?: string | null;
}

const navigation: { href: string; label: string; role: Role }[] = [
  { href: '/', label: 'Ciclos', role: 'viewer' },
  { href: '/tablero', label: 'Tablero', role: 'viewer' },
  { href: '/ciclos/nuevo', label: 'Iniciar ciclo', role: 'operator' },
  { href: '/importaciones', label: 'Importar', role: 'operator' },
  { href: '/dependencias', label: 'Dependencias', role: 'viewer' },
  { href: '/coordinacion', label: 'Coordinación', role: 'coordinator' },
  { href: '/admin/flujos', label: 'Flujos', role: 'admin' },
  { href: '/admin/correos', label: 'Correos', role: 'admin' },
  { href: '/admin/auditoria', label: 'Auditoría', role: 'admin' },
  { href: '/admin/tokens', label: 'Tokens', role: 'admin' },
  { href: '/admin/municipio', label: 'Municipio', role: 'admin' },
  { href: '/cuenta/tokens', label: 'Mis tokens', role: 'viewer' },
];

function header({ user, csrf, current, municipality }: PageOptions): string {
  const entity = municipality ? ` · <span class="municipality">${escapeHtml(entityName(municipality))}</span>` : '';
  if (!user) return `<header><p><a href="/">Metas PDM</a> · Procedimiento PE-P-008${entity}</p></header>`;
  const links = navigation
    .filter((n) => roleSatisfies(user.role, [n.role]))
    .map((n) => `<li><a href="${n.href}"${n.href === current ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a></li>`)
    .join('');
  const signOut = csrf
    ? `<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><button type="submit" class="link">Cerrar sesión</button></form>`
    : '';
  return `<header><nav aria-label="Principal"><p class="brand"><a href="/">Metas PDM</a> · PE-P-008${entity}</p><ul class="nav">${links}</ul>
<p class="who">${escapeHtml(user.name)} (${escapeHtml(roleLabels[user.role])}) ${signOut}</p></nav></header>`;
}

export function page(title: string, body: string, options: PageOptions = {}): string {
  const scripts = (options.scripts ?? []).map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('');
  return `<!doctype html>
<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Metas PDM</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem; line-height: 1.5; color: #1a1a1a; }
  a { color: #0b4f8a; }
  header nav { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center; border-bottom: 1px solid #ccc; margin-bottom: 1rem; }
  header .brand { font-weight: 700; margin: .3rem 0; }
  .nav { display: flex; flex-wrap: wrap; gap: .2rem 1rem; list-style: none; padding: 0; margin: .3rem 0; }
  .nav a[aria-current="page"] { font-weight: 700; }
  header .who { margin: .3rem 0 .3rem auto; font-size: .9rem; }
  fieldset { margin: 1rem 0; border: 1px solid #888; border-radius: .4rem; }
  label { display: block; margin-top: .5rem; font-weight: 600; }
  input, textarea, select { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; }
  .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
  .filters label { margin-top: 0; } .filters select, .filters input { width: auto; min-width: 8rem; }
  .targets { display: grid; grid-template-columns: repeat(4, 1fr); gap: .5rem; }
  .error { background: #fde8e8; border-left: .3rem solid #b00020; padding: .5rem 1rem; }
  .ok { background: #e6f4ea; border-left: .3rem solid #1e7e34; padding: .5rem 1rem; }
  .note { background: #eef4fb; border-left: .3rem solid #0b4f8a; padding: .5rem 1rem; }
  .table-wrap { overflow-x: auto; }
  table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #ccc; padding: .3rem; text-align: left; vertical-align: top; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .85rem; font-weight: 600; border: 1px solid #555; }
  button { font: inherit; padding: .6rem 1.2rem; background: #0b4f8a; color: #fff; border: 0; border-radius: .3rem; cursor: pointer; }
  button.secondary { background: #fff; color: #0b4f8a; border: 1px solid #0b4f8a; }
  button.danger { background: #9b1c1c; }
  button.link { background: none; color: #0b4f8a; padding: 0; text-decoration: underline; }
  form.inline { display: inline; }
  details { margin: .5rem 0; } summary { cursor: pointer; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: .5rem; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>
</head>
<body>
${header(options)}
<main>
${body}
</main>
${scripts}
</body>
</html>`;
}

/**
 * Sends a page with the navigation of the signed-in account (res.locals.user) and a sign-out button.
 * `csrf` is the session's token (auth.csrfToken(req)).
 */
export function sendPage(res: Response, title: string, body: string, options: Omit<PageOptions, 'user'> = {}, status = 200): void {
  const user = res.locals.user as PageOptions['user'];
  const municipality = (res.locals.municipality as string | null | undefined) ?? null;
  res.status(status).type('html').send(page(title, body, { municipality, ...options, user: user ?? null }));
}

/** A response body encoded once (UTF-8) with its weak ETag, to be sent to many requests. */
export interface EncodedBody {
  bytes: Buffer;
  etag: string;
}

export function encodeBody(text: string): EncodedBody {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, etag: `W/"${bytes.length.toString(16)}-${createHash('sha1').update(bytes).digest('base64').slice(0, 27)}"` };
}

// Escaped values never contain '<', so the marker only appears where page() puts the body.
const bodyMarker = '<!--page-body-->';

/**
 * sendPage for a body encoded once and shared by many requests (a page rendered once per data
 * version): only the navigation (account, CSRF token) is encoded per request.
 */
export function sendEncodedPage(res: Response, title: string, body: Buffer, options: Omit<PageOptions, 'user'> = {}, status = 200): void {
  const user = res.locals.user as PageOptions['user'];
  const whole = page(title, bodyMarker, { ...options, user: user ?? null });
  const at = whole.indexOf(bodyMarker);
  const bytes = Buffer.concat([Buffer.from(whole.slice(0, at), 'utf8'), body, Buffer.from(whole.slice(at + bodyMarker.length), 'utf8')]);
  // No ETag: the page carries the session's CSRF token, so hashing it for every request buys nothing.
  res.status(status).type('html').set('Content-Length', String(bytes.length)).end(bytes);
}
