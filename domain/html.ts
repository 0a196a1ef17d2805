/**
 * The one way pages (server/views) and e-mails (mail/) build HTML: every interpolated value is
 * escaped unless it is already trusted markup (a SafeHtml built by this module). It lives in domain/
 * because it is pure and both the Documents layer and the Server layer may import domain/.
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

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

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
 * Markup built elsewhere by a trusted producer (Graphviz's SVG, a body rendered once and cached).
 * Never pass request data or database text through it.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
