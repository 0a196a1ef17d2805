/**
 * E-mail HTML uses the escape-by-default tag of domain/html.ts (shared with the pages in server/views);
 * what is only about e-mail (absolute links) stays here.
 */
export { escapeHtml, html, multiline, SafeHtml, type HtmlValue } from '../domain/html';

/**
 * Only absolute http(s) links go into an e-mail: a `javascript:` or relative URL is a programming
 * error upstream (PUBLIC_URL missing or wrong), so it fails loudly instead of sending a dead link.
 */
export function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Enlace inválido para el correo: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Enlace inválido para el correo (solo http o https): ${JSON.stringify(url)}`);
  }
  return parsed.toString();
}
