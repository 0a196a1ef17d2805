import { accumulationTypes, type AccumulationType } from '../domain/goals';
import { byAlertPriority } from '../domain/goalPriority';
import { formatNumber } from '../domain/format';
import { describeUnsafeInput, findUnsafeInput, sanitizeForMessage, sizeWords } from '../domain/inputText';
import { hasQuarterElapsed } from '../domain/closedPeriods';
import { isElapsedQuarter, programmedQuarters } from '../domain/quarterProgramming';
import { responseSubmissionSchema, type GoalAnswer, type ResponseSubmission } from '../domain/review';
import type { ReviewView } from '../domain/reviewViews';
import { checkTermTarget } from '../domain/termTarget';
import { COMMITMENT_MAX, readConsolidationCommitments, type ConsolidationGoal } from '../domain/consolidation';
import { parseNumber } from '../imports/numbers';

/**
 * The liaison's form as fields: one card per goal (in the alert e-mail's order), the submission
 * read from the posted fields, and every refusal turned into messages per field, each naming the
 * goal by code and name, so the page can show them beside the field and link them from the summary.
 */

/** What the form tells about a goal beyond the review's view (services/readModels goalDescriptions). */
export interface GoalDescription {
  goalCode: string;
  indicator: string;
  unit: string;
  accumulation: string;
}

export type FormGoal = ReviewView['goals'][number] & {
  indicator: string | null;
  unit: string | null;
  accumulation: AccumulationType;
  /** The year's current programming per quarter (domain/quarterProgramming). */
  current: [number, number, number, number];
  /** Later years of the term whose programming the liaison may move. */
  laterYears: { fiscalYear: number; annualTarget: number | null }[];
  /** Per quarter, whether it is shown read-only: before the review's quarter, or elapsed by the calendar (domain/closedPeriods). */
  elapsed: [boolean, boolean, boolean, boolean];
  /** The Acuerdos del Concejo registered for the goal, newest first, as the form's select offers them. */
  councilAgreements: CouncilAgreementChoice[];
};

/** A registered Acuerdo del Concejo as the form offers it. */
export interface CouncilAgreementChoice {
  id: number;
  goalCode: string;
  label: string;
}

/** A message for one field of the form (`field` is the input's id), or for the whole answer (`field` null). */
export interface FieldError {
  field: string | null;
  message: string;
}

export const fieldId = (name: string, goalCode: string) => `${name}__${goalCode}`;

const isAccumulation = (value: unknown): value is AccumulationType => accumulationTypes.includes(value as AccumulationType);

/** The review's goals as the form shows them, lagging ones first as in the alert e-mail. */
export function formGoals(
  view: ReviewView,
  descriptions: readonly GoalDescription[],
  at: Date = new Date(),
  agreements: readonly CouncilAgreementChoice[] = [],
): FormGoal[] {
  const byCode = new Map(descriptions.map((d) => [d.goalCode, d]));
  return [...view.goals].sort(byAlertPriority).map((goal) => {
    const description = byCode.get(goal.goalCode);
    const stored = goal.measurement?.accumulation ?? goal.term?.accumulation ?? description?.accumulation;
    const accumulation: AccumulationType = isAccumulation(stored) ? stored : 'sum';
    return {
      ...goal,
      indicator: description?.indicator ?? null,
      unit: description?.unit ?? null,
      accumulation,
      current: programmedQuarters(goal.programming, accumulation),
      laterYears: (goal.term?.annualTargets ?? []).filter((y) => y.fiscalYear > view.fiscalYear),
      elapsed: ([1, 2, 3, 4] as const).map((q) => isElapsedQuarter(q, view.quarter) || hasQuarterElapsed(view.fiscalYear, q, at)) as FormGoal['elapsed'],
      councilAgreements: agreements.filter((a) => a.goalCode === goal.goalCode),
    };
  });
}

/**
 * A number as a person in Colombia types it (19.000 · 3,5 · 1.234,56; 19000 and 3.5 too). Text that
 * is no number, or is ambiguous (1.234.5), becomes NaN, which the answer's validation refuses by field.
 * server/assets/responseForm.js reads with the same rule (test/responseFormScript.test.ts).
 */
export function typedNumber(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return Number.NaN;
  const parsed = parseNumber(text, 'es');
  return parsed.ok ? parsed.value : Number.NaN;
}

/** Why a typed number cannot be read, in words the person can act on; null when it can. */
export function numberProblem(text: string): string | null {
  if (text.trim() === '') return 'escriba un número, por ejemplo 19.000 o 3,5';
  if (!Number.isNaN(typedNumber(text))) return null;
  const shown = sanitizeForMessage(text.trim()).slice(0, 40);
  return /^[\d\s.,+-]+$/.test(text.trim()) && /\d/.test(text)
    ? `«${shown}» es ambiguo: use punto para los miles y coma para los decimales (19.000 o 3,5)`
    : `«${shown}» no es un número: escriba por ejemplo 19.000 o 3,5`;
}

/** The submission the posted fields make; elapsed quarters keep the current programming whatever was posted. */
export function submissionFromForm(
  view: ReviewView,
  goals: readonly FormGoal[],
  form: Record<string, string>,
  consolidation: readonly ConsolidationGoal[] = [],
): ResponseSubmission & { consolidationCommitments?: { goalCode: string; commitment: string }[] } {
  const answers: GoalAnswer[] = goals.map((goal) => {
    const field = (name: string) => form[fieldId(name, goal.goalCode)] ?? '';
    const common = { goalCode: goal.goalCode, justification: field('justification'), commitment: field('commitment') };
    if (field('action') !== 'reprogram') return { ...common, action: 'keep' };
    const targets = goal.current.map((current, i) => (goal.elapsed[i] ? current : typedNumber(field(`q${i + 1}`)))) as [
      number,
      number,
      number,
      number,
    ];
    // Only the later years whose programming the liaison changed are moved.
    const changed = Object.fromEntries(
      goal.laterYears
        .filter((y) => field(`y${y.fiscalYear}`).trim() !== '')
        .map((y) => [String(y.fiscalYear), typedNumber(field(`y${y.fiscalYear}`)), y.annualTarget] as const)
        .filter(([, value, current]) => value !== current)
        .map(([year, value]) => [year, value]),
    );
    // The select sends a registered acuerdo's ID; anything else is refused by the answer's schema.
    const council = field('council').trim();
    return {
      ...common,
      action: 'reprogram',
      newQuarterlyTargets: targets,
      ...(Object.keys(changed).length ? { futureAnnualTargets: changed } : {}),
      ...(council ? { councilAgreementId: /^\d{1,15}$/.test(council) ? Number(council) : Number.NaN } : {}),
    };
  });
  const commitments = consolidation.map((g) => ({ goalCode: g.goalCode, commitment: form[fieldId('consolidation', g.goalCode)] ?? '' }));
  return { respondent: { name: form.respondentName ?? '' }, answers, ...(commitments.length ? { consolidationCommitments: commitments } : {}) };
}

const fieldNames: Record<string, string> = {
  consolidation: 'Compromiso de consolidación',
  action: 'Acción',
  justification: 'Justificación',
  commitment: 'Compromiso',
  council: 'Acuerdo del Concejo',
};

/** "Justificación de la meta 2402002-01 (Vías rurales mejoradas)": the field as the liaison sees it. */
function fieldLabel(id: string, goals: readonly FormGoal[]): string {
  if (id === 'respondentName') return 'Nombre de quien responde';
  const [name = '', code = ''] = id.split('__');
  if (name === 'consolidation') return `Compromiso de consolidación de la meta ${code}`;
  const goal = goals.find((g) => g.goalCode === code);
  const what = fieldNames[name] ?? (/^q\d$/.test(name) ? `Nueva programación T${name.slice(1)}` : /^y\d{4}$/.test(name) ? `Programación de ${name.slice(1)}` : name);
  return goal ? `${what} de la meta ${goal.goalCode} (${goal.name})` : what;
}

const withLabel = (id: string, goals: readonly FormGoal[], reason: string): FieldError => ({ field: id, message: `${fieldLabel(id, goals)}: ${reason}` });

/** Zod messages of domain/review.ts start with the field's own name ("justificación: …"): the label says it already. */
const reasonOf = (message: string) => message.replace(/^(justificación|compromiso|nombre de quien responde|acuerdo del Concejo|nueva programación|vigencia futura): /, '');

/** The input a validation issue of the submission belongs to. */
function issueField(path: readonly PropertyKey[], view: ReviewView, goals: readonly FormGoal[], submission: ResponseSubmission): string | null {
  if (path[0] === 'respondent') return 'respondentName';
  if (path[0] !== 'answers' || typeof path[1] !== 'number') return null;
  const goal = goals.find((g) => g.goalCode === submission.answers[path[1] as number]?.goalCode);
  if (!goal) return null;
  const id = (name: string) => fieldId(name, goal.goalCode);
  const [, , field, item] = path;
  switch (field) {
    case 'justification':
    case 'commitment':
    case 'action':
      return id(field);
    case 'councilAgreement':
    case 'councilAgreementId':
      return id('council');
    case 'newQuarterlyTargets':
      return id(`q${typeof item === 'number' ? item + 1 : Math.min(Math.max(view.quarter, 1), 4)}`);
    case 'futureAnnualTargets':
      return typeof item === 'string' ? id(`y${item}`) : goal.laterYears[0] ? id(`y${goal.laterYears[0].fiscalYear}`) : id('council');
    default:
      return null;
  }
}

/**
 * Every problem of a posted answer, by field: unreadable numbers, the answer's validation
 * (domain/review.ts) and the meta cuatrienio rule (domain/termTarget.ts), in the form's order.
 */
export function answerProblems(
  view: ReviewView,
  goals: readonly FormGoal[],
  form: Record<string, string>,
  submission: ResponseSubmission,
  consolidation: readonly ConsolidationGoal[] = [],
): FieldError[] {
  const problems: FieldError[] = [];
  const taken = new Set<string>();
  const add = (error: FieldError) => {
    if (error.field && taken.has(error.field)) return;
    if (error.field) taken.add(error.field);
    problems.push(error);
  };
  for (const [key, value] of Object.entries(form)) {
    const unsafe = findUnsafeInput(value);
    if (unsafe) add({ field: key, message: describeUnsafeInput({ ...unsafe, path: [key] }, () => fieldLabel(key, goals)) });
  }
  for (const goal of goals) {
    if (form[fieldId('action', goal.goalCode)] !== 'reprogram') continue;
    const numbers = [
      ...[1, 2, 3, 4].filter((q) => !goal.elapsed[q - 1]).map((q) => fieldId(`q${q}`, goal.goalCode)),
      ...goal.laterYears.map((y) => fieldId(`y${y.fiscalYear}`, goal.goalCode)).filter((id) => (form[id] ?? '').trim() !== ''),
    ];
    for (const id of numbers) {
      const problem = numberProblem(form[id] ?? '');
      if (problem) add(withLabel(id, goals, problem));
    }
  }
  const parsed = responseSubmissionSchema.safeParse(submission);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issueField(issue.path, view, goals, submission);
      add(field ? withLabel(field, goals, reasonOf(issue.message)) : { field: null, message: reasonOf(issue.message) });
    }
  }
  for (const answer of submission.answers) {
    const goal = goals.find((g) => g.goalCode === answer.goalCode);
    if (answer.action !== 'reprogram' || !goal?.term || !parsed.success) continue;
    const check = checkTermTarget(goal.goalCode, goal.term, {
      fiscalYear: view.fiscalYear,
      newQuarterlyTargets: answer.newQuarterlyTargets,
      futureAnnualTargets: answer.futureAnnualTargets,
    });
    const council = fieldId('council', goal.goalCode);
    if (!check.ok) add(withLabel(council, goals, check.message.replace(`Meta ${goal.goalCode}: `, '')));
    else if (check.altersTermTarget && answer.councilAgreementId === undefined) {
      add(
        withLabel(
          council,
          goals,
          `${check.description}; ` +
            (goal.laterYears.length ? 'traslade lo pendiente a las vigencias siguientes o elija' : 'ajuste la programación para conservar la meta o elija') +
            ' el Acuerdo del Concejo registrado que autoriza el cambio',
        ),
      );
    }
  }
  const consolidated = readConsolidationCommitments(consolidation, submission);
  if (!consolidated.ok) {
    for (const problem of consolidated.problems) add({ field: problem.goalCode ? fieldId('consolidation', problem.goalCode) : null, message: problem.message });
  }
  const order = formOrder(goals, consolidation);
  return problems.sort((a, b) => (order.get(a.field ?? '') ?? -1) - (order.get(b.field ?? '') ?? -1));
}

/** Each field's position in the page, so the summary lists problems top to bottom. */
function formOrder(goals: readonly FormGoal[], consolidation: readonly ConsolidationGoal[] = []): Map<string, number> {
  const ids = ['respondentName'];
  for (const goal of goals) {
    for (const name of ['action', 'justification', 'commitment', 'q1', 'q2', 'q3', 'q4', ...goal.laterYears.map((y) => `y${y.fiscalYear}`), 'council']) {
      ids.push(fieldId(name, goal.goalCode));
    }
  }
  for (const goal of consolidation) ids.push(fieldId('consolidation', goal.goalCode));
  return new Map(ids.map((id, i) => [id, i]));
}

/** A draft is at most this size (names and values, in UTF-8). */
export const DRAFT_MAX_BYTES = 64 * 1024;

const fieldLimits: Record<string, number> = { action: 20, justification: 4000, commitment: 4000, council: 200 };

/** The form's fields for this review, each with its length limit. */
function draftFields(view: ReviewView, goals: readonly FormGoal[], consolidation: readonly ConsolidationGoal[] = []): Map<string, number> {
  const fields = new Map<string, number>([['respondentName', 200]]);
  for (const goal of consolidation) fields.set(fieldId('consolidation', goal.goalCode), COMMITMENT_MAX);
  for (const goal of goals) {
    for (const [name, max] of Object.entries(fieldLimits)) fields.set(fieldId(name, goal.goalCode), max);
    for (const q of [1, 2, 3, 4]) fields.set(fieldId(`q${q}`, goal.goalCode), 40);
    for (const y of goal.laterYears) fields.set(fieldId(`y${y.fiscalYear}`, goal.goalCode), 40);
  }
  return fields;
}

/** Why a draft cannot be kept (413: too large; 422: unknown field, too long, characters no record holds), or null. */
export function draftProblems(
  view: ReviewView,
  goals: readonly FormGoal[],
  body: Record<string, unknown>,
  consolidation: readonly ConsolidationGoal[] = [],
): { status: number; message: string; problems: FieldError[] } | null {
  const entries = Object.entries(body).filter(([key]) => key !== '_csrf' && key !== 'intent');
  const size = entries.reduce((n, [key, value]) => n + Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : JSON.stringify(value ?? '')), 0);
  if (size > DRAFT_MAX_BYTES) {
    return { status: 413, message: `El borrador supera el tamaño máximo de ${sizeWords(DRAFT_MAX_BYTES)} (${sizeWords(size)}); acorte los textos.`, problems: [] };
  }
  const known = draftFields(view, goals, consolidation);
  const unknown = entries.filter(([key]) => !known.has(key)).map(([key]) => `«${sanitizeForMessage(key)}»`);
  if (unknown.length) {
    const listed = `${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` y ${unknown.length - 5} más` : ''}`;
    return { status: 422, message: `El borrador tiene campos que el formulario no conoce: ${listed}.`, problems: [] };
  }
  const problems: FieldError[] = [];
  for (const [key, value] of entries) {
    const max = known.get(key) as number;
    if (typeof value !== 'string') problems.push(withLabel(key, goals, 'envíe un solo valor de texto'));
    else if (value.length > max) problems.push(withLabel(key, goals, `máximo ${formatNumber(max)} caracteres (tiene ${formatNumber(value.length)})`));
    else {
      const unsafe = findUnsafeInput(value);
      if (unsafe) problems.push({ field: key, message: describeUnsafeInput({ ...unsafe, path: [key] }, () => fieldLabel(key, goals)) });
    }
  }
  return problems.length ? { status: 422, message: 'El borrador tiene campos inválidos.', problems } : null;
}

/** The form's non-empty fields with the names a person knows, in the form's order (shown back when an answer can no longer be taken). */
export function typedFields(
  view: ReviewView,
  goals: readonly FormGoal[],
  form: Record<string, string>,
  consolidation: readonly ConsolidationGoal[] = [],
): { label: string; value: string }[] {
  return [...draftFields(view, goals, consolidation).keys()].filter((name) => form[name]?.trim()).map((name) => ({ label: fieldLabel(name, goals), value: form[name] as string }));
}

/** Only the form's own fields, as a record keeps them (anything else posted is not stored). */
export function formFieldsOnly(
  view: ReviewView,
  goals: readonly FormGoal[],
  form: Record<string, string>,
  consolidation: readonly ConsolidationGoal[] = [],
): Record<string, string> {
  const known = draftFields(view, goals, consolidation);
  return Object.fromEntries(Object.entries(form).filter(([key]) => known.has(key)));
}
