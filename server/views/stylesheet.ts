import { statusColors } from '../../reports/dashboard';
import type { GoalStatus } from '../../domain/goals';

/** The class of a classification's badge and bar; its colours come from reports/dashboard.ts (one palette for pages, XLSX and PPTX). */
export const statusClass = (status: GoalStatus): string => `status-${status}`;

/**
 * The app's stylesheet: the hand-written rules of server/assets/app.css followed by one rule per
 * classification, generated so the colours never drift from the exported files'.
 */
export function stylesheet(base: string): string {
  const statusRules = Object.entries(statusColors)
    .map(([status, { fill, text }]) => `.${statusClass(status as GoalStatus)} { background: #${fill}; color: #${text}; fill: #${fill}; }`)
    .join('\n');
  return `${base}\n/* Classification colours (reports/dashboard.ts statusColors) */\n${statusRules}\n`;
}

/**
 * /assets/identity.css: the municipality's colours (validated #rrggbb, contrast checked) as the
 * custom properties app.css uses; app.css declares the same properties with the default colours.
 */
export function identityStylesheet(colors: { primary: string; accent: string }): string {
  const hex = (value: string) => (/^#[0-9a-f]{6}$/.test(value) ? value : '#000000');
  return `/* The municipality's colours, set on /admin/municipio */\n:root { --color-primary: ${hex(colors.primary)}; --color-accent: ${hex(colors.accent)}; }\n`;
}
