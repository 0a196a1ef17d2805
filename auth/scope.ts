import type { Response } from 'express';
import type { Database } from '../db/client';
import { eq } from 'drizzle-orm';
import * as t from '../db/schema';
import { readDocument, type StoredDocument } from '../documents/store';
import { AppError } from '../domain/errors';
import type { CycleView, ReviewView } from '../domain/reviewViews';
import type { Role } from './roles';
import { departmentInReviewId } from '../domain/workflowIds';

/**
 * What department data an account may read. Liaisons (enlaces de secretaría) are bound to their
 * own department; every other role reads the whole municipality (the Consejo de Gobierno reads the
 * dashboard, the MMSE coordinates every department). One definition, applied by the routes and pages
 * that return department data, so no route decides on its own.
 *
 * How a refusal looks: when the address names the department (review IDs `revision-2026-T2-SINF`,
 * `?department=SINF`), a 403 that says why; when the address is opaque (document numbers, goal
 * codes), a 404 identical to a missing object, so counting IDs reveals nothing.
 */
export type Scope = { kind: 'all' } | { kind: 'department'; departmentCode: string | null };

export const allDepartments: Scope = { kind: 'all' };

export function scopeOf(user: { role: Role; departmentCode: string | null } | undefined | null): Scope {
  if (user?.role === 'liaison') return { kind: 'department', departmentCode: user.departmentCode };
  return allDepartments;
}

/** The scope of the request's account (set by `authenticate`). */
export const requestScope = (res: Response): Scope => scopeOf(res.locals.user);

/** True when the scope may read data of `departmentCode` (unknown departments are outside a department scope). */
export function inScope(scope: Scope, departmentCode: string | null | undefined): boolean {
  if (scope.kind === 'all') return true;
  return Boolean(scope.departmentCode && departmentCode && scope.departmentCode === departmentCode);
}

/** Keeps the items of the scope's department. */
export function withinScope<T>(scope: Scope, items: readonly T[], departmentOf: (item: T) => string | null | undefined): T[] {
  return scope.kind === 'all' ? [...items] : items.filter((item) => inScope(scope, departmentOf(item)));
}

/** The department a review belongs to: as recorded, else from its workflow ID (`revision-2026-T2-SINF`). */
export async function departmentOfReviewId(db: Pick<Database, 'select'>, reviewWorkflowId: string | null | undefined): Promise<string | null> {
  if (!reviewWorkflowId) return null;
  const [row] = await db
    .select({ departmentCode: t.departmentReviews.departmentCode })
    .from(t.departmentReviews)
    .where(eq(t.departmentReviews.workflowId, reviewWorkflowId));
  return row?.departmentCode ?? departmentInReviewId(reviewWorkflowId);
}

/** A cycle's detail as a scope may read it: other departments' reviews, goals and rows left out. */
export function scopeCycleStatus<C extends { cycle: CycleView; reviews: ReviewView[] }>(scope: Scope, status: C): C {
  if (scope.kind === 'all') return status;
  const goals = withinScope(scope, status.cycle.goals, (g) => g.departmentCode);
  const totals: CycleView['totals'] = {};
  for (const { status: goalStatus } of goals) if (goalStatus) totals[goalStatus] = (totals[goalStatus] ?? 0) + 1;
  return {
    ...status,
    cycle: {
      ...status.cycle,
      totals,
      departments: withinScope(scope, status.cycle.departments, (d) => d.code),
      goals,
      cumulativeLagging: status.cycle.cumulativeLagging ? withinScope(scope, status.cycle.cumulativeLagging, (r) => r.departmentCode) : null,
    },
    reviews: withinScope(scope, status.reviews, (r) => r.department.code),
  };
}

/** A quarter's report (dashboard) as a scope may read it: only its department's goals and department. */
export function scopeQuarterReport<
  R extends { departments: { code: string }[]; goals: { goalCode: string; departmentCode: string }[]; invalidGoals?: { goalCode: string }[] },
>(scope: Scope, report: R): R {
  if (scope.kind === 'all') return report;
  const goals = withinScope(scope, report.goals, (g) => g.departmentCode);
  // Goals whose stored data is unusable are named only when they are the scope's own.
  const own = new Set(goals.map((g) => g.goalCode));
  const invalidGoals = report.invalidGoals?.filter((g) => own.has(g.goalCode));
  return { ...report, departments: withinScope(scope, report.departments, (d) => d.code), goals, ...(invalidGoals ? { invalidGoals } : {}) };
}

/**
 * The department an export is narrowed to: whatever was asked for in the whole-municipality scope;
 * in a department scope, its own department (asking for another is a 403 that says why).
 */
export function departmentFilter(scope: Scope, asked: string | undefined): string | undefined {
  if (scope.kind === 'all') return asked;
  if (!scope.departmentCode) throw new AppError('forbidden', messages.noDepartment);
  if (asked !== undefined && asked !== scope.departmentCode) throw new AppError('forbidden', messages.foreignDepartment);
  return scope.departmentCode;
}

export const messages = {
  foreignDepartment: 'Como enlace de secretaría solo puede consultar la información de su propia secretaría.',
  noDepartment: 'Su cuenta de enlace no tiene una secretaría asignada; pida al administrador que la asigne.',
} as const;

/** A stored document (PDF constancia, justification) the scope may read, or null as if it did not exist. */
export async function readDocumentInScope(db: Pick<Database, 'select'>, id: number, scope: Scope): Promise<StoredDocument | null> {
  const document = await readDocument(db, id);
  if (!document || scope.kind === 'all') return document;
  return inScope(scope, await departmentOfReviewId(db, document.reviewWorkflowId)) ? document : null;
}
