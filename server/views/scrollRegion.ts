import { html, type SafeHtml } from '../../domain/html';

/**
 * A wide table (or diagram) that scrolls sideways inside its own box instead of widening the page,
 * reachable by keyboard (WCAG 2.1.1: a scrollable region must be focusable to be scrolled with the
 * arrow keys) and named for screen readers: `label` says what it holds ("Registro de auditoría").
 */
export const scrollRegion = (label: string, content: SafeHtml, extraClass?: string): SafeHtml =>
  html`<div class="table-wrap${extraClass ? ` ${extraClass}` : ''}" tabindex="0" role="region" aria-label="${label}">${content}</div>`;
