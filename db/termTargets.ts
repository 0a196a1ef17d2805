import { inArray, sql } from 'drizzle-orm';
import type { Database } from './client';
import * as t from './schema';

/**
 * The official meta cuatrienio of each goal: the latest version an Acuerdo del Concejo set
 * (goal_term_targets), else the plan's own (goals.term_target).
 */
export async function officialTermTargets(db: Pick<Database, 'selectDistinctOn'>, goalCodes?: readonly string[]): Promise<Map<string, number>> {
  if (goalCodes && goalCodes.length === 0) return new Map();
  const query = db
    .selectDistinctOn([t.goalTermTargets.goalCode], { goalCode: t.goalTermTargets.goalCode, termTarget: t.goalTermTargets.termTarget })
    .from(t.goalTermTargets);
  const rows = await (goalCodes ? query.where(inArray(t.goalTermTargets.goalCode, [...goalCodes])) : query).orderBy(
    t.goalTermTargets.goalCode,
    sql`${t.goalTermTargets.version} desc`,
  );
  return new Map(rows.map((r) => [r.goalCode, r.termTarget]));
}

/** The official meta cuatrienio of a goal given its plan value and the registered versions. */
export const officialTermTarget = (versions: ReadonlyMap<string, number>, goal: { code: string; termTarget: number }): number =>
  versions.get(goal.code) ?? goal.termTarget;
