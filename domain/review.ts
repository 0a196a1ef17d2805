import { z } from 'zod';
import { isPlanValue, planValueSchema, sumMessage, sumWithinLimit } from './numbers';
import { parseResponseWindow } from './responseWindow';

// zod's own messages (checks without a message of ours) in Spanish: "Entrada inválida: se esperaba número".
z.config(z.locales.es());

const text = (field: string, min: number) =>
  z
    .string({ message: `${field}: es obligatorio` })
    .trim()
    .min(min, `${field}: escriba al menos ${min} caracteres`)
    .max(4000, `${field}: máximo 4000 caracteres`);

/** Every target value: finite, ≥ 0 and at most MAX_PLAN_VALUE (domain/numbers.ts). */
const targetValue = planValueSchema;

export const goalAnswerSchema = z.discriminatedUnion(
  'action',
  [
    z.object({
      goalCode: z.string().min(1, 'código de meta obligatorio'),
      action: z.literal('reprogram'),
      justification: text('justificación', 10),
      commitment: text('compromiso', 10),
      newQuarterlyTargets: z.tuple([targetValue, targetValue, targetValue, targetValue], {
        message: 'nueva programación: indique los cuatro valores trimestrales',
      }),
      /** Pending amounts moved to later years of the term, by year ("2027": 12). */
      futureAnnualTargets: z
        .record(z.string().regex(/^\d{4}$/, 'vigencia futura: use un año de cuatro dígitos'), targetValue)
        .optional(),
      /**
       * The registered Acuerdo del Concejo (services/councilAgreements) that authorises changing the
       * meta cuatrienio; the services refuse an ID that is not registered for the goal.
       */
      councilAgreementId: z.number({ message: 'acuerdo del Concejo: elija un acuerdo registrado' }).int('acuerdo del Concejo: elija un acuerdo registrado').positive('acuerdo del Concejo: elija un acuerdo registrado').optional(),
      /**
       * The acuerdo in words ("Acuerdo 012 del 15 de marzo de 2026"): set by the services from the
       * registered acuerdo; in answers stored before the registry, the text the liaison typed.
       */
      councilAgreement: z.string().trim().min(3, 'acuerdo del Concejo: indique el número del acuerdo').max(200).optional(),
      /** The meta cuatrienio the named acuerdo fixed: set by the services from the registry, checked by the review. */
      councilAgreementTermTarget: targetValue.optional(),
    }).superRefine((answer, ctx) => {
      // Each value is within range; their sums must be too (the year's total, and with later years the term's).
      // A value already refused is not summed again.
      const future = Object.values(answer.futureAnnualTargets ?? {});
      if (![...answer.newQuarterlyTargets, ...future].every(isPlanValue)) return;
      const year = sumWithinLimit(answer.newQuarterlyTargets);
      if (!year.ok) {
        ctx.addIssue({ code: 'custom', path: ['newQuarterlyTargets'], message: sumMessage('la suma de los cuatro trimestres', year.total) });
        return;
      }
      const term = sumWithinLimit([year.total, ...future]);
      if (!term.ok) {
        ctx.addIssue({ code: 'custom', path: ['futureAnnualTargets'], message: sumMessage('la suma de la vigencia y las vigencias siguientes', term.total) });
      }
    }),
    z.object({
      goalCode: z.string().min(1, 'código de meta obligatorio'),
      action: z.literal('keep'),
      justification: text('justificación', 10),
      commitment: text('compromiso', 10),
    }),
  ],
  { message: 'acción: elija "reprogram" (reprogramar) o "keep" (mantener la programación)' },
);
export type GoalAnswer = z.infer<typeof goalAnswerSchema>;

export const responseSubmissionSchema = z.object({
  respondent: z.object({
    name: text('nombre de quien responde', 3),
    email: z.email('correo de quien responde: no es un correo válido').optional(),
  }),
  answers: z.array(goalAnswerSchema).min(1, 'respuestas: responda al menos una meta'),
});
export type ResponseSubmission = z.infer<typeof responseSubmissionSchema>;

const windowText = z.string().refine((w) => parseResponseWindow(w).ok, 'plazo inválido: use por ejemplo 10d, 48h, 2m o 30s');

export const decisionSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('approve'), coordinator: text('coordinador', 3), comment: z.string().trim().max(4000).optional() }),
    z.object({
      decision: z.literal('requestChanges'),
      coordinator: text('coordinador', 3),
      comment: text('comentario', 10),
      window: windowText.optional(),
    }),
  ],
  { message: 'decisión: use "approve" (aprobar) o "requestChanges" (solicitar cambios)' },
);
export type Decision = z.infer<typeof decisionSchema>;

export const deadlineExtensionSchema = z.object({
  coordinator: text('coordinador', 3),
  reason: text('motivo', 10),
  window: windowText,
});
export type DeadlineExtension = z.infer<typeof deadlineExtensionSchema>;

export const coordinatorActionSchema = z.object({ coordinator: text('coordinador', 3) });
export type CoordinatorAction = z.infer<typeof coordinatorActionSchema>;

export const coordinatorNoteSchema = z.object({ coordinator: text('coordinador', 3), text: text('nota', 3) });
export type CoordinatorNote = z.infer<typeof coordinatorNoteSchema>;

/** Withdrawing a review (e.g. a department merged away): who and why, always recorded. */
export const reviewCancellationSchema = z.object({ cancelledBy: text('quién cancela', 3), reason: text('motivo', 10) });
export type ReviewCancellation = z.infer<typeof reviewCancellationSchema>;

const answerFieldLabels: Record<string, string> = {
  goalCode: 'código de meta',
  action: 'acción',
  justification: 'justificación',
  commitment: 'compromiso',
  newQuarterlyTargets: 'nueva programación',
  futureAnnualTargets: 'vigencias siguientes',
  councilAgreement: 'acuerdo del Concejo',
  councilAgreementId: 'acuerdo del Concejo',
};

/**
 * Spanish messages for a refused submission, each naming the goal and the field as the liaison sees
 * them: "Meta 2402002-01, nueva programación T3: debe ser un número finito entre 0 y 1.000.000.000.000".
 */
export function describeSubmissionIssues(error: z.ZodError, submission: unknown): string[] {
  const answers = (submission as { answers?: unknown } | null | undefined)?.answers;
  return error.issues.map((issue) => {
    const [first, index, field, item] = issue.path;
    if (first !== 'answers' || typeof index !== 'number') return describeIssues(new z.ZodError([issue]))[0] as string;
    const code = (Array.isArray(answers) ? (answers[index] as { goalCode?: unknown } | undefined)?.goalCode : undefined) ?? null;
    const goal = typeof code === 'string' && code.trim() ? `Meta ${code.trim().slice(0, 60)}` : `Respuesta ${index + 1}`;
    if (field === undefined) return `${goal}: ${issue.message}`;
    const label = answerFieldLabels[String(field)] ?? String(field);
    const where =
      field === 'newQuarterlyTargets' && typeof item === 'number'
        ? `${label} T${item + 1}`
        : field === 'futureAnnualTargets' && item !== undefined
          ? `programación de la vigencia ${String(item)}`
          : label;
    // Field messages that already start with the field's name keep only their reason.
    const message = issue.message.startsWith(`${label}: `) ? issue.message.slice(label.length + 2) : issue.message;
    return `${goal}, ${where}: ${message}`;
  });
}

/**
 * Spanish messages for a zod error, each naming its field once. `labels` names the fields as the
 * person sees them ({ anio: 'Vigencia' } → "Vigencia: …"); a message that already starts with the
 * field's name or label does not repeat it ("plazo: plazo: indique…" → "plazo: indique…").
 */
export function describeIssues(error: z.ZodError, labels: Readonly<Record<string, string>> = {}): string[] {
  return error.issues.map((issue) => {
    if (!issue.path.length) return issue.message;
    const key = issue.path.map(String).join('.');
    const label = labels[key] ?? labels[String(issue.path[0])] ?? key;
    const lower = issue.message.toLowerCase();
    const repeated = [key, label].find((name) => lower.startsWith(`${name.toLowerCase()}: `));
    return `${label}: ${repeated ? issue.message.slice(repeated.length + 2) : issue.message}`;
  });
}
