import { html, multiline, type SafeHtml } from '../../domain/html';
import { formatNumber, formatPercent, NO_VALUE } from '../../domain/format';
import { accumulationLabels, annualTargetFromQuarters, goalStatusLabels, type AccumulationType } from '../../domain/goals';
import { isElapsedQuarter, programmedQuarters } from '../../domain/quarterProgramming';
import { quarterMeaning } from './responseGoalCard';
import { checkTermTarget } from '../../domain/termTarget';
import type { GoalView } from '../../domain/reviewViews';

// One goal's answer on the coordinator's review page: the current programming beside the proposal,
// each changed value marked with a class and its difference in words (never colour alone).

type Quarters = readonly (number | null)[];

const clean = (n: number) => Math.round(n * 1e9) / 1e9;

/** "+5", "−2,5" (a true minus sign) or "Sin cambio", in es-CO. */
export function signedDifference(before: number | null, after: number | null): string {
  if (after === null) return NO_VALUE;
  const difference = clean(after - (before ?? 0));
  if (difference === 0 && before !== null) return 'Sin cambio';
  if (difference === 0) return 'Nuevo: 0';
  return difference > 0 ? `+${formatNumber(difference)}` : `\u2212${formatNumber(-difference)}`;
}

const changed = (before: number | null, after: number | null) => after !== null && (before === null || clean(after - before) !== 0);


export const accumulationOf = (goal: GoalView): AccumulationType => goal.term?.accumulation ?? goal.measurement?.accumulation ?? 'sum';

function comparisonRow(label: SafeHtml | string, before: number | null, after: number | null): SafeHtml {
  const isChanged = changed(before, after);
  const mark = isChanged ? ' changed' : '';
  return html`<tr class="${isChanged ? 'changed-row' : ''}"><th scope="row" data-label="Periodo">${label}</th>
<td class="num" data-label="Actual">${formatNumber(before)}</td>
<td class="num${mark}" data-label="Propuesta">${formatNumber(after)}${isChanged ? html`<span class="visually-hidden"> (cambia)</span>` : ''}</td>
<td class="num difference${mark}" data-label="Diferencia">${signedDifference(before, after)}</td></tr>`;
}

/** The year's quarters and total, before and after, for a reprogramming. */
function quarterTable(goal: GoalView, fiscalYear: number, reviewQuarter: number, proposed: readonly number[]): SafeHtml {
  const accumulation = accumulationOf(goal);
  // The quarters as the liaison's form showed them (an annual target alone spread as the type reads it).
  const programmed = goal.programming.annualTarget !== null || goal.programming.quarterlyTargets?.some((v) => v !== null);
  const current: Quarters = programmed ? programmedQuarters(goal.programming, accumulation) : [null, null, null, null];
  const currentKnown = current.filter((v): v is number => v !== null);
  const annualBefore = goal.programming.annualTarget ?? (currentKnown.length ? annualTargetFromQuarters(accumulation, currentKnown) : null);
  const annualAfter = annualTargetFromQuarters(accumulation, proposed);
  const rows = [0, 1, 2, 3].map((i) =>
    comparisonRow(
      html`T${String(i + 1)}${isElapsedQuarter(i + 1, reviewQuarter) ? html` <span class="hint">(transcurrido)</span>` : ''}`,
      current[i] ?? null,
      proposed[i] ?? null,
    ),
  );
  const annualLabel = accumulation === 'sum' ? `Total ${String(fiscalYear)}` : `Nivel al cierre de ${String(fiscalYear)}`;
  return html`<table class="comparison"><caption>Programación ${String(fiscalYear)}: actual y propuesta (${quarterMeaning[accumulation]})</caption>
<thead><tr><th scope="col">Periodo</th><th scope="col" class="num">Actual</th><th scope="col" class="num">Propuesta</th><th scope="col" class="num">Diferencia</th></tr></thead>
<tbody>${rows}${comparisonRow(html`<strong>${annualLabel}</strong>`, annualBefore, annualAfter)}</tbody></table>`;
}

/** Amounts moved to later years of the term, and what happens to the meta cuatrienio. */
function laterYears(goal: GoalView, fiscalYear: number, proposed: readonly number[], future: Record<string, number>, councilAgreement: string | undefined): SafeHtml {
  const moved = Object.entries(future).sort(([a], [b]) => Number(a) - Number(b));
  const annualOf = (year: number) => goal.term?.annualTargets.find((y) => y.fiscalYear === year)?.annualTarget ?? null;
  const years = moved.length
    ? html`<table class="comparison"><caption>Vigencias siguientes</caption>
<thead><tr><th scope="col">Vigencia</th><th scope="col" class="num">Actual</th><th scope="col" class="num">Propuesta</th><th scope="col" class="num">Diferencia</th></tr></thead>
<tbody>${moved.map(([year, value]) => comparisonRow(year, annualOf(Number(year)), value))}</tbody></table>`
    : html`<p>Sin cambios en las vigencias siguientes.</p>`;
  if (!goal.term) return years;
  const check = checkTermTarget(goal.goalCode, goal.term, { fiscalYear, newQuarterlyTargets: proposed, futureAnnualTargets: future });
  if (!check.ok) return html`${years}<p class="error">${check.message}</p>`;
  const term = check.altersTermTarget
    ? html`<div class="note term-change"><p><strong>Cambia la meta cuatrienio:</strong> ${
        check.yearsOff.length
          ? check.description
          : html`de ${formatNumber(check.termTargetBefore)} a ${formatNumber(check.termTargetAfter)} (${signedDifference(check.termTargetBefore, check.termTargetAfter)})`
      }. Requiere Acuerdo del Concejo.</p>
<p>Acuerdo del Concejo: ${councilAgreement ?? 'no indicado'}</p></div>`
    : html`<p>Meta cuatrienio: ${formatNumber(check.termTargetBefore)}, sin cambio.${councilAgreement ? html` Acuerdo del Concejo indicado: ${councilAgreement}.` : ''}</p>`;
  return html`${years}${term}`;
}

function progressLine(goal: GoalView, quarter: number): SafeHtml | string {
  const m = goal.measurement;
  if (!m) return '';
  const progress =
    m.executedToDate === null
      ? `sin avance reportado; se esperaban ${formatNumber(m.expectedToDate)}`
      : `${formatNumber(m.executedToDate)} de ${formatNumber(m.expectedToDate)} esperados${m.progressPercent === null ? '' : ` (${formatPercent(m.progressPercent)})`}`;
  return html`<dt>Avance al T${String(quarter)}</dt><dd>${progress}</dd>`;
}

const statusBadge = (goal: GoalView) => (goal.status ? html`<span class="badge">${goalStatusLabels[goal.status]}</span>` : '');

/** A goal whose department proposes a new programming: before/after, later years, reasons. */
export function reprogrammedGoal(goal: GoalView, fiscalYear: number, quarter: number): SafeHtml {
  const answer = goal.answer;
  if (answer?.action !== 'reprogram') return html``;
  const accumulation = accumulationOf(goal);
  const id = `meta-${goal.goalCode.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  return html`<article class="goal-proposal" aria-labelledby="${id}"><h3 id="${id}">${goal.goalCode} · ${goal.name}</h3>
<p>${statusBadge(goal)} <span class="badge proposal">Propone reprogramación</span></p>
<dl class="facts review-facts"><dt>Tipo de acumulación</dt><dd>${accumulationLabels[accumulation]}</dd>${progressLine(goal, quarter)}</dl>
${quarterTable(goal, fiscalYear, quarter, answer.newQuarterlyTargets)}
${laterYears(goal, fiscalYear, answer.newQuarterlyTargets, answer.futureAnnualTargets ?? {}, answer.councilAgreement)}
<dl class="facts review-facts"><dt>Justificación</dt><dd>${multiline(answer.justification)}</dd><dt>Compromiso</dt><dd>${multiline(answer.commitment)}</dd></dl></article>`;
}

const quarterList = (values: Quarters | null) => (values ? values.map((v) => formatNumber(v)).join(' · ') : NO_VALUE);

/** A goal kept with a commitment: collapsed, its reasons one click away. */
export function keptGoal(goal: GoalView): SafeHtml {
  const answer = goal.answer;
  if (answer?.action !== 'keep') return html``;
  return html`<details class="kept-goal"><summary>${goal.goalCode} · ${goal.name} — se mantiene${goal.status ? html` (${goalStatusLabels[goal.status]})` : ''}</summary>
<dl class="facts review-facts"><dt>Programación trimestral</dt><dd>${quarterList(goal.programming.quarterlyTargets)}</dd>
<dt>Justificación</dt><dd>${multiline(answer.justification)}</dd><dt>Compromiso</dt><dd>${multiline(answer.commitment)}</dd></dl></details>`;
}

/** Goals still without an answer (the review waits for the department). */
export function unansweredGoals(goals: GoalView[]): SafeHtml {
  if (goals.length === 0) return html``;
  return html`<table class="cards"><caption>Metas alertadas, aún sin respuesta</caption>
<thead><tr><th scope="col">Meta</th><th scope="col">Estado</th><th scope="col">Programación trimestral actual (T1 · T2 · T3 · T4)</th></tr></thead>
<tbody>${goals.map(
    (g) => html`<tr><th scope="row" data-label="Meta">${g.goalCode} · ${g.name}</th><td data-label="Estado">${g.status ? goalStatusLabels[g.status] : NO_VALUE}</td><td data-label="Programación actual">${quarterList(g.programming.quarterlyTargets)}</td></tr>`,
  )}</tbody></table>`;
}
