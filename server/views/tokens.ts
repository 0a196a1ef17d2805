import { html, type SafeHtml } from '../../domain/html';
import type { ApiTokenSummary } from '../../auth';
import { scrollRegion } from './scrollRegion';

// API tokens: an account's own (/cuenta/tokens) and every account's for administrators (/admin/tokens).

const stateLabels: Record<ApiTokenSummary['state'], string> = { active: 'Vigente', expired: 'Vencido', revoked: 'Revocado' };

/** What the last action did: a new token (shown once), a revocation, or a token that could not be revoked. */
export type TokenNotice =
  | { kind: 'created'; name: string; expiresAt: string; token: string }
  | { kind: 'revoked'; id: number }
  | { kind: 'notRevoked'; id: number; own: boolean };

type When = (iso: string) => string;

function noticeOf(notice: TokenNotice | undefined, when: When): SafeHtml | '' {
  if (!notice) return '';
  switch (notice.kind) {
    case 'created':
      return html`<div class="ok" role="status"><p>Token «${notice.name}» creado (vence el ${when(notice.expiresAt)}): cópielo ahora, no se vuelve a mostrar.</p>
<pre id="nuevo-token">${notice.token}</pre></div>`;
    case 'revoked':
      return html`<p class="ok" role="status">Token #${notice.id} revocado.</p>`;
    case 'notRevoked':
      return notice.own
        ? html`<div class="error" role="alert"><ul><li>No tiene un token vigente con el número ${notice.id} (no existe, ya fue revocado o es de otra cuenta).</li></ul></div>`
        : html`<p class="error" role="alert">No hay un token vigente con el número ${notice.id}.</p>`;
  }
}

function tokenTable(tokens: ApiTokenSummary[], csrf: string, all: boolean, when: When): SafeHtml {
  if (!tokens.length) return html`<p>No hay tokens.</p>`;
  const action = all ? '/admin/tokens' : '/cuenta/tokens';
  const at = (iso: string | null, none = '—') => (iso ? when(iso) : none);
  const rows = tokens.map(
    (tk) => html`<tr><td class="num">${tk.id}</td>${all ? html`<td>${tk.userName}<br><small>${tk.userEmail}</small></td>` : ''}<td>${tk.name}</td>
<td><span class="badge">${stateLabels[tk.state]}</span>${tk.revokedAt ? html`<br><small>${at(tk.revokedAt)}</small>` : ''}</td>
<td>${at(tk.createdAt)}</td><td>${at(tk.expiresAt)}</td><td>${at(tk.lastUsedAt, 'Nunca')}</td>
<td>${
      tk.state === 'revoked'
        ? ''
        : html`<form method="post" action="${action}/${tk.id}/revocar" class="inline"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="danger">Revocar</button></form>`
    }</td></tr>`,
  );
  return html`${scrollRegion('Tokens de acceso', html`<table><thead><tr><th class="num">#</th>${all ? html`<th>Cuenta</th>` : ''}<th>Nombre</th><th>Estado</th><th>Creado</th><th>Vence</th><th>Último uso</th><th></th></tr></thead>
<tbody>${rows.map((row, i) => (i ? html`\n${row}` : row))}</tbody></table>`)}
<p><small>El último uso se actualiza como máximo una vez por minuto.</small></p>`;
}

export function ownTokensPage(input: {
  tokens: ApiTokenSummary[];
  csrf: string;
  maxDays: number;
  when: When;
  notice?: TokenNotice;
  errors: string[];
  name: string;
}): SafeHtml {
  const { csrf, maxDays, errors } = input;
  const errorList = errors.length ? html`<div class="error" role="alert"><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : '';
  return html`<h1>Mis tokens de acceso</h1>
<p>Los tokens permiten a la línea de comandos (<code>npm run metas -- login</code>) y a otros programas usar la API con su cuenta
(<code>Authorization: Bearer …</code>). Vencen a los ${maxDays} días como máximo. Revoque los que ya no use.</p>
${noticeOf(input.notice, input.when)}${errorList}
${tokenTable(input.tokens, csrf, false, input.when)}
<h2>Nuevo token</h2>
<form method="post" action="/cuenta/tokens">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="nombre">Nombre (para reconocerlo)</label><input id="nombre" name="nombre" maxlength="100" required value="${input.name}" placeholder="Importación nocturna">
<label for="dias">Vigencia (días)</label><input id="dias" name="dias" inputmode="numeric" value="${maxDays}">
<p><button type="submit">Crear token</button></p>
</form>`;
}

export function allTokensPage(input: { tokens: ApiTokenSummary[]; csrf: string; when: When; notice?: TokenNotice }): SafeHtml {
  return html`<h1>Tokens de acceso de todas las cuentas</h1>${noticeOf(input.notice, input.when)}${tokenTable(input.tokens, input.csrf, true, input.when)}`;
}
