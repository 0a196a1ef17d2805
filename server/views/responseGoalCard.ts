import { accumulationLabels, goalStatusLabels, type AccumulationType } from '../../domain/goals';
import { formatNumber, formatNumberForInput } from '../../domain/format';
import { html, type SafeHtml } from '../../domain/html';
import type { GoalAnswer } from '../../domain/review';
import type { ReviewView } from '../../domain/reviewViews';
import type { FormGoal } from '../responseFields';

// One goal of the liaison's response form: what the goal is, the current programming beside the
// inputs, and the answer. server/assets/responseForm.js adds the read-back of each number, the
// difference against the current programming, and hides the targets when "Mantener" is chosen.

/** What a quarter's number means for each accumulation type (domain/goals.ts annualTargetFromQuarters). */
export const quarterMeaning: Record<AccumulationType, string> = {
  sum: 'cantidad del trimestre; la meta del año es la suma de los cuatro',
  flow: 'cantidad del trimestre; no se acumula: la meta del año es la del último trimestre',
  stock: 'nivel al cierre del trimestre; la meta del año es el nivel de T4',
  capacity: 'capacidad instalada al cierre del trimestre; la meta del año es la de T4',
  reduction: 'nivel al cierre del trimestre (menor es mejor); la meta del año es el nivel de T4',
  annualReduction: 'nivel al cierre del trimestre (menor es mejor; se mide desde el cierre del año anterior); la meta del año es el nivel de T4',
};

/** The form's values and per-field messages, as the card needs them. */
export interface CardState {
  value: (id: string, fallback?: unknown) => string;
  error: (id: string) => string | undefined;
}

const errorId = (id: string) => `error-${id}`;

/** The message above a field and the attributes that tie it to the field. */
function fieldError(id: string, state: CardState): { message: SafeHtml | ''; attributes: SafeHtml | '' } {
  const message = state.error(id);
  if (!message) return { message: '', attributes: '' };
  return { message: html`<p class="field-error" id="${errorId(id)}">${message}</p>`, attributes: html` aria-invalid="true"` };
}

const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(' ');

function numberInput(id: string, label: string, value: string, current: number | null, state: CardState, hint: string): SafeHtml {
  const { message, attributes } = fieldError(id, state);
  const currentText = current === null ? 'sin programación' : formatNumber(current);
  return html`<div class="quarter"><label for="${id}">${label}</label>${message}<input id="${id}" name="${id}" inputmode="decimal" autocomplete="off" value="${value}" data-number data-current="${current ?? ''}" aria-describedby="${describedBy(state.error(id) && errorId(id), `vigente-${id}`, `lectura-${id}`)}"${attributes}>
<span class="current" id="vigente-${id}">${hint}: ${currentText}</span><span class="readback" id="lectura-${id}" data-readback></span></div>`;
}

function answerPart(goal: FormGoal, action: string, state: CardState): SafeHtml {
  const id = (name: string) => `${name}__${goal.goalCode}`;
  const previous = goal.answer;
  const option = (v: string, label: string) => html`<option value="${v}"${action === v ? html` selected` : ''}>${label}</option>`;
  const text = (name: 'justification' | 'commitment', label: string, rows: number, hint: string) => {
    const { message, attributes } = fieldError(id(name), state);
    return html`<label for="${id(name)}">${label}</label><p class="hint" id="ayuda-${id(name)}">${hint}</p>${message}<textarea id="${id(name)}" name="${id(name)}" rows="${rows}" aria-describedby="${describedBy(`ayuda-${id(name)}`, state.error(id(name)) && errorId(id(name)))}"${name === 'justification' ? html` data-justification` : ''}${attributes}>${state.value(id(name), previous?.[name])}</textarea>`;
  };
  const actionError = fieldError(id('action'), state);
  return html`<label for="${id('action')}">Acción</label>${actionError.message}<select id="${id('action')}" name="${id('action')}" data-action${actionError.attributes}>${option('keep', 'Mantener la programación')}${option('reprogram', 'Proponer reprogramación')}</select>
${text('justification', 'Justificación', 3, 'Por qué la meta no avanzó como se programó (mínimo 10 caracteres).')}
${text('commitment', 'Compromiso', 2, 'Qué hará la dependencia y cuándo (mínimo 10 caracteres).')}`;
}

function targetsPart(view: ReviewView, goal: FormGoal, state: CardState): SafeHtml {
  const id = (name: string) => `${name}__${goal.goalCode}`;
  const previous = goal.answer?.action === 'reprogram' ? goal.answer : null;
  const quarters = goal.current.map((current, i) => {
    const q = i + 1;
    if (goal.elapsed[i]) {
      return html`<div class="quarter elapsed" data-value="${current}"><span class="quarter-name">T${q}</span><span class="elapsed-value">${formatNumber(current)}</span><span class="current">Trimestre transcurrido: se mantiene</span></div>`;
    }
    const fallback = previous ? previous.newQuarterlyTargets[i] : current;
    return numberInput(id(`q${q}`), `T${q}`, state.value(id(`q${q}`), formatNumberForInput(fallback)), current, state, 'Vigente');
  });
  const later = goal.laterYears.map((y) => {
    const fallback = previous?.futureAnnualTargets?.[String(y.fiscalYear)] ?? y.annualTarget;
    return numberInput(id(`y${y.fiscalYear}`), String(y.fiscalYear), state.value(id(`y${y.fiscalYear}`), formatNumberForInput(fallback)), y.annualTarget, state, 'Vigente');
  });
  const unit = goal.unit ? ` (${goal.unit})` : '';
  return html`<div class="reprogram" data-targets>
<p class="targets-title"><strong>Nueva programación trimestral${unit}</strong> <span class="hint only-without-script">— solo si propone reprogramar</span></p>
<p class="hint">Cada valor es la ${quarterMeaning[goal.accumulation]}. Escriba los números como de costumbre: 19.000 o 3,5.</p>
<div class="targets" data-quarters>${quarters}</div>
<p class="year-total" data-year-total aria-live="polite"></p>
${later.length ? html`<p class="hint">Programación de las vigencias siguientes (para trasladar lo pendiente; la meta cuatrienio debe mantenerse):</p><div class="targets">${later}</div>` : ''}
${councilSelect(goal, state, previous)}
</div>`;
}

/**
 * The Acuerdo del Concejo the change relies on: a registered acuerdo for the goal (the operator
 * registers them at /concejo), never free text. An answer stored before the registry shows its text.
 */
function councilSelect(goal: FormGoal, state: CardState, previous: Extract<GoalAnswer, { action: 'reprogram' }> | null): SafeHtml {
  const id = `council__${goal.goalCode}`;
  const council = fieldError(id, state);
  const chosen = state.value(id, previous?.councilAgreementId === undefined ? '' : String(previous.councilAgreementId));
  const option = (value: string, label: string) => html`<option value="${value}"${chosen === value ? html` selected` : ''}>${label}</option>`;
  const legacy = previous?.councilAgreement && previous.councilAgreementId === undefined ? html`<p class="hint">Indicado antes como texto: ${previous.councilAgreement}</p>` : '';
  const hint = goal.councilAgreements.length
    ? 'Solo si el cambio modifica la meta cuatrienio: elija el acuerdo registrado.'
    : 'Solo si el cambio modifica la meta cuatrienio. No hay acuerdos registrados para esta meta: la Oficina de Planeación los registra.';
  return html`<label for="${id}">Acuerdo del Concejo</label><p class="hint" id="ayuda-${id}">${hint}</p>${legacy}${council.message}<select id="${id}" name="${id}" aria-describedby="${describedBy(`ayuda-${id}`, state.error(id) && errorId(id))}"${council.attributes}>${option('', 'Ninguno (la meta cuatrienio no cambia)')}${goal.councilAgreements.map((a) => option(String(a.id), a.label))}</select>`;
}

/** A goal's card: facts first, then the answer, then the targets (shown only for a reprogramming). */
export function goalCard(view: ReviewView, goal: FormGoal, state: CardState): SafeHtml {
  const action = state.value(`action__${goal.goalCode}`, goal.answer?.action ?? 'keep');
  const m = goal.measurement;
  const fact = (term: string, value: string | null) => (value ? html`<dt>${term}</dt><dd>${value}</dd>` : '');
  return html`<fieldset class="goal-card" id="meta-${goal.goalCode}" data-goal="${goal.goalCode}" data-accumulation="${goal.accumulation}" data-chosen="${action}">
<legend>${goal.goalCode} · ${goal.name}</legend>
<dl class="goal-facts">${fact('Indicador', goal.indicator)}${fact('Unidad', goal.unit)}${fact('Tipo de acumulación', accumulationLabels[goal.accumulation])}${fact('Estado', goal.status ? goalStatusLabels[goal.status] : '—')}${fact('Programado en el año', formatNumber(goal.programming.annualTarget))}${fact(`Esperado a T${view.quarter}`, formatNumber(m?.expectedToDate))}${fact(`Ejecutado a T${view.quarter}`, m?.executedToDate === null || m?.executedToDate === undefined ? 'sin reporte' : formatNumber(m.executedToDate))}</dl>
${answerPart(goal, action, state)}
${targetsPart(view, goal, state)}
</fieldset>`;
}
