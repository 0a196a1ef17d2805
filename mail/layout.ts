import { goalStatusLabels, type GoalStatus, type YearProgramming } from '../domain/goals';
import { entityName, formatNumber, quarterLabel } from '../domain/format';
import { checkedUrl, html, multiline, SafeHtml } from './html';
import { PROCEDURE_CODE, PROCEDURE_NAME, type MailContext, type ReviewContext } from './templateInputs';

/** The frame and building blocks every e-mail shares: layout, paragraphs, buttons, notices, tables. */

export const COLORS = { text: '#1f2933', muted: '#52606d', border: '#cbd2d9', head: '#e4e7eb', brand: '#0b4f8a', notice: '#fff4e5', noticeBorder: '#b45309' };
export const FONT = 'Arial, Helvetica, sans-serif';
export const cell = `border:1px solid ${COLORS.border};padding:6px 8px;vertical-align:top;text-align:left;`;
export const numCell = `${cell}text-align:right;white-space:nowrap;`;
export const headCell = `${cell}background:${COLORS.head};font-weight:bold;`;

export const greetingName = (c: ReviewContext) => c.department.liaisonName?.trim() || null;
export const greeting = (c: ReviewContext) => (greetingName(c) ? `Respetado(a) ${greetingName(c)}:` : `Señores ${c.department.name}:`);
/** Department names differ in gender (Secretaría, Instituto): "la dependencia X" reads right for all. */
export const theDepartment = (c: ReviewContext) => `la dependencia ${c.department.name}`;
export const reviewTitle = (c: ReviewContext) => `vigencia ${c.fiscalYear}, trimestre ${quarterLabel(c.quarter)}`;
export const subjectOf = (c: ReviewContext, what: string) =>
  `${PROCEDURE_CODE} · ${what}${c.recordNumber ? ` No. ${c.recordNumber}` : ''} · T${c.quarter}-${c.fiscalYear} · ${c.department.name}`;
export const statusLabel = (status: GoalStatus | null) => (status ? goalStatusLabels[status] : 'Sin clasificar');

export function signatureLines(c: MailContext): string[] {
  return [c.signature?.name?.trim() || null, c.signature?.role?.trim() || 'Coordinación general del MMSE', c.officeName, entityName(c.municipality)].filter(
    (l): l is string => Boolean(l),
  );
}

/** Records issued by e-mail carry their consecutive number under the title. */
const recordNumberOf = (c: MailContext) => ('recordNumber' in c && typeof c.recordNumber === 'string' ? c.recordNumber : null);

export function layout(c: MailContext, title: string, body: SafeHtml): string {
  const sign = signatureLines(c);
  const page = html`<html lang="es-CO">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f5f7fa;">
<div style="max-width:720px;margin:0 auto;padding:24px 16px;font-family:${FONT};font-size:15px;line-height:1.5;color:${COLORS.text};background:#ffffff;">
<p style="margin:0 0 4px 0;font-size:13px;color:${COLORS.muted};">${entityName(c.municipality)} · ${c.officeName}</p>
<h1 style="margin:0 0 16px 0;font-size:20px;line-height:1.3;color:${COLORS.brand};">${title}</h1>
${recordNumberOf(c) ? html`<p style="margin:0 0 16px 0;font-size:13px;color:${COLORS.muted};">Consecutivo ${recordNumberOf(c)}</p>` : ''}
${body}
<p style="margin:24px 0 0 0;">Cordialmente,</p>
<p style="margin:4px 0 0 0;">${sign.map((line, i) => html`${i === 0 ? html`<strong>${line}</strong>` : line}${i < sign.length - 1 ? html`<br>` : ''}`)}</p>
<hr style="border:0;border-top:1px solid ${COLORS.border};margin:24px 0 12px 0;">
<p style="margin:0;font-size:12px;color:${COLORS.muted};">Procedimiento ${PROCEDURE_CODE} · ${PROCEDURE_NAME}. Mensaje generado por el sistema Metas PDM; se conserva como registro (Ley 594 de 2000). Si tiene inquietudes, responda a este correo.</p>
</div>
</body>
</html>`;
  return `<!DOCTYPE html>\n${page.value}\n`;
}

export function textLayout(c: MailContext, title: string, lines: (string | null | false)[]): string {
  return [
    `${entityName(c.municipality)} · ${c.officeName}`,
    title.toUpperCase(),
    ...(recordNumberOf(c) ? [`Consecutivo ${recordNumberOf(c)}`] : []),
    '',
    ...lines.filter((l): l is string => l !== null && l !== false),
    '',
    'Cordialmente,',
    ...signatureLines(c),
    '',
    '--',
    `Procedimiento ${PROCEDURE_CODE} · ${PROCEDURE_NAME}. Mensaje generado por el sistema Metas PDM; se conserva como registro (Ley 594 de 2000). Si tiene inquietudes, responda a este correo.`,
  ]
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

export const p = (content: SafeHtml | string) => html`<p style="margin:0 0 12px 0;">${content}</p>`;

export function button(url: string, label: string): SafeHtml {
  const href = checkedUrl(url);
  return html`<p style="margin:16px 0;"><a href="${href}" style="display:inline-block;background:${COLORS.brand};color:#ffffff;text-decoration:none;font-weight:bold;padding:10px 18px;border-radius:4px;">${label}</a></p>
<p style="margin:0 0 12px 0;font-size:13px;color:${COLORS.muted};">Si el botón no funciona, copie este enlace en su navegador: <a href="${href}" style="color:${COLORS.brand};word-break:break-all;">${href}</a></p>`;
}

/** Someone's own words (a coordinator's comment, a reason), quoted as written. */
export function quote(text: string): SafeHtml {
  return html`<blockquote style="margin:0 0 12px 0;padding:8px 12px;border-left:4px solid ${COLORS.border};background:#f5f7fa;">${multiline(text)}</blockquote>`;
}

/** The same words in the text version, one `> ` line each. */
export const quotedLines = (text: string) => text.replace(/\r\n?/g, '\n').split('\n').map((l) => `> ${l}`);

export function notice(content: SafeHtml | string): SafeHtml {
  return html`<p style="margin:16px 0;padding:10px 12px;background:${COLORS.notice};border-left:4px solid ${COLORS.noticeBorder};">${content}</p>`;
}

export interface Column<Row> {
  header: string;
  numeric?: boolean;
  /** The row header cell (th scope="row"), usually the goal code. */
  rowHeader?: boolean;
  value: (row: Row) => SafeHtml | string;
}

export function table<Row>(caption: string, columns: Column<Row>[], rows: Row[]): SafeHtml {
  return html`<table style="border-collapse:collapse;width:100%;margin:0 0 16px 0;font-size:14px;">
<caption style="text-align:left;font-weight:bold;padding:0 0 6px 0;">${caption}</caption>
<thead><tr>${columns.map((col) => html`<th scope="col" style="${col.numeric ? `${headCell}text-align:right;` : headCell}">${col.header}</th>`)}</tr></thead>
<tbody>
${rows.map(
  (row) =>
    html`<tr>${columns.map((col) =>
      col.rowHeader
        ? html`<th scope="row" style="${cell}font-weight:bold;white-space:nowrap;">${col.value(row)}</th>`
        : html`<td style="${col.numeric ? numCell : cell}">${col.value(row)}</td>`,
    )}</tr>\n`,
)}</tbody>
</table>`;
}

export const quarters = (targets: YearProgramming['quarterlyTargets']) =>
  targets ? targets.map((v, i) => `T${i + 1}: ${formatNumber(v)}`).join(' · ') : 'sin programación trimestral';
export const programmingText = (prog: YearProgramming) => `anual ${formatNumber(prog.annualTarget)} (${quarters(prog.quarterlyTargets)})`;
export const futureText = (future: Record<string, number> | undefined) =>
  future && Object.keys(future).length
    ? `Vigencias futuras: ${Object.entries(future)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([year, value]) => `${year}: ${formatNumber(value)}`)
        .join(' · ')}`
    : null;
