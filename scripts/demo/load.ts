import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client';
import * as t from '../../db/schema';
import { MUNICIPALITY_ACTOR, MUNICIPALITY_PROGRAMMING_REASON, MunicipalityData } from './municipalityData';
import { generateMunicipality } from './municipality';
import { storeMissingDepartmentVersions } from '../../db/departmentVersions';

export const BATCH = 1000;

export function batches<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += BATCH) out.push(rows.slice(i, i + BATCH));
  return out;
}

/**
 * Loads the municipality into an empty database in one transaction (plan row 1, departments,
 * goals, programming version 1, progress version 1). Does nothing and returns false when
 * departments already exist.
 */
export async function loadMunicipality(db: Database, data: MunicipalityData = generateMunicipality()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ count: sql<number>`count(*)::int` }).from(t.departments);
    if ((existing?.count ?? 0) > 0) return false;
    await tx
      .insert(t.plans)
      .values({ id: 1, ...data.plan })
      .onConflictDoNothing();
    for (const rows of batches(data.departments)) await tx.insert(t.departments).values(rows);
    await storeMissingDepartmentVersions(tx, 'sistema', 'Municipio de demostración');
    for (const rows of batches(data.goals)) {
      await tx.insert(t.goals).values(rows.map(({ sectorCode: _sectorCode, ...goal }) => goal));
    }
    for (const rows of batches(data.programming)) {
      await tx.insert(t.goalProgramming).values(
        rows.map((p) => ({
          goalCode: p.goalCode,
          fiscalYear: p.fiscalYear,
          version: 1,
          annualTarget: p.annualTarget,
          quarterlyTargets: p.quarterlyTargets,
          reason: MUNICIPALITY_PROGRAMMING_REASON,
          createdBy: MUNICIPALITY_ACTOR,
        })),
      );
    }
    for (const rows of batches(data.progress)) {
      await tx.insert(t.goalProgress).values(
        rows.map((p) => ({
          goalCode: p.goalCode,
          fiscalYear: p.fiscalYear,
          quarter: p.quarter,
          version: 1,
          executed: p.executed,
          evidence: p.evidence,
          reportedBy: MUNICIPALITY_ACTOR,
        })),
      );
    }
    await tx.insert(t.auditLog).values({
      actor: 'sistema',
      action: 'demo.loaded',
      subject: 'demo',
      details: {
        municipality: data.plan.municipality,
        departments: data.departments.length,
        goals: data.goals.length,
        programming: data.programming.length,
        progress: data.progress.length,
      },
    });
    return true;
  });
}
