import type { Thresholds } from '../domain/goals';
import type { Database } from './client';
import * as t from './schema';

/** Thresholds configured for the plan win over the installation's defaults (DOMAIN.md). */
export async function planThresholds(db: Pick<Database, 'select'>, fallback: Thresholds): Promise<Thresholds> {
  const [plan] = await db.select({ thresholds: t.plans.thresholds }).from(t.plans).limit(1);
  return plan?.thresholds ?? fallback;
}
