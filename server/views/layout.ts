import { entityName } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import { roleSatisfies, roleLabels, type Role } from '../../auth/roles';

/** The stylesheet of every page (server/views/stylesheet.ts), served from our own origin. */
export const STYLESHEET_PATH = '/assets/app.css';

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

/** `only`: shown to that role alone, not to the roles that include it (an administrator has no department). */
const navigation: { href: string; label: string; role: Role; only?: boolean }[] = [
  { href: '/mis-revisiones', label: 'Mis revisiones', role: 'liaison', only: true },
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

function header({ user, csrf, current, municipality }: PageOptions): SafeHtml {
  const entity = municipality ? html` · <span class="municipality">${entityName(municipality)}</span>` : '';
  if (!user) return html`<header><p><a href="/">Metas PDM</a> · Procedimiento PE-P-008${entity}</p></header>`;
  const links = navigation
    .filter((n) => (n.only ? user.role === n.role : roleSatisfies(user.role, [n.role])))
    .map((n) => html`<li><a href="${n.href}"${n.href === current ? html` aria-current="page"` : ''}>${n.label}</a></li>`);
  const signOut = csrf
    ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="link">Cerrar sesión</button></form>`
    : '';
  return html`<header><nav aria-label="Principal"><p class="brand"><a href="/">Metas PDM</a> · PE-P-008${entity}</p><ul class="nav">${links}</ul>
<p class="who">${user.name} (${roleLabels[user.role]}) ${signOut}</p></nav></header>`;
}

/** The whole document around a page's body: header with navigation, stylesheet, deferred scripts. */
export function page(title: string, body: SafeHtml, options: PageOptions = {}): SafeHtml {
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  return html`<!doctype html>
<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Metas PDM</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
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
