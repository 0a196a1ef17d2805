/**
 * Numbers as people type them in Colombia and elsewhere: `1.234,5`, `1234,5`, `1,234.5`, `1234.5`,
 * `1 234,5`, `12%` (→ 12). `es` and `en` only decide the ambiguous case of a single separator
 * followed by exactly three digits (`1.234`, `12,500`): thousands in the locale's convention.
 */
export type NumberLocale = 'es' | 'en';

export type ParsedNumber = { ok: true; value: number } | { ok: false; message: string };

const notANumber = (raw: string): ParsedNumber => ({ ok: false, message: `debe ser un número (recibido "${raw}")` });

const groupedInteger = (s: string, separator: string) => {
  const groups = s.split(separator);
  return /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
};

export function parseNumber(input: string | number, locale: NumberLocale = 'es'): ParsedNumber {
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : notANumber(String(input));
  const raw = input.trim();
  // Excel and Word put non-breaking or thin spaces in formatted numbers; the minus may be U+2212.
  let s = raw.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\u2212/g, '-');
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1).trimStart();
  }
  if (s.includes(' ')) {
    // Spaces only as thousands separators: "1 234 567,5".
    if (!/^\d{1,3}( \d{3})+([.,]\d+)?$/.test(s)) return notANumber(raw);
    s = s.replace(/ /g, '');
  }
  if (!/^[\d.,]*\d[\d.,]*$/.test(s) || !/^[.,]?\d/.test(s)) return notANumber(raw);

  const dots = s.split('.').length - 1;
  const commas = s.split(',').length - 1;
  let integerPart = s;
  let fraction = '';
  if (dots && commas) {
    const decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    const at = s.lastIndexOf(decimal);
    integerPart = s.slice(0, at);
    fraction = s.slice(at + 1);
    if (integerPart.split(decimal).length > 1 || !groupedInteger(integerPart, thousands) || !/^\d+$/.test(fraction)) return notANumber(raw);
    integerPart = integerPart.split(thousands).join('');
  } else if (dots + commas > 1) {
    const separator = dots ? '.' : ',';
    if (!groupedInteger(s, separator)) return notANumber(raw);
    integerPart = s.split(separator).join('');
  } else if (dots + commas === 1) {
    const separator = dots ? '.' : ',';
    const [before = '', after = ''] = s.split(separator);
    const localeThousands = locale === 'es' ? '.' : ',';
    const ambiguous = after.length === 3 && /^[1-9]\d{0,2}$/.test(before);
    if (ambiguous && separator === localeThousands) {
      integerPart = before + after;
    } else {
      integerPart = before || '0';
      fraction = after;
      if (!/^\d+$/.test(fraction)) return notANumber(raw);
    }
  }
  const value = sign * Number(`${integerPart}${fraction ? `.${fraction}` : ''}`);
  return Number.isFinite(value) ? { ok: true, value } : notANumber(raw);
}
