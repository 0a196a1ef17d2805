import { html, type SafeHtml } from '../../domain/html';
import { page } from './layout';

/** A page that says why a request could not be served (no navigation: it may precede the sign-in). */
export function errorPage({ title, heading, message }: { title: string; heading: string; message: string }): SafeHtml {
  return page(title, html`<h1>${heading}</h1><p class="error" role="alert">${message}</p>`);
}

export function notFoundPage(path: string): SafeHtml {
  return page('No encontrado', html`<h1>Página no encontrada</h1><p>${path}</p>`);
}

/** The sign-in form; `action` is auth's LOGIN_PATH. */
export function loginPage(form: { action: string; csrfToken: string; next: string; email: string; error?: string }): SafeHtml {
  return page(
    'Iniciar sesión',
    html`<h1>Iniciar sesión</h1>${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ''}
<form method="post" action="${form.action}">
<input type="hidden" name="_csrf" value="${form.csrfToken}">
<input type="hidden" name="next" value="${form.next}">
<label for="email">Correo electrónico</label><input id="email" name="email" type="email" autocomplete="username" required value="${form.email}">
<label for="password">Contraseña</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Ingresar</button></p>
</form>`,
  );
}

/** What auth/ renders through (it builds no markup itself). */
export const authPages = {
  login: (form: Parameters<typeof loginPage>[0]) => loginPage(form).value,
  error: (view: Parameters<typeof errorPage>[0]) => errorPage(view).value,
};

/** The body of a page whose request was refused: the message, its details and the way back. */
export function refusalBody({ title, message, details, back }: { title: string; message: string; details: string[]; back?: { href: string; label: string } }): SafeHtml {
  return html`<h1>${title}</h1><div class="error" role="alert"><p>${message}</p>${
    details.length ? html`<ul>${details.map((d) => html`<li>${d}</li>`)}</ul>` : ''
  }</div>${back ? html`<p><a href="${back.href}">${back.label}</a></p>` : ''}`;
}

/** The body of a page that confirms an action: what was done and the way back. */
export function doneBody({ title, message, back }: { title: string; message: string; back: { href: string; label: string } }): SafeHtml {
  return html`<h1>${title}</h1><p class="ok" role="status">${message}</p><p><a href="${back.href}">${back.label}</a></p>`;
}
