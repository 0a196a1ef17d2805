import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import { type AccumulationType, annualTargetFromQuarters } from '../domain/goals';
import { sameNumber } from './cells';
import { resolveColumns, saveMapping } from './columnMappings';
import { ImportFailed, withReading } from './errors';
import { AppError } from '../services/errors';
import { insertDepartments, writeDepartmentVersion } from '../services/departments';
import { planColumns } from './columnSynonyms';
import { UNCONFIRMED_DEPARTMENTS } from './departmentCodes';
import { bulkInsert, checkRequest, findImport, type ImportOptions, type ImportRequest, importTransaction, inChunks, lockImports, recordImport, savingProgress, sha256, type Transaction } from './store';
import { type FileReading, fileReading, readWorkbook } from './table';
import { changedFinancing, writeFinancing } from './planFinancingStore';
import { forgetMunicipalityName, identityForPlan, saveIdentity } from '../services/municipality';
import type { Department, GoalAttributes, IndicativePlan, IndicativePlanImportSummary, NewDepartment, PlanField, PlanGoal, ProgrammingChange } from './indicativePlanTypes';
import { ACTION_PLAN_SHEET, DEPARTMENTS_SHEET, parseIndicativePlan, PLAN_ID, PLAN_SHEET, planReadColumns, yearColumns } from './indicativePlan';

/** Importing a Plan Indicativo: new revisions of goals, versions of programming, departments, the import's record. */

const emptySummary = (importId: number | null): IndicativePlanImportSummary => ({
  importId,
  unchanged: true,
  goalsAdded: [],
  goalsRemoved: [],
  goalsChanged: [],
  goalsReactivated: [],
  programmingChanged: [],
  departmentsAdded: [],
  departmentsChanged: [],
  departmentsFromPlan: [],
});

const attributeKeys = [
  'departmentCode', 'strategicLine', 'sectorCode', 'sector', 'programCode', 'program', 'productCode', 'productName',
  'indicatorCode', 'indicator', 'name', 'unit', 'termTarget', 'baseline', 'accumulation',
] as const satisfies readonly (keyof GoalAttributes)[];

const attributesOf = (goal: GoalAttributes): GoalAttributes =>
  Object.fromEntries(attributeKeys.map((k) => [k, goal[k]])) as unknown as GoalAttributes;

const sameAttributes = (a: GoalAttributes, b: GoalAttributes) =>
  attributeKeys.every((k) => (k === 'termTarget' || k === 'baseline' ? sameNumber(a[k], b[k]) : a[k] === b[k]));

type QuarterlyTargets = [number | null, number | null, number | null, number | null];

/** Quarterly targets survive a new annual target only if they still add up to it (or keep its level). */
function keptQuarterlyTargets(previous: QuarterlyTargets | null | undefined, accumulation: AccumulationType, annual: number): QuarterlyTargets | null {
  if (!previous || previous.some((q) => q === null)) return null;
  return sameNumber(annualTargetFromQuarters(accumulation, previous as number[]), annual) ? previous : null;
}

/** Departments and goals rows are the current state (history is in revisions and versions): upserted. */
const updateOnConflict = (key: string, columns: string[]) =>
  sql.raw(`on conflict ("${key}") do update set ${columns.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`);

/**
 * Imports a Plan Indicativo (XLSX or CSV) in one transaction: departments, goals (new, changed,
 * removed → inactive) and a new programming version wherever the annual programming changed.
 * Throws ImportFailed with every problem of the file, having written nothing. With `dryRun` the
 * same import runs and is rolled back: the summary previews it (its importId is null).
 */
export async function importIndicativePlan(db: Database, request: ImportRequest, options: ImportOptions = {}): Promise<IndicativePlanImportSummary> {
  const { fileName, importedBy } = checkRequest(request);
  const { content } = request;
  const hash = sha256(content);
  const earlier = await findImport(db, 'indicativePlan', hash);
  if (earlier !== null) return emptySummary(earlier);

  options.onProgress?.({ phase: 'reading', done: 0, total: content.length });
  const workbook = await readWorkbook({ fileName, content }, { sheetName: PLAN_SHEET, optionalSheets: [DEPARTMENTS_SHEET, ACTION_PLAN_SHEET], ...planReadColumns, limits: options.limits });
  if (!workbook.ok) throw new ImportFailed(workbook.errors);
  options.onProgress?.({ phase: 'reading', done: content.length, total: content.length });
  const reading = fileReading(workbook.value.main);

  return withReading(reading, () => importTransaction(db, options, async (tx) => {
    await lockImports(tx);
    const raced = await findImport(tx, 'indicativePlan', hash);
    if (raced !== null) return emptySummary(raced);

    const registered = await tx.select().from(t.departments);
    const columns = await resolveColumns(tx, 'indicativePlan', workbook.value.main.headers, options.columns, planColumns, yearColumns);
    options.onColumns?.(columns.report);
    if (columns.errors.length) throw new ImportFailed(columns.errors);
    const parsed = parseIndicativePlan(workbook.value.main, {
      departments: registered,
      departmentsSheet: workbook.value.extra.get(DEPARTMENTS_SHEET),
      actionPlanSheet: workbook.value.extra.get(ACTION_PLAN_SHEET),
      departmentCodes: options.departmentCodes,
      columnOverrides: columns.overrides as ReadonlyMap<string, PlanField | 'ignore'> | undefined,
      onRow: (done, total) => options.onProgress?.({ phase: 'validating', done, total }),
    });
    if (!parsed.ok) throw new ImportFailed(parsed.errors);
    const plan = parsed.plan;
    // Departments are created only when someone confirmed them (the preview page, --yes, the API's flag).
    if (plan.newDepartments.length && !options.dryRun && !options.confirmNewDepartments) throw unconfirmedDepartments(plan.newDepartments);

    const [currentPlan] = await tx.select().from(t.plans).where(eq(t.plans.id, PLAN_ID));
    if (currentPlan && currentPlan.daneCode !== plan.daneCode) {
      throw new ImportFailed([
        {
          row: null,
          column: null,
          message: `El archivo es del municipio con código DANE ${plan.daneCode}, pero el plan registrado es de ${currentPlan.municipality} (${currentPlan.daneCode}); importe el Plan Indicativo de ese municipio`,
        },
      ]);
    }
    const municipality = await identityForPlan(tx, workbook.value.main.titles ?? [], plan.daneCode);
    if (municipality.error) throw new ImportFailed([{ row: null, column: null, message: municipality.error }]);
    // Saved with the import (a dry run rolls it back with everything else).
    if (columns.toSave) await saveMapping(tx, 'indicativePlan', workbook.value.main.headers, columns.toSave, importedBy);
    const municipalityName = municipality.report.name;
    const applied = await applyPlan(tx, plan, { fileName, importedBy, hash, currentPlan, registered, options, municipalityName, reading });
    if (municipality.report.willSave && municipalityName) {
      await saveIdentity(tx, { name: municipalityName, daneCode: plan.daneCode }, 'file', importedBy);
    }
    if (!options.dryRun) forgetMunicipalityName();
    const summary = { ...applied, columns: columns.report, municipality: municipality.report };
    return options.dryRun ? { ...summary, importId: null } : summary;
  }));
}

async function applyPlan(
  tx: Transaction,
  plan: IndicativePlan,
  context: {
    fileName: string;
    importedBy: string;
    hash: string;
    currentPlan: typeof t.plans.$inferSelect | undefined;
    registered: (typeof t.departments.$inferSelect)[];
    options: ImportOptions;
    /** The municipality's name (title rows, page or configuration); null: keep the recorded one. */
    municipalityName: string | null;
    reading: FileReading;
  },
): Promise<IndicativePlanImportSummary> {
  const years = Array.from({ length: plan.termEndYear - plan.termStartYear + 1 }, (_, i) => plan.termStartYear + i);
  // Current state in three queries, whatever the plan's size.
  const [existingGoals, sectorCodes, latestProgramming] = await Promise.all([
    tx.select().from(t.goals),
    tx
      .selectDistinctOn([t.goalRevisions.goalCode], {
        goalCode: t.goalRevisions.goalCode,
        sectorCode: sql<string | null>`${t.goalRevisions.attributes}->>'sectorCode'`,
      })
      .from(t.goalRevisions)
      .orderBy(t.goalRevisions.goalCode, desc(t.goalRevisions.planImportId)),
    tx
      .selectDistinctOn([t.goalProgramming.goalCode, t.goalProgramming.fiscalYear])
      .from(t.goalProgramming)
      .where(inArray(t.goalProgramming.fiscalYear, years))
      .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, desc(t.goalProgramming.version)),
  ]);

  // Departments: reference data, inserted or updated in place.
  const registeredByCode = new Map(context.registered.map((d) => [d.code, d]));
  const departmentsAdded: Department[] = [];
  const departmentsChanged: Department[] = [];
  for (const d of plan.departments) {
    const current = registeredByCode.get(d.code) ?? context.registered.find((r) => r.code.toUpperCase() === d.code.toUpperCase());
    if (!current) {
      departmentsAdded.push(d);
      continue;
    }
    const next = { code: current.code, name: d.name, liaisonName: d.liaisonName ?? current.liaisonName, liaisonEmail: d.liaisonEmail ?? current.liaisonEmail };
    if (next.name !== current.name || next.liaisonName !== current.liaisonName || next.liaisonEmail !== current.liaisonEmail) departmentsChanged.push(next);
  }

  const planValues = {
    id: PLAN_ID,
    name: `Plan de Desarrollo ${plan.termStartYear}–${plan.termEndYear}`,
    municipality: context.municipalityName ?? context.currentPlan?.municipality ?? `Municipio ${plan.daneCode}`,
    daneCode: plan.daneCode,
    termStartYear: plan.termStartYear,
    termEndYear: plan.termEndYear,
  };
  const planChanged =
    !context.currentPlan ||
    context.currentPlan.name !== planValues.name ||
    context.currentPlan.municipality !== planValues.municipality ||
    context.currentPlan.termStartYear !== planValues.termStartYear ||
    context.currentPlan.termEndYear !== planValues.termEndYear;

  // Goals.
  const existingByCode = new Map(existingGoals.map((g) => [g.code, g]));
  const sectorCodeOf = new Map(sectorCodes.map((r) => [r.goalCode, r.sectorCode ?? '']));
  const inFile = new Set(plan.goals.map((g) => g.code));
  const goalsAdded: string[] = [];
  const goalsChanged: string[] = [];
  const goalsReactivated: string[] = [];
  const goalsToWrite: PlanGoal[] = [];
  const revisions: PlanGoal[] = [];
  for (const goal of plan.goals) {
    const current = existingByCode.get(goal.code);
    if (!current) {
      goalsAdded.push(goal.code);
      goalsToWrite.push(goal);
      revisions.push(goal);
      continue;
    }
    const changed = !sameAttributes(goal, { ...current, sectorCode: sectorCodeOf.get(goal.code) ?? '' });
    if (changed) {
      goalsChanged.push(goal.code);
      revisions.push(goal);
    }
    if (!current.active) goalsReactivated.push(goal.code);
    if (changed || !current.active) goalsToWrite.push(goal);
  }
  const goalsRemoved = existingGoals.filter((g) => g.active && !inFile.has(g.code)).map((g) => g.code);

  // Programming: a new version wherever the annual target differs from the latest one.
  const latestByKey = new Map(latestProgramming.map((p) => [`${p.goalCode}|${p.fiscalYear}`, p]));
  const programmingChanged: ProgrammingChange[] = [];
  const programmingRows: Omit<typeof t.goalProgramming.$inferInsert, 'planImportId'>[] = [];
  const reason = `Importación del Plan Indicativo ${context.fileName}`;
  for (const goal of plan.goals) {
    for (const [fiscalYear, annualTarget] of goal.programming) {
      const latest = latestByKey.get(`${goal.code}|${fiscalYear}`);
      if (latest && sameNumber(latest.annualTarget, annualTarget)) continue;
      if (existingByCode.has(goal.code)) programmingChanged.push({ goalCode: goal.code, fiscalYear, before: latest?.annualTarget ?? null, after: annualTarget });
      programmingRows.push({
        goalCode: goal.code,
        fiscalYear,
        version: (latest?.version ?? 0) + 1,
        annualTarget,
        quarterlyTargets: keptQuarterlyTargets(latest?.quarterlyTargets, goal.accumulation, annualTarget),
        reason,
        createdBy: context.importedBy,
      });
    }
  }

  const financingChanged = plan.financing ? await changedFinancing(tx, plan.financing.goals) : false;
  const summary: IndicativePlanImportSummary = {
    importId: null,
    unchanged: false,
    goalsAdded,
    goalsRemoved,
    goalsChanged,
    goalsReactivated,
    programmingChanged,
    departmentsAdded: [...departmentsAdded, ...plan.newDepartments].map((d) => d.code),
    departmentsChanged: departmentsChanged.map((d) => d.code),
    departmentsFromPlan: plan.newDepartments,
    reading: context.reading,
    unimportedColumns: plan.unimportedColumns,
    ...(plan.financing ? { financing: { columns: plan.financing.columns, goals: plan.financing.goals.size, changed: financingChanged } } : {}),
  };
  const nothingChanged =
    !planChanged && !financingChanged && !programmingRows.length && [goalsAdded, goalsRemoved, goalsChanged, goalsReactivated, departmentsAdded, departmentsChanged].every((l) => !l.length);
  if (nothingChanged) return { ...emptySummary(null), reading: context.reading, unimportedColumns: plan.unimportedColumns };

  const departmentRows = [...departmentsAdded, ...plan.newDepartments, ...departmentsChanged];
  const written = savingProgress(
    context.options,
    1 + Number(planChanged) + departmentRows.length + goalsToWrite.length + goalsRemoved.length + revisions.length + programmingRows.length,
  );
  const { importId: _none, unchanged: _no, ...recorded } = summary;
  const importId = await recordImport(tx, {
    kind: 'indicativePlan',
    fileName: context.fileName,
    hash: context.hash,
    importedBy: context.importedBy,
    summary: { ...recorded, termStartYear: plan.termStartYear, termEndYear: plan.termEndYear, goals: plan.goals.length },
  });
  written(1);

  if (planChanged) {
    await tx
      .insert(t.plans)
      .values(planValues)
      .onConflictDoUpdate({
        target: t.plans.id,
        set: { name: planValues.name, municipality: planValues.municipality, daneCode: planValues.daneCode, termStartYear: planValues.termStartYear, termEndYear: planValues.termEndYear },
      });
    written(1);
  }
  await writeDepartments(tx, { added: departmentsAdded, fromPlan: plan.newDepartments, changed: departmentsChanged, registered: context.registered, importId, fileName: context.fileName, importedBy: context.importedBy });
  written(departmentRows.length);
  await bulkInsert(
    tx,
    t.goals,
    goalsToWrite.map((g) => ({
      code: g.code,
      departmentCode: g.departmentCode,
      strategicLine: g.strategicLine,
      sector: g.sector,
      programCode: g.programCode,
      program: g.program,
      productCode: g.productCode,
      productName: g.productName,
      indicatorCode: g.indicatorCode,
      name: g.name,
      indicator: g.indicator,
      unit: g.unit,
      termTarget: g.termTarget,
      baseline: g.baseline,
      accumulation: g.accumulation,
      active: true,
    })),
    {
      onConflict: updateOnConflict('code', [
        'department_code', 'strategic_line', 'sector', 'program_code', 'program', 'product_code', 'product_name',
        'indicator_code', 'name', 'indicator', 'unit', 'term_target', 'baseline', 'accumulation', 'active',
      ]),
      onWritten: written,
    },
  );
  await inChunks(goalsRemoved, async (chunk) => {
    await tx.update(t.goals).set({ active: false }).where(inArray(t.goals.code, chunk));
    written(chunk.length);
  });
  await bulkInsert(tx, t.goalRevisions, revisions.map((g) => ({ goalCode: g.code, planImportId: importId, attributes: attributesOf(g) })), { onWritten: written });
  await bulkInsert(tx, t.goalProgramming, programmingRows.map((p) => ({ ...p, planImportId: importId })), { onWritten: written });
  if (plan.financing && financingChanged) await writeFinancing(tx, importId, plan.financing.goals);

  return { ...summary, importId };
}


function unconfirmedDepartments(departments: readonly NewDepartment[]): AppError {
  return new AppError(
    'conflict',
    `${UNCONFIRMED_DEPARTMENTS} (${departments.length}); la importación las crearía con los códigos indicados. Confírmelo en la vista previa de la página Importar, con --yes en la línea de comandos o con confirmNewDepartments=1 en la API; nada se importó`,
    departments.map((d) => `${d.name}: código ${d.code} (${d.goals} ${d.goals === 1 ? 'meta' : 'metas'})`),
  );
}

/**
 * Departments of the import, each with its version: new ones (sheet or plan column) as version 1,
 * changed ones (sheet) as a new version; every change in the audit log, as the registry's.
 */
async function writeDepartments(
  tx: Transaction,
  input: { added: Department[]; fromPlan: NewDepartment[]; changed: Department[]; registered: (typeof t.departments.$inferSelect)[]; importId: number; fileName: string; importedBy: string },
): Promise<void> {
  const reason = `Importación del Plan Indicativo ${input.fileName}`;
  const created = [...input.added, ...input.fromPlan.map(({ code, name }) => ({ code, name, liaisonName: null, liaisonEmail: null }))];
  await insertDepartments(tx, created, input.importedBy, reason);
  const registered = new Map(input.registered.map((d) => [d.code, d]));
  for (const next of input.changed) {
    const current = registered.get(next.code)!;
    await writeDepartmentVersion(tx, current, { ...current, name: next.name, liaisonName: next.liaisonName, liaisonEmail: next.liaisonEmail }, input.importedBy, reason);
  }
  const entries = [
    ...created.map((d) => ({ action: 'department.created', code: d.code, details: { importId: input.importId, after: d } })),
    ...input.changed.map((d) => ({ action: 'department.updated', code: d.code, details: { importId: input.importId, after: d } })),
  ];
  if (entries.length) {
    await tx.insert(t.auditLog).values(entries.map((e) => ({ actor: input.importedBy, action: e.action, subject: `department:${e.code}`, details: e.details })));
  }
}
