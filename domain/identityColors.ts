/**
 * The municipality's colours on the pages: a primary (the navigation bar's background behind white
 * text, links and buttons on white) and an accent (the stripe under the navigation, the mark of the
 * current page). Both are checked against white with the WCAG 2.1 contrast ratio, so an
 * administrator cannot choose a colour people cannot read.
 */

export interface IdentityColors {
  /** #rrggbb, lower case. */
  primary: string;
  accent: string;
}

/** Sober default: the dark blue and the blue of the national portal GOV.CO. */
export const defaultIdentityColors: IdentityColors = { primary: '#004884', accent: '#3366cc' };

/** Text and links (WCAG 1.4.3, level AA) and non-text marks (WCAG 1.4.11). */
export const minimumContrast = { primary: 4.5, accent: 3 } as const;

/** "#36C", "#3366cc", "3366CC" → "#3366cc"; null when it is not a hexadecimal colour. */
export function normalizeHexColor(text: string): string | null {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(text.trim());
  if (!match) return null;
  const hex = match[1]!.toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`;
}

const channel = (value: number) => {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance of #rrggbb (WCAG 2.1 definition). */
export function relativeLuminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** The contrast ratio of two colours, from 1 (none) to 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** The contrast of a colour against white, the pages' background and the navigation's text. */
export const contrastOnWhite = (hex: string) => contrastRatio(hex, '#ffffff');
