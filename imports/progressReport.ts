import { desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client';
import * as t from '../db/schema';
import type { Quarter } from '../domain/goals';
import {
  cellSchema,
  cellText,
  duplicateErrors,
  issuesToErrors,
  listRows,
  memoized,
  numberLocaleOf,
  optionalNonNegative,
  optionalText,
  requiredNonNegative,
  rowRecord,
  sameNumber,
} from './cells';
import { type ColumnReport, resolveColumns, saveMapping } from './columnMappings';
import { type ImportError, ImportFailed, withReading } from './errors';
import { progressColumns } from './columnSynonyms';
import { mapColumns, normalizeHeader, type UnimportedColumn, unimportedColumns } from './headers';
import { PLAN_ID } from './indicativePlan';
import { parseNumber } from './numbers';
import { sumMessage, sumWithinLimit } from '../domain/numbers';
import {
  bulkInsert,
  checkRequest,
  findImport,
  type ImportOptions,
  type ImportRequest,
  importTransaction,
  lockImports,
  PROGRESS_EVERY_ROWS,
  recordImport,
  savingProgress,
  sha256,
} from './store';
import { type CellValue, type FileReading, fileReading, readWorkbook, type Table } from './table';

export const PROGRESS_SHEET = 'Hoja de Captura';

export { progressColumns };
type ProgressField = (typeof progressColumns)[number]['field'];
const progressFields = progressColumns.map((c) => c.field);


export interface ProgressEntry {
  row: number;
  goalCode: string;
  fiscalYear: number;
  quarter: Quarter;
  /** Programmed for the quarter; null = not given (the programming is left as it is). */
  programmed: number | null;
  executed: number;
  evidence: string | null;
}

export interface ProgressReport {
  entries: ProgressEntry[];
  /** Columns of the file that are not imported (neither recognised nor known to be ignorable). */
  unimportedColumns: UnimportedColumn[];
}

export type ProgressReportParse = { ok: true; report: ProgressReport } | { ok: false; errors: ImportError[] };

export interface ParseProgressReportOptions {
  /** Goals known to the database: code → still in the current Plan Indicativo, and its indicator's code. */
  goals: ReadonlyMap<string, { active: boolean; indicatorCode?: string | null }>;
  term: { startYear: number; endYear: number };
  /** The operator's mapping of headers (normalised) to fields, applied before the aliases. */
  columnOverrides?: ReadonlyMap<string, ProgressField | 'ignore'>;
  /** Rows validated so far, every few hundred rows and at the end. */
  onRow?: (done: number, total: number) => void;
}

const romanQuarters: Record<string, Quarter> = { i: 1, ii: 2, iii: 3, iv: 4 };

const quarterOf = memoized((value: CellValue): Quarter | undefined => {
  const text = cellText(value);
  const normalized = text === null ? '' : normalizeHeader(text);
  const match = /^(?:t|trimestre|trim|q)?\s*([1-4])(?:\s*t)?$/.exec(normalized);
  return match ? (Number(match[1]) as Quarter) : romanQuarters[normalized.replace(/^(?:trimestre|t)\s*/, '')];
});

/** `1`–`4`, `T1`–`T4`, `Trimestre 2`, `IV`. */
const quarterCell = cellSchema.transform((value, ctx): Quarter => {
  const quarter = quarterOf(value);
  if (!quarter) {
    const text = cellText(value);
    ctx.addIssue({
      code: 'custom',
      message: text === null ? 'es obligatorio: escriba 1, 2, 3 o 4 (o T1–T4)' : `el trimestre debe ser 1, 2, 3 o 4 (o T1–T4); recibido "${text}"`,
    });
    return z.NEVER;
  }
  return quarter;
});

// "2.026" is how a Spanish-locale Excel shows a year formatted as a number.
const yearOf = memoized((text: string) => parseNumber(text.replace(/^(\d)\.(\d{3})$/, '$1$2')));

const yearCell = (term: ParseProgressReportOptions['term']) =>
  cellSchema.transform((value, ctx): number => {
    const text = cellText(value);
    const parsed = text === null ? null : yearOf(text);
    if (!parsed?.ok || !Number.isInteger(parsed.value)) {
      ctx.addIssue({ code: 'custom', message: text === null ? 'es obligatorio: escriba el año, p. ej. 2026' : `debe ser un año, p. ej. 2026 (recibido "${text}")` });
      return z.NEVER;
    }
    if (parsed.value < term.startYear || parsed.value > term.endYear) {
      ctx.addIssue({ code: 'custom', message: `la vigencia ${parsed.value} está fuera del plan (${term.startYear}–${term.endYear})` });
      return z.NEVER;
    }
    return parsed.value;
  });

/** Validates every row of the Hoja de Captura against the imported plan; touches no database. */
export function parseProgressReport(table: Table, options: ParseProgressReportOptions): ProgressReportParse {
  const mapping = mapColumns(table.headers, progressColumns, undefined, options.columnOverrides);
  if (mapping.errors.length) return { ok: false, errors: mapping.errors };
  const locale = numberLocaleOf(table, [mapping.columns.get('programmed'), mapping.columns.get('executed')]);
  const schema = z.object({
    goalCode: optionalText,
    indicatorCode: optionalText,
    fiscalYear: yearCell(options.term),
    quarter: quarterCell,
    programmed: optionalNonNegative(locale),
    executed: requiredNonNegative(locale),
    evidence: optionalText,
  });
  const columnOf = (path: readonly PropertyKey[]) => table.headers[mapping.columns.get(path[0] as ProgressField) ?? -1] ?? null;
  const findGoal = goalKeyResolver(options.goals);

  const errors: ImportError[] = [];
  const entries: ProgressEntry[] = [];
  for (const [index, row] of table.rows.entries()) {
    if (index % PROGRESS_EVERY_ROWS === 0) options.onRow?.(index, table.rows.length);
    const parsed = schema.safeParse(rowRecord(row.cells, mapping.columns, progressFields));
    const rowErrors = parsed.success ? [] : issuesToErrors(parsed.error.issues, row.rowNumber, columnOf);
    // The goal's key as in the plan: its code, or its indicator's code where the file has no goal code.
    const written = cellText(row.cells[mapping.columns.get('goalCode') ?? -1] ?? null);
    const keyField = written !== null || !mapping.columns.has('indicatorCode') ? 'goalCode' : 'indicatorCode';
    const key = written ?? cellText(row.cells[mapping.columns.get('indicatorCode') ?? -1] ?? null);
    const found = key === null ? null : findGoal(key, keyField);
    let goalCode: string | null = null;
    if (key === null) {
      rowErrors.push({ row: row.rowNumber, column: columnOf([keyField]), message: 'es obligatorio: la celda está vacía' });
    } else if (found && 'error' in found) {
      rowErrors.push({ row: row.rowNumber, column: columnOf([keyField]), message: found.error });
    } else if (found && !options.goals.get(found.code)?.active) {
      rowErrors.push({
        row: row.rowNumber,
        column: columnOf([keyField]),
        message: `la meta "${found.code}" fue retirada del Plan Indicativo (no está en el último archivo importado); no se le puede reportar avance`,
      });
    } else if (found) goalCode = found.code;
    if (rowErrors.length || !parsed.success || goalCode === null) {
      errors.push(...rowErrors);
      continue;
    }
    const { indicatorCode: _indicator, ...entry } = parsed.data;
    entries.push({ row: row.rowNumber, ...entry, goalCode });
  }
  options.onRow?.(table.rows.length, table.rows.length);
  errors.push(
    ...duplicateErrors(
      entries,
      (e) => `${e.goalCode}|${e.fiscalYear}|${e.quarter}`,
      (e) => e.row,
      (e, rows) => ({
        column: columnOf(['goalCode']),
        message: `la meta "${e.goalCode}" tiene más de un reporte para ${e.fiscalYear} T${e.quarter} (${listRows(rows)}); deje una sola fila`,
      }),
    ),
  );
  if (errors.length) return { ok: false, errors };
  return { ok: true, report: { entries, unimportedColumns: unimportedColumns(mapping, table.unlabelledColumns) } };
}

/**
 * The goal a row's key names, by the plan's rule: a goal code (any case); or an indicator code,
 * which is the goal's code where the plan keyed its goals by indicator, else the indicator of a
 * single goal of the plan.
 */
function goalKeyResolver(goals: ParseProgressReportOptions['goals']) {
  const byUpperCode = new Map([...goals.keys()].map((code) => [code.toUpperCase(), code]));
  const byIndicator = new Map<string, string[]>();
  for (const [code, goal] of goals) {
    if (!goal.indicatorCode || !goal.active) continue;
    const key = goal.indicatorCode.toUpperCase();
    byIndicator.set(key, [...(byIndicator.get(key) ?? []), code]);
  }
  return (key: string, field: 'goalCode' | 'indicatorCode'): { code: string } | { error: string } => {
    const code = goals.has(key) ? key : byUpperCode.get(key.toUpperCase());
    if (code !== undefined) return { code };
    const byItsIndicator = field === 'indicatorCode' ? (byIndicator.get(key.toUpperCase()) ?? []) : [];
    if (byItsIndicator.length === 1) return { code: byItsIndicator[0]! };
    if (byItsIndicator.length > 1) {
      return { error: `el indicador "${key}" tiene ${byItsIndicator.length} metas en el plan (${byItsIndicator.slice(0, 5).join(', ')}); agregue la columna "Código meta" para saber a cuál corresponde` };
    }
    return { error: field === 'goalCode' ? `la meta "${key}" no existe en el Plan Indicativo importado` : `ninguna meta del Plan Indicativo importado tiene el código de indicador "${key}"` };
  };
}

// ---------------------------------------------------------------- importing

export interface ProgressCorrection {
  goalCode: string;
  fiscalYear: number;
  quarter: Quarter;
  before: number;
  after: number;
}

export interface ProgressReportImportSummary {
  /** The plan_imports row created; for the same bytes imported before, that earlier import; null when nothing changed. */
  importId: number | null;
  unchanged: boolean;
  /** New goal_progress versions: first reports, corrections and evidence updates. */
  progressVersionsCreated: number;
  /** Quarters already reported whose executed value changed (the earlier version is kept). */
  corrections: ProgressCorrection[];
  /** New goal_programming versions from a changed "Programado". */
  programmingVersionsCreated: number;
  /** The column mapping applied and the columns not imported (absent when the same file was imported before). */
  columns?: ColumnReport;
  /** How the file was read (absent when these bytes were the latest import: nothing was read). */
  reading?: FileReading;
  /** Columns of the file that were not imported, listed in the preview and kept in the import's record. */
  unimportedColumns?: UnimportedColumn[];
}

const emptySummary = (importId: number | null): ProgressReportImportSummary => ({
  importId,
  unchanged: true,
  progressVersionsCreated: 0,
  corrections: [],
  programmingVersionsCreated: 0,
});

type QuarterlyTargets = [number | null, number | null, number | null, number | null];

/**
 * Imports a Hoja de Captura (XLSX or CSV) in one transaction: a new goal_progress version for each
 * quarter whose executed value (or evidence) changed, and a new programming version where the
 * quarter's "Programado" changed. Throws ImportFailed with every problem, having written nothing.
 * With `dryRun` the same import runs and is rolled back: the summary previews it (importId null).
 */
export async function importProgressReport(db: Database, request: ImportRequest, options: ImportOptions = {}): Promise<ProgressReportImportSummary> {
  const { fileName, importedBy } = checkRequest(request);
  const { content } = request;
  const hash = sha256(content);
  const earlier = await findImport(db, 'progressReport', hash);
  if (earlier !== null) return emptySummary(earlier);

  options.onProgress?.({ phase: 'reading', done: 0, total: content.length });
  const workbook = await readWorkbook({ fileName, content }, { sheetName: PROGRESS_SHEET, columns: { specs: progressColumns }, limits: options.limits });
  if (!workbook.ok) throw new ImportFailed(workbook.errors);
  options.onProgress?.({ phase: 'reading', done: content.length, total: content.length });
  const reading = fileReading(workbook.value.main);

  return withReading(reading, () => importTransaction(db, options, async (tx) => {
    await lockImports(tx);
    const raced = await findImport(tx, 'progressReport', hash);
    if (raced !== null) return emptySummary(raced);

    const [[plan], goals] = await Promise.all([
      tx.select().from(t.plans).where(eq(t.plans.id, PLAN_ID)),
      tx.select({ code: t.goals.code, active: t.goals.active, indicatorCode: t.goals.indicatorCode }).from(t.goals),
    ]);
    let term = plan ? { startYear: plan.termStartYear, endYear: plan.termEndYear } : null;
    if (!term) {
      // Data loaded without a Plan Indicativo file (the demo): the programmed years are the term.
      const years = await tx.selectDistinct({ year: t.goalProgramming.fiscalYear }).from(t.goalProgramming);
      if (years.length) term = { startYear: Math.min(...years.map((y) => y.year)), endYear: Math.max(...years.map((y) => y.year)) };
    }
    if (!term || !goals.length) {
      throw new ImportFailed([{ row: null, column: null, message: 'Todavía no hay un Plan Indicativo importado: importe primero el Plan Indicativo y luego la Hoja de Captura' }]);
    }
    const columns = await resolveColumns(tx, 'progressReport', workbook.value.main.headers, options.columns, progressColumns);
    options.onColumns?.(columns.report);
    if (columns.errors.length) throw new ImportFailed(columns.errors);
    const parsed = parseProgressReport(workbook.value.main, {
      goals: new Map(goals.map((g) => [g.code, { active: g.active, indicatorCode: g.indicatorCode }])),
      term,
      columnOverrides: columns.overrides as ReadonlyMap<string, ProgressField | 'ignore'> | undefined,
      onRow: (done, total) => options.onProgress?.({ phase: 'validating', done, total }),
    });
    if (!parsed.ok) throw new ImportFailed(parsed.errors);
    const { entries } = parsed.report;
    // Saved with the import (a dry run rolls it back with everything else).
    if (columns.toSave) await saveMapping(tx, 'progressReport', workbook.value.main.headers, columns.toSave, importedBy);
    const fileFacts = { reading, unimportedColumns: parsed.report.unimportedColumns };

    const years = [...new Set(entries.map((e) => e.fiscalYear))];
    const [latestProgress, latestProgramming] = await Promise.all([
      tx
        .selectDistinctOn([t.goalProgress.goalCode, t.goalProgress.fiscalYear, t.goalProgress.quarter])
        .from(t.goalProgress)
        .where(inArray(t.goalProgress.fiscalYear, years))
        .orderBy(t.goalProgress.goalCode, t.goalProgress.fiscalYear, t.goalProgress.quarter, desc(t.goalProgress.version)),
      entries.some((e) => e.programmed !== null)
        ? tx
            .selectDistinctOn([t.goalProgramming.goalCode, t.goalProgramming.fiscalYear])
            .from(t.goalProgramming)
            .where(inArray(t.goalProgramming.fiscalYear, years))
            .orderBy(t.goalProgramming.goalCode, t.goalProgramming.fiscalYear, desc(t.goalProgramming.version))
        : Promise.resolve([]),
    ]);

    const progressByKey = new Map(latestProgress.map((p) => [`${p.goalCode}|${p.fiscalYear}|${p.quarter}`, p]));
    const progressRows: Omit<typeof t.goalProgress.$inferInsert, 'planImportId'>[] = [];
    const corrections: ProgressCorrection[] = [];
    for (const e of entries) {
      const latest = progressByKey.get(`${e.goalCode}|${e.fiscalYear}|${e.quarter}`);
      const sameValue = latest !== undefined && sameNumber(latest.executed, e.executed);
      // Same value: only new evidence makes a version (a blank Soportes cell does not erase the reported one).
      if (sameValue && (e.evidence === null || e.evidence === latest.evidence)) continue;
      if (latest && !sameValue) {
        corrections.push({ goalCode: e.goalCode, fiscalYear: e.fiscalYear, quarter: e.quarter, before: latest.executed, after: e.executed });
      }
      progressRows.push({
        goalCode: e.goalCode,
        fiscalYear: e.fiscalYear,
        quarter: e.quarter,
        version: (latest?.version ?? 0) + 1,
        executed: e.executed,
        evidence: e.evidence,
        reportedBy: importedBy,
      });
    }

    // Programming: one new version per goal and year, whatever the number of quarters that changed.
    const programmingByKey = new Map(latestProgramming.map((p) => [`${p.goalCode}|${p.fiscalYear}`, p]));
    const changedTargets = new Map<string, { goalCode: string; fiscalYear: number; targets: QuarterlyTargets }>();
    for (const e of entries) {
      if (e.programmed === null) continue;
      const key = `${e.goalCode}|${e.fiscalYear}`;
      const latest = programmingByKey.get(key);
      const pending = changedTargets.get(key);
      const current = pending?.targets[e.quarter - 1] ?? latest?.quarterlyTargets?.[e.quarter - 1] ?? null;
      if (current !== null && sameNumber(current, e.programmed)) continue;
      const targets = pending?.targets ?? ([...(latest?.quarterlyTargets ?? [null, null, null, null])] as QuarterlyTargets);
      targets[e.quarter - 1] = e.programmed;
      changedTargets.set(key, { goalCode: e.goalCode, fiscalYear: e.fiscalYear, targets });
    }
    const sumErrors = yearSumErrors(entries, progressByKey, changedTargets);
    if (sumErrors.length) throw new ImportFailed(sumErrors);
    const reason = `Importación de la Hoja de Captura ${fileName}`;
    const programmingRows = [...changedTargets.entries()].map(([key, change]) => {
      const latest = programmingByKey.get(key);
      return {
        goalCode: change.goalCode,
        fiscalYear: change.fiscalYear,
        version: (latest?.version ?? 0) + 1,
        annualTarget: latest?.annualTarget ?? null,
        quarterlyTargets: change.targets,
        reason,
        createdBy: importedBy,
      };
    });

    if (!progressRows.length && !programmingRows.length) return { ...emptySummary(null), ...fileFacts, columns: columns.report };
    const summary: ProgressReportImportSummary = {
      importId: null,
      unchanged: false,
      progressVersionsCreated: progressRows.length,
      corrections,
      programmingVersionsCreated: programmingRows.length,
      ...fileFacts,
    };
    const { importId: _none, unchanged: _no, ...recorded } = summary;
    const written = savingProgress(options, 1 + progressRows.length + programmingRows.length);
    const importId = await recordImport(tx, { kind: 'progressReport', fileName, hash, importedBy, summary: { ...recorded, rows: entries.length } });
    written(1);
    await bulkInsert(tx, t.goalProgress, progressRows.map((p) => ({ ...p, planImportId: importId })), { onWritten: written });
    await bulkInsert(tx, t.goalProgramming, programmingRows.map((p) => ({ ...p, planImportId: importId })), { onWritten: written });
    return { ...summary, importId: options.dryRun ? null : importId, columns: columns.report };
  }));
}

/**
 * Each value is within range (imports/cells.ts); the year's totals must be too: the executed
 * values of the four quarters and the quarterly programming, as they will stand after the import
 * (stored quarters merged with the file's). The error names the row that brings the total over.
 */
function yearSumErrors(
  entries: ProgressEntry[],
  progressByKey: Map<string, { executed: number }>,
  changedTargets: Map<string, { targets: QuarterlyTargets }>,
): ImportError[] {
  const errors: ImportError[] = [];
  const years = new Map<string, ProgressEntry[]>();
  for (const e of entries) {
    const key = `${e.goalCode}|${e.fiscalYear}`;
    years.set(key, [...(years.get(key) ?? []), e]);
  }
  for (const [key, rows] of years) {
    const executed = ([1, 2, 3, 4] as const).map(
      (q) => rows.find((e) => e.quarter === q)?.executed ?? progressByKey.get(`${key}|${q}`)?.executed ?? 0,
    );
    const last = rows.at(-1) as ProgressEntry;
    const executedSum = sumWithinLimit(executed);
    if (!executedSum.ok) {
      errors.push({ row: last.row, column: 'Ejecutado', message: sumMessage(`la suma de lo ejecutado en los cuatro trimestres de ${last.fiscalYear} (meta ${last.goalCode})`, executedSum.total) });
    }
    const targets = changedTargets.get(key)?.targets;
    const targetSum = targets ? sumWithinLimit(targets) : null;
    if (targetSum && !targetSum.ok) {
      errors.push({ row: last.row, column: 'Programado', message: sumMessage(`la suma de lo programado en los cuatro trimestres de ${last.fiscalYear} (meta ${last.goalCode})`, targetSum.total) });
    }
  }
  return errors;
}
