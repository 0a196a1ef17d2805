import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Thresholds } from '../domain/goals';
import { describeIssues } from '../domain/review';
import { AppError } from './errors';

const percent = (what: string) =>
  z.number({ message: `${what}: debe ser un número` }).finite(`${what}: debe ser un número`).min(0, `${what}: no puede ser negativo`).max(1000, `${what}: máximo 1000`);

export const thresholdsSchema = z
  .object({
    behindBelowPercent: percent('umbral de atrasada (behindBelowPercent)'),
    // Over-achieving means passing 100 % of the year's programming.
    overachievedAbovePercent: percent('umbral de sobrecumplida (overachievedAbovePercent)').min(
      100,
      'umbral de sobrecumplida: debe ser al menos 100 (sobrecumplir es pasar del 100 % de lo programado)',
    ),
    changedBy: z.string().trim().min(1).max(200).default('operador'),
  });

/** Sets the plan's classification thresholds; the cycles started afterwards use them. */
export async function setPlanThresholds(db: Database, input: unknown): Promise<Thresholds> {
  const parsed = thresholdsSchema.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_input', 'Umbrales inválidos', describeIssues(parsed.error));
  const { changedBy, ...thresholds } = parsed.data;
  return db.transaction(async (tx) => {
    const [plan] = await tx.select().from(t.plans).limit(1);
    if (!plan) throw new AppError('not_found', 'Aún no hay un plan registrado: importe primero el Plan Indicativo');
    await tx.update(t.plans).set({ thresholds }).where(eq(t.plans.id, plan.id));
    await tx.insert(t.auditLog).values({
      actor: changedBy,
      action: 'plan.thresholds.changed',
      subject: `plan-${plan.id}`,
      details: { before: plan.thresholds, after: thresholds },
    });
    return thresholds;
  });
}

export { planThresholds } from '../db/planThresholds';
