import { formatNumber } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import type { AppError } from '../../services/errors';
import { isCertificate, type SigningCertificateInfo, type SigningCertificateVersion } from '../../services/signingCertificate';

export type SigningSaved = 'certificado' | 'quitado';

export interface SigningCertificatePageView {
  current: SigningCertificateInfo | null;
  versions: SigningCertificateVersion[];
  maxBytes: number;
  /** Now, to warn of a certificate about to expire. */
  now: Date;
}

const savedMessages: Record<SigningSaved, string> = {
  certificado: 'Se guardó el certificado: los documentos PDF que se expidan desde ahora llevan la firma digital.',
  quitado: 'Se quitó el certificado: los documentos se expiden sin firma digital y lo dicen; las versiones anteriores se conservan.',
};

const DAY_MS = 24 * 3600 * 1000;

const problemBox = (problem: AppError) =>
  html`<div class="error" role="alert"><p>${problem.message}</p>${problem.details.length > 1 ? html`<ul>${problem.details.map((d) => html`<li>${d}</li>`)}</ul>` : ''}</div>`;

function certificateFields(c: SigningCertificateInfo, when: (iso: string) => string, day: (iso: string) => string): SafeHtml {
  return html`<dl class="facts">
<dt>Titular</dt><dd>${c.subject}</dd>
<dt>Emisor</dt><dd>${c.issuer}</dd>
<dt>Número de serie</dt><dd><code>${c.serialNumber}</code></dd>
<dt>Vigencia</dt><dd>Del ${day(c.notBefore)} al ${day(c.notAfter)}</dd>
<dt>Huella SHA-256</dt><dd class="code"><code>${c.fingerprintSha256}</code></dd>
<dt>Cargado</dt><dd>Versión ${c.version}${c.fileName ? html` («${c.fileName}»)` : ''}, el ${when(c.createdAt)} por ${c.uploadedBy}</dd>
</dl>`;
}

/** /admin/firma-digital: the certificate in use, its history and the form to upload a new one. */
export function signingCertificatePage(
  view: SigningCertificatePageView,
  csrf: string,
  when: (iso: string) => string,
  day: (iso: string) => string,
  problem?: AppError,
  saved: SigningSaved | null = null,
): SafeHtml {
  const { current } = view;
  const daysLeft = current ? Math.floor((Date.parse(current.notAfter) - view.now.getTime()) / DAY_MS) : null;
  const expiry =
    current && daysLeft !== null && daysLeft < 0
      ? html`<p class="error" role="alert">El certificado venció el ${day(current.notAfter)}: los documentos se expiden sin firma digital hasta que se cargue uno vigente.</p>`
      : current && daysLeft !== null && daysLeft <= 30
        ? html`<p class="warning">El certificado vence en ${formatNumber(daysLeft)} ${daysLeft === 1 ? 'día' : 'días'} (${day(current.notAfter)}): cargue el nuevo antes de esa fecha.</p>`
        : '';
  const now = current
    ? html`<p>Los documentos PDF (constancias, documentos de justificación y compromiso) se firman con este certificado (PAdES, verificable en el panel de firmas de un lector de PDF):</p>
${certificateFields(current, when, day)}${expiry}
<form method="post" action="/admin/firma-digital/quitar"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">Dejar de firmar</button></form>`
    : html`<p>No hay certificado configurado: los documentos PDF se expiden sin firma digital y lo dicen («Documento sin firma digital: la entidad no ha configurado un certificado.»).</p>`;
  const history = view.versions.length
    ? html`<section aria-labelledby="firma-historial"><h2 id="firma-historial">Historial</h2><ul>${view.versions.map((v) =>
        isCertificate(v)
          ? html`<li>Versión ${v.version}: ${v.subject} (serie <code>${v.serialNumber}</code>, vence el ${day(v.notAfter)}); cargada el ${when(v.createdAt)} por ${v.uploadedBy}.</li>`
          : html`<li>Versión ${v.version}: se dejó de firmar el ${when(v.createdAt)} (${v.uploadedBy}).</li>`,
      )}</ul></section>`
    : '';

  return html`${saved ? html`<p class="ok" role="status">${savedMessages[saved]}</p>` : ''}<h1>Firma digital de los documentos</h1>
<p>Con un certificado de firma digital (Ley 527 de 1999) cada documento PDF que expide el sistema queda firmado: cualquier cambio posterior al archivo invalida la firma.</p>
<section aria-labelledby="firma-actual"><h2 id="firma-actual">Certificado en uso</h2>
${now}</section>
<section aria-labelledby="firma-cargar"><h2 id="firma-cargar">${current ? 'Cargar un certificado nuevo' : 'Cargar el certificado'}</h2>
${problem ? problemBox(problem) : ''}
<form method="post" action="/admin/firma-digital" enctype="multipart/form-data" autocomplete="off">
<input type="hidden" name="_csrf" value="${csrf}">
<label for="firma-archivo">Archivo del certificado (.p12 o .pfx)</label>
<p class="hint" id="firma-ayuda">El archivo PKCS#12 que entrega la entidad de certificación, con la clave privada, de hasta ${formatNumber(view.maxBytes / 1024)} KB. Se comprueba al cargarlo; cada certificado cargado se conserva como una versión.</p>
<input id="firma-archivo" name="certificado" type="file" accept=".p12,.pfx,application/x-pkcs12" required aria-describedby="firma-ayuda">
<label for="firma-clave">Contraseña del certificado</label>
<p class="hint" id="firma-clave-ayuda">Se guarda cifrada; no se vuelve a mostrar.</p>
<input id="firma-clave" name="passphrase" type="password" autocomplete="new-password" required aria-describedby="firma-clave-ayuda">
<p><button type="submit">Cargar certificado</button></p>
</form></section>
${history}`;
}
