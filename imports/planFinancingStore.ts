import * as t from '../db/schema';
import type { Database } from '../db/client';
import { financingInForce } from '../db/goalFinancing';
import { financingKey, type GoalFinancing } from './planFinancing';
import { bulkInsert, type Transaction } from './store';

/** The goals' financing in force (db/goalFinancing.ts), as the importer compares it. */
export async function storedFinancing(tx: Pick<Transaction, 'select'>): Promise<Map<string, GoalFinancing>> {
  const rows = await financingInForce(tx as Pick<Database, 'select'>);
  return new Map([...rows].map(([code, r]) => [code, { bpin: r.bpin, projectCode: r.projectCode, projectName: r.projectName, resources: r.resources, actionPlan: r.actionPlan }]));
}

/** Whether the file's financing differs from the one in force (another goal set, or any value). */
export async function changedFinancing(tx: Transaction, inFile: ReadonlyMap<string, GoalFinancing>): Promise<boolean> {
  const stored = await storedFinancing(tx);
  if (stored.size !== inFile.size) return true;
  for (const [code, financing] of inFile) {
    const current = stored.get(code);
    if (!current || financingKey(current) !== financingKey(financing)) return true;
  }
  return false;
}

/** A new snapshot (insert-only): one row per goal of the file, so the snapshot is whole. */
export async function writeFinancing(tx: Transaction, planImportId: number, goals: ReadonlyMap<string, GoalFinancing>): Promise<void> {
  await bulkInsert(
    tx,
    t.goalFinancing,
    [...goals].map(([goalCode, f]) => ({ planImportId, goalCode, bpin: f.bpin, projectCode: f.projectCode, projectName: f.projectName, resources: f.resources, actionPlan: f.actionPlan ?? {} })),
  );
}
