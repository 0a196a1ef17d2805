import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Thresholds } from '../domain/goals';

/** Thresholds configured for the plan win over the installation's defaults (DOMAIN.md). */
export async function planThresholds(db: Database, fallback: Thresholds): Promise<Thresholds> {
  const [plan] = await db.select({ thresholds: t.plans.thresholds }).from(t.plans).limit(1);
  return plan?.thresholds ?? fallback;
}
