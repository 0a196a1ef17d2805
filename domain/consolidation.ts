import { z } from 'zod';
import type { GoalStatus } from './goalTerms';

/**
 * PE-P-008 task 4, the third quarter's consolidation: besides the goals in alert, the department
 * commits to every goal that lagged in any quarter of the year (the cumulative matrix built from
 * the recorded verdicts). A commitment is required for each, 10 to 4000 characters.
 */

/** A goal of the department's cumulative matrix the liaison must commit to (not in alert this quarter). */
export interface ConsolidationGoal {
  goalCode: string;
  name: string;
  /** Each quarter's recorded verdict, as the cumulative matrix lists it. */
  byQuarter: { quarter: number; status: GoalStatus; expectedToDate: number; executedToDate: number | null }[];
}

export const COMMITMENT_MIN = 10;
export const COMMITMENT_MAX = 4000;

export const consolidationCommitmentSchema = z.object({
  goalCode: z.string({ message: 'código de meta: es obligatorio' }).trim().min(1, 'código de meta: es obligatorio'),
  commitment: z
    .string({ message: 'compromiso: es obligatorio' })
    .trim()
    .min(COMMITMENT_MIN, `compromiso: escriba al menos ${COMMITMENT_MIN} caracteres`)
    .max(COMMITMENT_MAX, `compromiso: máximo ${COMMITMENT_MAX} caracteres`),
});
export type ConsolidationCommitment = z.infer<typeof consolidationCommitmentSchema>;

/** The submission's field that carries them (next to `answers`). */
export const consolidationSubmissionSchema = z.object({
  consolidationCommitments: z.array(z.unknown(), { message: 'compromisos de consolidación: envíe una lista' }).max(1000).optional(),
});

export interface ConsolidationProblem {
  /** The goal the problem is about; null for the field as a whole. */
  goalCode: string | null;
  message: string;
}

/**
 * The commitments a submission carries for the required goals, or every problem, each naming the
 * goal by code and name ("Compromiso de consolidación de la meta 2402003-01 (…): es obligatorio").
 */
export function readConsolidationCommitments(
  required: readonly Pick<ConsolidationGoal, 'goalCode' | 'name'>[],
  submission: unknown,
): { ok: true; commitments: ConsolidationCommitment[] } | { ok: false; problems: ConsolidationProblem[] } {
  if (required.length === 0) return { ok: true, commitments: [] };
  const envelope = consolidationSubmissionSchema.safeParse(submission ?? {});
  if (!envelope.success) return { ok: false, problems: envelope.error.issues.map((i) => ({ goalCode: null, message: i.message })) };
  const given = new Map<string, unknown>();
  for (const item of envelope.data.consolidationCommitments ?? []) {
    const code = (item as { goalCode?: unknown } | null)?.goalCode;
    if (typeof code === 'string') given.set(code.trim(), item);
  }
  const problems: ConsolidationProblem[] = [];
  const commitments: ConsolidationCommitment[] = [];
  const label = (goal: Pick<ConsolidationGoal, 'goalCode' | 'name'>) => `Compromiso de consolidación de la meta ${goal.goalCode} (${goal.name})`;
  for (const goal of required) {
    const item = given.get(goal.goalCode);
    if (item === undefined) {
      problems.push({ goalCode: goal.goalCode, message: `${label(goal)}: es obligatorio (la meta estuvo rezagada en la vigencia)` });
      continue;
    }
    const parsed = consolidationCommitmentSchema.safeParse(item);
    if (parsed.success) commitments.push(parsed.data);
    else problems.push(...parsed.error.issues.map((i) => ({ goalCode: goal.goalCode, message: `${label(goal)}: ${i.message.replace(/^compromiso: /, '')}` })));
  }
  const unknown = [...given.keys()].filter((code) => !required.some((g) => g.goalCode === code));
  if (unknown.length) problems.push({ goalCode: null, message: `Compromisos de consolidación para metas que no los requieren: ${unknown.join(', ')}` });
  return problems.length ? { ok: false, problems } : { ok: true, commitments };
}
