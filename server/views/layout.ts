import { entityName } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import { roleSatisfies, roleLabels, type Role } from '../../auth/roles';
import { requestBrand } from '../requestBrand';

/** The stylesheet of every page (server/views/stylesheet.ts), served from our own origin. */
export const STYLESHEET_PATH = '/assets/app.css';
/** The municipality's colours as CSS custom properties (server/brandingAssets.ts), after the stylesheet. */
export const IDENTITY_STYLESHEET_PATH = '/assets/identity.css';
/** The national portal every public entity's site links from its top bar (gov.co guidance). */
const GOVCO_URL = 'https://www.gov.co';

export interface PageOptions {
  /** The signed-in account: the navigation shows what its role may use. */
  user?: { name: string; role: Role } | null;
  /** The session's CSRF token, for the sign-out button. */
  csrf?: string;
  /** Scripts of our own origin (CSP allows no inline script), e.g. '/assets/monitor.js'. */
  scripts?: string[];
  /** Path of the navigation entry to mark as current. */
  current?: string;
  /** The municipality's name (services/municipality.ts), shown in the header; default: the request's. */
  municipality?: string | null;
  /** The escudo's URL; default: the request's (server/requestBrand.ts). */
  escudoUrl?: string | null;
}

/** `only`: shown to that role alone, not to the roles that include it (an administrator has no department). */
const navigation: { href: string; label: string; role: Role; only?: boolean }[] = [
  { href: '/mis-revisiones', label: 'Mis revisiones', role: 'liaison', only: true },
  { href: '/', label: 'Ciclos', role: 'viewer' },
  { href: '/tablero', label: 'Tablero', role: 'viewer' },
  { href: '/plan-de-accion', label: 'Plan de Acción', role: 'viewer' },
  { href: '/ciclos/nuevo', label: 'Iniciar ciclo', role: 'operator' },
  { href: '/importaciones', label: 'Importar', role: 'operator' },
  { href: '/dependencias', label: 'Dependencias', role: 'viewer' },
  { href: '/concejo', label: 'Concejo', role: 'operator' },
  { href: '/coordinacion', label: 'Coordinación', role: 'coordinator' },
  { href: '/admin/flujos', label: 'Flujos', role: 'admin' },
  { href: '/admin/correos', label: 'Correos', role: 'admin' },
  { href: '/admin/auditoria', label: 'Auditoría', role: 'admin' },
  { href: '/admin/tokens', label: 'Tokens', role: 'admin' },
  { href: '/admin/municipio', label: 'Municipio', role: 'admin' },
  { href: '/admin/firma-digital', label: 'Firma digital', role: 'admin' },
  { href: '/admin/formatos', label: 'Formatos', role: 'admin' },
  { href: '/cuenta/tokens', label: 'Mis tokens', role: 'viewer' },
];

/** The national portal's top bar: a thin band with the GOV.CO text-logo linking to www.gov.co. */
const govcoBar = html`<div class="govco-bar"><div class="container"><a class="govco-logo" href="${GOVCO_URL}" aria-label="Portal del Estado colombiano GOV.CO">GOV.CO</a></div></div>`;

/** The entity bar: escudo, "Alcaldía de …" and the application; then who is signed in. */
function entityBar({ user, csrf, municipality, escudoUrl }: PageOptions): SafeHtml {
  const escudo = escudoUrl ? html`<img class="escudo" src="${escudoUrl}" alt="">` : '';
  const entity = municipality ? html`<span class="entity-name municipality">${entityName(municipality)}</span>` : '';
  const signOut = csrf
    ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="link">Cerrar sesión</button></form>`
    : '';
  const who = user ? html`<p class="who"><span class="who-name">${user.name}</span> <span class="who-role">(${roleLabels[user.role]})</span> ${signOut}</p>` : '';
  return html`<div class="entity-bar"><div class="container"><a class="entity" href="/">${escudo}<span class="entity-text">${entity}<span class="app-name">Metas PDM <span class="app-procedure">· Seguimiento y reprogramación de metas (PE-P-008)</span></span></span></a>${who}</div></div>`;
}

function navigationBar({ user, current }: PageOptions): SafeHtml {
  if (!user) return html``;
  const links = navigation
    .filter((n) => (n.only ? user.role === n.role : roleSatisfies(user.role, [n.role])))
    .map((n) => html`<li><a href="${n.href}"${n.href === current ? html` aria-current="page"` : ''}>${n.label}</a></li>`);
  return html`<nav class="main-nav" aria-label="Principal"><div class="container"><ul class="nav">${links}</ul></div></nav>`;
}

function footer({ municipality }: PageOptions): SafeHtml {
  const entity = municipality ? html`<strong>${entityName(municipality)}</strong> · ` : '';
  return html`<footer class="site-footer"><div class="container"><p>${entity}Oficina de Planeación · Procedimiento PE-P-008, seguimiento y reprogramación de metas de producto del Plan de Desarrollo Municipal.</p><p><a href="${GOVCO_URL}">Portal del Estado colombiano GOV.CO</a></p></div></footer>`;
}

/** The whole document around a page's body: header with navigation, stylesheet, deferred scripts. */
export function page(title: string, body: SafeHtml, given: PageOptions = {}): SafeHtml {
  const brand = requestBrand();
  const options: PageOptions = { ...given, municipality: given.municipality ?? brand?.name ?? null, escudoUrl: given.escudoUrl ?? brand?.escudoUrl ?? null };
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  return html`<!doctype html>
<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Metas PDM</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="stylesheet" href="${IDENTITY_STYLESHEET_PATH}">
</head>
<body>
<a class="skip-link" href="#contenido">Ir al contenido principal</a>
<header class="site-header">
${govcoBar}
${entityBar(options)}
${navigationBar(options)}
</header>
<main id="contenido" class="container" tabindex="-1">
${body}
</main>
${footer(options)}
${scripts}
</body>
</html>`;
}
