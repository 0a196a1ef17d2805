import { formatNumber } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import { contrastOnWhite, defaultIdentityColors, minimumContrast } from '../../domain/identityColors';
import type { AppError } from '../../services/errors';
import { identitySourceLabels, type MunicipalityIdentity } from '../../services/municipality';
import type { ColorsInUse, EscudoInfo } from '../../services/municipalityBranding';

export type MunicipalitySection = 'identity' | 'escudo' | 'colors';
export type MunicipalitySaved = MunicipalitySection | 'escudo-removed';

export interface MunicipalityPageView {
  identity: MunicipalityIdentity | null;
  escudo: (EscudoInfo & { url: string }) | null;
  colors: ColorsInUse;
  maxEscudoBytes: number;
}

const savedMessages: Record<MunicipalitySaved, string> = {
  identity: 'Se guardó el municipio.',
  escudo: 'Se guardó el escudo: ya aparece en el encabezado de las páginas.',
  'escudo-removed': 'Se quitó el escudo; las versiones anteriores se conservan.',
  colors: 'Se guardaron los colores: ya se aplican en todas las páginas.',
};

const problemBox = (problem: AppError) =>
  html`<div class="error" role="alert"><p>${problem.message}</p>${problem.details.length > 1 ? html`<ul>${problem.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;

const ratio = (hex: string) => `${formatNumber(Math.floor(contrastOnWhite(hex) * 100) / 100)}:1`;

/** /admin/municipio: the identity in use (name, DANE code, escudo, colours) and the forms to set it. */
export function municipalityPage(
  view: MunicipalityPageView,
  csrf: string,
  when: (iso: string) => string,
  problem?: { section: MunicipalitySection; error: AppError },
  values?: { name?: unknown; daneCode?: unknown; primary?: unknown; accent?: unknown },
  saved: MunicipalitySaved | null = null,
): SafeHtml {
  const { identity, escudo, colors } = view;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const name = text(values?.name, identity?.name ?? '');
  const daneCode = text(values?.daneCode, identity?.daneCode ?? '');
  const errorOf = (section: MunicipalitySection) => (problem?.section === section ? problemBox(problem.error) : '');
  const current = identity
    ? html`<p>Municipio actual: <strong>${identity.name}</strong> (código DANE ${identity.daneCode}), definido en ${identitySourceLabels[identity.source]} (${when(identity.updatedAt)})</p>`
    : html`<p>Todavía no se ha definido el municipio: se toma de los títulos del Plan Indicativo (p. ej. «MUNICIPIO DE PASTO – NARIÑO», «Código DANE: 52001») o de la configuración (<code>MUNICIPALITY_NAME</code>, <code>MUNICIPALITY_DANE_CODE</code>).</p>`;

  const escudoNow = escudo
    ? html`<figure class="escudo-preview"><img src="${escudo.url}" alt="Escudo en uso (versión ${escudo.version})"><figcaption>Versión ${escudo.version}${escudo.fileName ? html` («${escudo.fileName}»)` : ''}, ${formatNumber(Math.ceil(escudo.byteLength / 1024))} KB; cargada el ${when(escudo.createdAt)} por ${escudo.uploadedBy}.</figcaption></figure>
<form method="post" action="/admin/municipio/escudo/quitar"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">Quitar el escudo</button></form>`
    : html`<p>Todavía no hay escudo: el encabezado muestra solo el nombre.</p>`;

  const primary = text(values?.primary, colors.primary);
  const accent = text(values?.accent, colors.accent);
  const colorsNow = colors.updatedAt
    ? html`<p>Colores elegidos el ${when(colors.updatedAt)} por ${colors.updatedBy}: principal <code>${colors.primary}</code> (contraste ${ratio(colors.primary)} con el blanco) y acento <code>${colors.accent}</code> (${ratio(colors.accent)}).</p>`
    : html`<p>Se usan los colores predeterminados, los del portal GOV.CO: principal <code>${defaultIdentityColors.primary}</code> y acento <code>${defaultIdentityColors.accent}</code>.</p>`;

  return html`${saved ? html`<p class="ok" role="status">${savedMessages[saved]}</p>` : ''}<h1>Municipio</h1>
<p>El nombre, el escudo y los colores identifican a la entidad en el encabezado de las páginas; el nombre y el escudo también en las hojas de cálculo y los documentos (PDF). Lo que se defina aquí no lo reemplaza un archivo importado.</p>
<section aria-labelledby="municipio-identidad"><h2 id="municipio-identidad">Nombre y código DANE</h2>
${errorOf('identity')}${current}
<form method="post" action="/admin/municipio">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="municipio-nombre">Nombre del municipio</label><input id="municipio-nombre" name="name" required minlength="2" maxlength="120" value="${name}" placeholder="Pasto">
<label for="municipio-dane">Código DANE (5 dígitos)</label><input id="municipio-dane" name="daneCode" required pattern="[0-9]{5}" inputmode="numeric" maxlength="5" value="${daneCode}" placeholder="52001">
<p><button type="submit">Guardar</button></p>
</form></section>
<section aria-labelledby="municipio-escudo"><h2 id="municipio-escudo">Escudo</h2>
${errorOf('escudo')}${escudoNow}
<form method="post" action="/admin/municipio/escudo" enctype="multipart/form-data">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="escudo-archivo">${escudo ? 'Cargar un escudo nuevo' : 'Cargar el escudo'}</label>
<p class="hint" id="escudo-ayuda">Imagen PNG o JPEG de hasta ${formatNumber(view.maxEscudoBytes / 1024)} KB, preferiblemente cuadrada y con fondo transparente (PNG). No se aceptan SVG, que pueden contener programas. Cada escudo cargado se conserva como una versión.</p>
<input id="escudo-archivo" name="escudo" type="file" accept="image/png,image/jpeg" required aria-describedby="escudo-ayuda">
<p><button type="submit">Cargar escudo</button></p>
</form></section>
<section aria-labelledby="municipio-colores"><h2 id="municipio-colores">Colores</h2>
${errorOf('colors')}${colorsNow}
<form method="post" action="/admin/municipio/colores">
<input type="hidden" name="_csrf" value="${csrf}">
<p class="hint">El color principal se usa como fondo de la barra de navegación (con texto blanco), en los enlaces y en los botones: necesita un contraste de al menos ${formatNumber(minimumContrast.primary)}:1 con el blanco. El de acento marca la página actual y la franja bajo la navegación: al menos ${formatNumber(minimumContrast.accent)}:1.</p>
<div class="color-fields">
<div><label for="color-principal">Color principal</label><input id="color-principal" name="primary" type="color" value="${primary}"></div>
<div><label for="color-acento">Color de acento</label><input id="color-acento" name="accent" type="color" value="${accent}"></div>
</div>
<p class="actions"><button type="submit">Guardar colores</button><button type="submit" class="secondary" name="restablecer" value="1">Volver a los predeterminados</button></p>
</form></section>`;
}
