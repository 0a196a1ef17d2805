import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { officialTermTarget, officialTermTargets } from '../db/termTargets';
import { financingInForce } from '../db/goalFinancing';
import { AppError } from '../domain/errors';
import { departmentInReviewId } from '../domain/workflowIds';

/**
 * The Plan de Acción (PE_F_012) of a vigencia and its versions. Version 1 is the plan as imported;
 * each reprogramming applied for the vigencia (one department review's agreement, PE-P-008 task 5)
 * makes the next one: version N is the programming in force after the (N-1)th, until the next.
 * Nothing is stored for it: the versions follow from goal_programming (insert-only), so they
 * cannot disagree with the programming the rest of the product reads.
 */

export interface ActionPlanVersion {
  version: number;
  /** When it came into force: the reprogramming's application, or the latest import before it (version 1). */
  createdAt: string | null;
  /** The review whose agreement created it; null for version 1. */
  reviewWorkflowId: string | null;
  departmentCode: string | null;
  approvedBy: string | null;
  /** The agreement record's consecutive number (justification and commitment document), once issued. */
  agreementRecordNumber: string | null;
  /** Goals reprogrammed by it. */
  goalCodes: string[];
}

interface ProgrammingRow {
  id: number;
  goalCode: string;
  annualTarget: number | null;
  quarterlyTargets: (number | null)[] | null;
  reprogrammingId: number | null;
  createdAt: string;
}

interface Event {
  reviewWorkflowId: string;
  firstId: number;
  rows: (ProgrammingRow & { approvedBy: string; justification: string })[];
}

export type Quarters = [number | null, number | null, number | null, number | null];

export interface ActionPlanGoal {
  goalCode: string;
  name: string;
  indicator: string;
  unit: string;
  departmentCode: string;
  departmentName: string;
  /** The Plan de Acción sheet's responsible for the vigencia, else the department's head (líder). */
  responsible: string | null;
  /** The Plan de Acción sheet's activities for the vigencia. */
  activities: string | null;
  strategicLine: string;
  sector: string;
  programCode: string;
  program: string;
  productCode: string;
  productName: string;
  termTarget: number;
  bpin: string | null;
  projectCode: string | null;
  projectName: string | null;
  /** Pesos of the vigencia by source. */
  resources: Record<string, number>;
  annualTarget: number | null;
  quarterlyTargets: Quarters | null;
  /** The previous version's annual target, when this version changed the goal. */
  previousAnnualTarget: number | null;
  changed: boolean;
}

export interface ActionPlanChange {
  goalCode: string;
  goalName: string;
  departmentCode: string;
  /** 'Anual' or 'T1'…'T4'. */
  period: string;
  before: number | null;
  after: number | null;
  justification: string;
  approvedBy: string;
  reviewWorkflowId: string;
  agreementRecordNumber: string | null;
}

export interface ActionPlan {
  fiscalYear: number;
  municipality: string | null;
  version: ActionPlanVersion;
  versions: number;
  goals: ActionPlanGoal[];
  changes: ActionPlanChange[];
  /** Sources with resources in the vigencia, in the Plan de Acción's order. */
  sources: string[];
}

async function programmingOf(db: Database, fiscalYear: number): Promise<ProgrammingRow[]> {
  const rows = await db
    .select({
      id: t.goalProgramming.id,
      goalCode: t.goalProgramming.goalCode,
      annualTarget: t.goalProgramming.annualTarget,
      quarterlyTargets: t.goalProgramming.quarterlyTargets,
      reprogrammingId: t.goalProgramming.reprogrammingId,
      createdAt: t.goalProgramming.createdAt,
    })
    .from(t.goalProgramming)
    .where(eq(t.goalProgramming.fiscalYear, fiscalYear))
    .orderBy(asc(t.goalProgramming.id));
  return rows;
}

/** Each applied reprogramming of the vigencia, in the order it was applied (its programming rows). */
async function eventsOf(db: Database, rows: ProgrammingRow[]): Promise<Event[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.reprogrammingId === null ? [] : [r.reprogrammingId])))];
  if (!ids.length) return [];
  const reprogrammings = await db
    .select({ id: t.reprogrammings.id, reviewWorkflowId: t.reprogrammings.reviewWorkflowId, approvedBy: t.reprogrammings.approvedBy, justification: t.reprogrammings.justification })
    .from(t.reprogrammings)
    .where(inArray(t.reprogrammings.id, ids));
  const byId = new Map(reprogrammings.map((r) => [r.id, r]));
  const events = new Map<string, Event>();
  for (const row of rows) {
    const reprogramming = row.reprogrammingId === null ? undefined : byId.get(row.reprogrammingId);
    if (!reprogramming) continue;
    const event = events.get(reprogramming.reviewWorkflowId) ?? { reviewWorkflowId: reprogramming.reviewWorkflowId, firstId: row.id, rows: [] };
    event.rows.push({ ...row, approvedBy: reprogramming.approvedBy, justification: reprogramming.justification });
    events.set(reprogramming.reviewWorkflowId, event);
  }
  return [...events.values()].sort((a, b) => a.firstId - b.firstId);
}

async function recordNumbers(db: Database, reviewIds: string[]): Promise<Map<string, string | null>> {
  if (!reviewIds.length) return new Map();
  const rows = await db
    .select({ reviewWorkflowId: t.documents.reviewWorkflowId, recordNumber: t.documents.recordNumber })
    .from(t.documents)
    .where(and(inArray(t.documents.reviewWorkflowId, reviewIds), eq(t.documents.kind, 'justificationAndCommitment'), isNotNull(t.documents.reviewWorkflowId)));
  return new Map(rows.map((r) => [r.reviewWorkflowId!, r.recordNumber]));
}

async function departmentOfReviews(db: Database, reviewIds: string[]): Promise<Map<string, string>> {
  if (!reviewIds.length) return new Map();
  const rows = await db
    .select({ workflowId: t.departmentReviews.workflowId, departmentCode: t.departmentReviews.departmentCode })
    .from(t.departmentReviews)
    .where(inArray(t.departmentReviews.workflowId, reviewIds));
  return new Map(rows.map((r) => [r.workflowId, r.departmentCode]));
}

function describeVersions(rows: ProgrammingRow[], events: Event[], numbers: Map<string, string | null>, departments: Map<string, string>): ActionPlanVersion[] {
  const first = events[0]?.firstId ?? Number.POSITIVE_INFINITY;
  const imported = rows.filter((r) => r.id < first).map((r) => r.createdAt).sort().at(-1) ?? null;
  return [
    { version: 1, createdAt: imported, reviewWorkflowId: null, departmentCode: null, approvedBy: null, agreementRecordNumber: null, goalCodes: [] },
    ...events.map((e, i) => ({
      version: i + 2,
      createdAt: e.rows.map((r) => r.createdAt).sort().at(-1) ?? null,
      reviewWorkflowId: e.reviewWorkflowId,
      departmentCode: departments.get(e.reviewWorkflowId) ?? departmentInReviewId(e.reviewWorkflowId),
      approvedBy: e.rows[0]?.approvedBy ?? null,
      agreementRecordNumber: numbers.get(e.reviewWorkflowId) ?? null,
      goalCodes: [...new Set(e.rows.map((r) => r.goalCode))],
    })),
  ];
}

/** The versions of the vigencia's Plan de Acción (an error naming the vigencias that have one when it has none). */
export async function actionPlanVersions(db: Database, fiscalYear: number): Promise<ActionPlanVersion[]> {
  const rows = await programmingOf(db, fiscalYear);
  if (!rows.length) throw new AppError('year_outside_plan', `No hay Plan de Acción para la vigencia ${fiscalYear}: no hay metas programadas para ese año (importe el Plan Indicativo)`);
  const events = await eventsOf(db, rows);
  const ids = events.map((e) => e.reviewWorkflowId);
  const [numbers, departments] = await Promise.all([recordNumbers(db, ids), departmentOfReviews(db, ids)]);
  return describeVersions(rows, events, numbers, departments);
}

/** The version an agreement created (the review's reprogramming), or null when it changed nothing of that vigencia. */
export async function actionPlanVersionOfReview(db: Database, fiscalYear: number, reviewWorkflowId: string): Promise<number | null> {
  const rows = await programmingOf(db, fiscalYear);
  const events = await eventsOf(db, rows);
  const index = events.findIndex((e) => e.reviewWorkflowId === reviewWorkflowId);
  return index < 0 ? null : index + 2;
}

/** The latest row of each goal among `rows` (ordered by id) whose id is below `before`. */
function stateBefore(rows: ProgrammingRow[], before: number): Map<string, ProgrammingRow> {
  const state = new Map<string, ProgrammingRow>();
  for (const row of rows) if (row.id < before) state.set(row.goalCode, row);
  return state;
}

const quartersOf = (row: ProgrammingRow | undefined): Quarters | null =>
  row?.quarterlyTargets && row.quarterlyTargets.length === 4 ? (row.quarterlyTargets as Quarters) : null;

/** Resource sources in the Plan de Acción's order, then any other. */
const SOURCE_ORDER = ['SGP', 'Recursos propios', 'SGR', 'Crédito', 'Cofinanciación', 'Otros'];

/**
 * The vigencia's Plan de Acción at a version (latest by default), narrowed to a department when
 * asked: every goal programmed for the year with its financing, and the changes the version made.
 */
export async function loadActionPlan(db: Database, input: { fiscalYear: number; version?: number; departmentCode?: string }): Promise<ActionPlan> {
  const { fiscalYear } = input;
  const rows = await programmingOf(db, fiscalYear);
  if (!rows.length) throw new AppError('year_outside_plan', `No hay Plan de Acción para la vigencia ${fiscalYear}: no hay metas programadas para ese año (importe el Plan Indicativo)`);
  const events = await eventsOf(db, rows);
  const ids = events.map((e) => e.reviewWorkflowId);
  const [numbers, reviewDepartments] = await Promise.all([recordNumbers(db, ids), departmentOfReviews(db, ids)]);
  const versions = describeVersions(rows, events, numbers, reviewDepartments);
  const wanted = input.version ?? versions.length;
  const version = versions[wanted - 1];
  if (!version) {
    throw new AppError('not_found', `El Plan de Acción ${fiscalYear} no tiene la versión ${wanted}: tiene ${versions.length === 1 ? 'solo la versión 1' : `las versiones 1 a ${versions.length}`}`);
  }
  // In force until the next reprogramming of the vigencia.
  const state = stateBefore(rows, events[wanted - 1]?.firstId ?? Number.POSITIVE_INFINITY);
  const event = wanted >= 2 ? events[wanted - 2]! : null;
  const previous = event ? stateBefore(rows, event.firstId) : new Map<string, ProgrammingRow>();

  const [goalRows, departmentRows, financing, [plan], termTargets] = await Promise.all([
    state.size ? db.select().from(t.goals).where(inArray(t.goals.code, [...state.keys()])) : [],
    db.select().from(t.departments),
    financingInForce(db),
    db.select().from(t.plans).orderBy(t.plans.id).limit(1),
    // The official meta cuatrienio: the latest an Acuerdo del Concejo set, else the plan's.
    officialTermTargets(db, [...state.keys()]),
  ]);
  const departments = new Map(departmentRows.map((d) => [d.code, d]));
  const changedGoals = new Set(event?.rows.map((r) => r.goalCode) ?? []);
  const sourcesSeen = new Set<string>();
  const goals: ActionPlanGoal[] = goalRows
    .filter((g) => g.active && (!input.departmentCode || g.departmentCode === input.departmentCode))
    .map((g) => {
      const row = state.get(g.code);
      const f = financing.get(g.code);
      const resources = f?.resources[String(fiscalYear)] ?? {};
      for (const source of Object.keys(resources)) sourcesSeen.add(source);
      const department = departments.get(g.departmentCode);
      const changed = changedGoals.has(g.code);
      return {
        goalCode: g.code,
        name: g.name,
        indicator: g.indicator,
        unit: g.unit,
        departmentCode: g.departmentCode,
        departmentName: department?.name ?? g.departmentCode,
        responsible: f?.actionPlan?.[String(fiscalYear)]?.responsible ?? department?.headName ?? null,
        activities: f?.actionPlan?.[String(fiscalYear)]?.activities ?? null,
        strategicLine: g.strategicLine,
        sector: g.sector,
        programCode: g.programCode,
        program: g.program,
        productCode: g.productCode,
        productName: g.productName,
        termTarget: officialTermTarget(termTargets, g),
        bpin: f?.bpin ?? null,
        projectCode: f?.projectCode ?? null,
        projectName: f?.projectName ?? null,
        resources,
        annualTarget: row?.annualTarget ?? null,
        quarterlyTargets: quartersOf(row),
        previousAnnualTarget: changed ? (previous.get(g.code)?.annualTarget ?? null) : null,
        changed,
      };
    })
    .sort((a, b) => a.departmentCode.localeCompare(b.departmentCode) || a.programCode.localeCompare(b.programCode) || a.goalCode.localeCompare(b.goalCode));

  const goalByCode = new Map(goals.map((g) => [g.goalCode, g]));
  const changes: ActionPlanChange[] = [];
  for (const row of event?.rows ?? []) {
    const goal = goalByCode.get(row.goalCode);
    if (!goal) continue;
    const before = previous.get(row.goalCode);
    const common = {
      goalCode: row.goalCode,
      goalName: goal.name,
      departmentCode: goal.departmentCode,
      justification: row.justification,
      approvedBy: row.approvedBy,
      reviewWorkflowId: event!.reviewWorkflowId,
      agreementRecordNumber: version.agreementRecordNumber,
    };
    changes.push({ ...common, period: 'Anual', before: before?.annualTarget ?? null, after: row.annualTarget });
    const [oldQuarters, newQuarters] = [quartersOf(before), quartersOf(row)];
    for (let q = 0; q < 4; q++) {
      const [b, a] = [oldQuarters?.[q] ?? null, newQuarters?.[q] ?? null];
      if (b !== a) changes.push({ ...common, period: `T${q + 1}`, before: b, after: a });
    }
  }
  const sources = [...SOURCE_ORDER.filter((s) => sourcesSeen.has(s)), ...[...sourcesSeen].filter((s) => !SOURCE_ORDER.includes(s)).sort()];
  return { fiscalYear, municipality: plan?.municipality ?? null, version, versions: versions.length, goals, changes, sources };
}

