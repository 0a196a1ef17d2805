/**
 * A tiny, dependency-free way to build e-mail HTML where every interpolated value is escaped
 * unless it is already trusted markup (a SafeHtml built by this module).
 */

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markup that has already been escaped or built from trusted literals. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Tagged template: literals are trusted, every `${value}` is escaped (arrays are concatenated). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Plain text with its line breaks kept (a justification typed in several lines). */
export function multiline(text: string): SafeHtml {
  return new SafeHtml(
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((line) => escapeHtml(line))
      .join('<br>'),
  );
}

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
