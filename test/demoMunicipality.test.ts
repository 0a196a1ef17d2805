import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import {
  generateMunicipality,
  loadMunicipality,
  MUNICIPALITY_PLAN_YEARS,
  MUNICIPALITY_PROGRAMMING_REASON,
  type MunicipalityData,
} from '../scripts/demo';
import { formatNumber } from '../domain/format';
import { latestExecution, latestProgramming } from '../db/queries';
import * as t from '../db/schema';
import {
  accumulationTypes,
  annualTargetFromQuarters,
  classifyMeasurement,
  defaultThresholds,
  measureGoal,
  type GoalStatus,
  type Quarter,
  type QuarterlyExecution,
} from '../domain/goals';
import {
  buildSamples,
  captureHeaders,
  CAPTURE_SHEET,
  departmentHeaders,
  DEPARTMENTS_SHEET,
  PLAN_SHEET,
  planHeaders,
  SAMPLE_FILES,
  samplesFolder,
} from '../scripts/generateSamples';
import { openPglite } from './support/pglite';

const data = generateMunicipality();

/** The quarters with progress, in order: 2024 T1 … 2026 T3. */
const reportedQuarters: { year: number; quarter: Quarter }[] = [
  ...[2024, 2025].flatMap((year) => ([1, 2, 3, 4] as const).map((quarter) => ({ year, quarter }))),
  ...([1, 2, 3] as const).map((quarter) => ({ year: 2026, quarter })),
];

/** Every goal's status in every reported quarter, classified by the domain with the default thresholds. */
function statuses(d: MunicipalityData): Map<string, GoalStatus[]> {
  const programming = new Map(d.programming.map((p) => [`${p.goalCode}|${p.fiscalYear}`, p]));
  const execution = new Map<string, QuarterlyExecution>();
  for (const row of d.progress) {
    const key = `${row.goalCode}|${row.fiscalYear}`;
    const values = execution.get(key) ?? [null, null, null, null];
    values[row.quarter - 1] = row.executed;
    execution.set(key, values);
  }
  return new Map(
    d.goals.map((goal) => [
      goal.code,
      reportedQuarters.map(({ year, quarter }) => {
        const p = programming.get(`${goal.code}|${year}`);
        const yearProgramming = p ? { annualTarget: p.annualTarget, quarterlyTargets: p.quarterlyTargets } : { annualTarget: null, quarterlyTargets: null };
        const measurement = measureGoal(goal.accumulation, yearProgramming, execution.get(`${goal.code}|${year}`) ?? [null, null, null, null], quarter);
        return classifyMeasurement(measurement, defaultThresholds);
      }),
    ]),
  );
}

function mix(byGoal: Map<string, GoalStatus[]>, index: number) {
  const counts: Record<GoalStatus, number> = { notEvaluated: 0, notStarted: 0, behind: 0, onTrack: 0, achieved: 0, overachieved: 0, noReport: 0, unprogrammedExecution: 0 };
  for (const list of byGoal.values()) counts[list[index] as GoalStatus]++;
  const percent = (n: number) => (100 * n) / byGoal.size;
  return {
    onTrackOrAchieved: percent(counts.onTrack + counts.achieved),
    behind: percent(counts.behind),
    notStarted: percent(counts.notStarted),
    overachieved: percent(counts.overachieved),
    notEvaluated: counts.notEvaluated,
  };
}

const isLagging = (s: GoalStatus) => s === 'behind' || s === 'notStarted';

function longestLaggingRun(list: GoalStatus[]): number {
  let longest = 0;
  let run = 0;
  for (const s of list) {
    run = isLagging(s) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

describe('demo municipality generator', () => {
  it('is deterministic: the same seed gives identical data, another seed different data', () => {
    const again = generateMunicipality();
    expect(again).toEqual(data);
    expect(JSON.stringify(again)).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateMunicipality(52001))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateMunicipality(7))).not.toBe(JSON.stringify(data));
  });

  it('has the size and shape of a mid-size municipality', () => {
    expect(data.plan).toMatchObject({ daneCode: '52001', termStartYear: 2024, termEndYear: 2027 });
    expect(data.departments.length).toBeGreaterThanOrEqual(14);
    expect(data.departments.length).toBeLessThanOrEqual(16);
    expect(new Set(data.departments.map((d) => d.code)).size).toBe(data.departments.length);
    expect(new Set(data.departments.map((d) => d.liaisonName)).size).toBe(data.departments.length);
    for (const d of data.departments) expect(d.liaisonEmail).toMatch(/^[a-z.]+@[a-z.-]*demo\.gov\.co$/);

    expect(data.goals.length).toBeGreaterThanOrEqual(280);
    expect(data.goals.length).toBeLessThanOrEqual(320);
    const lines = new Set(data.goals.map((g) => g.strategicLine));
    expect(lines.size).toBeGreaterThanOrEqual(4);
    expect(lines.size).toBeLessThanOrEqual(5);
    // The generator's catalogue has four of DNP's six types; capacidad and reducción anual are covered by test/dnpAccumulation.test.ts.
    expect(new Set(data.goals.map((g) => g.accumulation))).toEqual(new Set(accumulationTypes.filter((a) => a !== 'capacity' && a !== 'annualReduction')));
    expect(data.goals.filter((g) => g.accumulation === 'sum').length).toBeGreaterThan(data.goals.length / 2);
    expect(new Set(data.goals.map((g) => g.code)).size).toBe(data.goals.length);
    expect(new Set(data.goals.map((g) => g.sector)).size).toBeGreaterThanOrEqual(12);

    const departmentCodes = new Set(data.departments.map((d) => d.code));
    for (const g of data.goals) expect(departmentCodes.has(g.departmentCode)).toBe(true);
    // Every department answers for some goals.
    expect(new Set(data.goals.map((g) => g.departmentCode))).toEqual(departmentCodes);
  });

  it('uses MGA-like codes: sector ⊂ programa ⊂ producto ⊂ indicador, goal = producto-NN', () => {
    for (const g of data.goals) {
      expect(g.sectorCode).toMatch(/^\d{2}$/);
      expect(g.programCode).toMatch(new RegExp(`^${g.sectorCode}\\d{2}$`));
      expect(g.productCode).toMatch(new RegExp(`^${g.programCode}\\d{3}$`));
      expect(g.indicatorCode).toMatch(new RegExp(`^${g.productCode}\\d{2}$`));
      expect(g.code).toMatch(new RegExp(`^${g.productCode}-\\d{2}$`));
      expect(g.termTarget).toBeGreaterThan(0);
    }
  });

  it('programs every goal for 2024–2027 consistently with its meta cuatrienio', () => {
    const byGoal = new Map<string, typeof data.programming>();
    for (const p of data.programming) byGoal.set(p.goalCode, [...(byGoal.get(p.goalCode) ?? []), p]);
    const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
    for (const g of data.goals) {
      const years = (byGoal.get(g.code) ?? []).sort((a, b) => a.fiscalYear - b.fiscalYear);
      expect(years.map((y) => y.fiscalYear)).toEqual([...MUNICIPALITY_PLAN_YEARS]);
      for (const y of years) {
        expect(close(annualTargetFromQuarters(g.accumulation, y.quarterlyTargets), y.annualTarget)).toBe(true);
      }
      if (g.accumulation === 'sum') {
        expect(close(years.reduce((acc, y) => acc + y.annualTarget, 0), g.termTarget)).toBe(true);
      } else {
        expect(years.at(-1)?.annualTarget).toBe(g.termTarget);
      }
    }
  });

  it('reports progress from 2024 T1 to 2026 T3 only, with soportes on most rows', () => {
    const codes = new Set(data.goals.map((g) => g.code));
    for (const p of data.progress) {
      expect(codes.has(p.goalCode)).toBe(true);
      expect(p.fiscalYear * 10 + p.quarter).toBeGreaterThanOrEqual(20241);
      expect(p.fiscalYear * 10 + p.quarter).toBeLessThanOrEqual(20263);
      expect(p.executed).toBeGreaterThanOrEqual(0);
    }
    const keys = data.progress.map((p) => `${p.goalCode}|${p.fiscalYear}|${p.quarter}`);
    expect(new Set(keys).size).toBe(keys.length);
    const withEvidence = data.progress.filter((p) => p.evidence);
    expect(withEvidence.length / data.progress.length).toBeGreaterThan(0.8);
    const linked = data.progress.filter((p) => p.executed > 0 && p.evidence?.includes('demo.gov.co/soportes/'));
    expect(linked.length / data.progress.filter((p) => p.executed > 0).length).toBeGreaterThan(0.85);
  });

  it('gives 2026 T2 and T3 a realistic status mix when classified by the domain', () => {
    const byGoal = statuses(data);
    for (const index of [reportedQuarters.length - 2, reportedQuarters.length - 1]) {
      const m = mix(byGoal, index);
      expect(m.onTrackOrAchieved).toBeGreaterThanOrEqual(45);
      expect(m.onTrackOrAchieved).toBeLessThanOrEqual(60);
      expect(m.behind).toBeGreaterThanOrEqual(15);
      expect(m.behind).toBeLessThanOrEqual(25);
      expect(m.notStarted).toBeGreaterThanOrEqual(8);
      expect(m.notStarted).toBeLessThanOrEqual(15);
      expect(m.overachieved).toBeGreaterThanOrEqual(5);
      expect(m.overachieved).toBeLessThanOrEqual(10);
      expect(m.notEvaluated).toBeGreaterThanOrEqual(1);
      expect(m.notEvaluated).toBeLessThanOrEqual(byGoal.size * 0.05);
    }
  });

  it('keeps the status mix with other seeds too', () => {
    for (const seed of [1, 2026]) {
      const m = mix(statuses(generateMunicipality(seed)), reportedQuarters.length - 1);
      expect(m.onTrackOrAchieved).toBeGreaterThanOrEqual(45);
      expect(m.onTrackOrAchieved).toBeLessThanOrEqual(60);
      expect(m.behind).toBeGreaterThanOrEqual(15);
      expect(m.behind).toBeLessThanOrEqual(25);
      expect(m.notStarted).toBeGreaterThanOrEqual(8);
      expect(m.notStarted).toBeLessThanOrEqual(15);
      expect(m.overachieved).toBeGreaterThanOrEqual(5);
      expect(m.overachieved).toBeLessThanOrEqual(10);
    }
  });

  it('has persistent laggards and goals that catch up', () => {
    const byGoal = statuses(data);
    const persistent = [...byGoal.values()].filter((list) => longestLaggingRun(list) >= 3);
    expect(persistent.length).toBeGreaterThanOrEqual(10);
    // Lagging since 2025 T3 at least: five quarters in a row up to 2026 T3.
    const sinceLastYear = [...byGoal.values()].filter((list) => list.slice(-5).every(isLagging));
    expect(sinceLastYear.length).toBeGreaterThanOrEqual(5);
    const t2 = reportedQuarters.length - 2;
    const caughtUp = [...byGoal.values()].filter(
      (list) => isLagging(list[t2] as GoalStatus) && ['onTrack', 'achieved'].includes(list[t2 + 1] as GoalStatus),
    );
    expect(caughtUp.length).toBeGreaterThanOrEqual(5);
  });

  it('formats Colombian numbers', () => {
    expect(formatNumber(1234.5)).toBe('1.234,5');
    expect(formatNumber(18000)).toBe('18.000');
    expect(formatNumber(0.66)).toBe('0,66');
    expect(formatNumber(95)).toBe('95');
  });
});

describe('loading the demo municipality', () => {
  it('loads everything once into PGlite and refuses a second load', async () => {
    const handle = await openPglite();
    try {
      const count = async (table: typeof t.goals | typeof t.departments | typeof t.goalProgramming | typeof t.goalProgress | typeof t.plans) => {
        const [row] = await handle.db.select({ n: sql<number>`count(*)::int` }).from(table);
        return row?.n ?? -1;
      };
      expect(await loadMunicipality(handle.db, data)).toBe(true);
      const [plan] = await handle.db.select().from(t.plans);
      expect(plan).toMatchObject({ id: 1, ...data.plan });
      expect(await count(t.departments)).toBe(data.departments.length);
      expect(await count(t.goals)).toBe(data.goals.length);
      expect(await count(t.goalProgramming)).toBe(data.programming.length);
      expect(await count(t.goalProgramming)).toBe(data.goals.length * MUNICIPALITY_PLAN_YEARS.length);
      expect(await count(t.goalProgress)).toBe(data.progress.length);
      const [versions] = await handle.db
        .select({
          programming: sql<number>`(select count(*)::int from goal_programming where version <> 1 or reason <> ${MUNICIPALITY_PROGRAMMING_REASON} or created_by <> 'demo')`,
          progress: sql<number>`(select count(*)::int from goal_progress where version <> 1 or reported_by <> 'demo')`,
        })
        .from(t.plans);
      expect(versions).toEqual({ programming: 0, progress: 0 });

      // What the rest of the product reads back is what was generated.
      const goal = data.goals.find((g) => g.accumulation === 'sum') ?? data.goals[0];
      const programming2026 = (await latestProgramming(handle.db, 2026)).get(goal?.code ?? '');
      const generated2026 = data.programming.find((p) => p.goalCode === goal?.code && p.fiscalYear === 2026);
      expect(programming2026).toEqual({ annualTarget: generated2026?.annualTarget, quarterlyTargets: generated2026?.quarterlyTargets });
      const execution2026 = (await latestExecution(handle.db, 2026)).get(goal?.code ?? '') ?? [null, null, null, null];
      const expected: QuarterlyExecution = [null, null, null, null];
      for (const p of data.progress) if (p.goalCode === goal?.code && p.fiscalYear === 2026) expected[p.quarter - 1] = p.executed;
      expect(execution2026).toEqual(expected);

      expect(await loadMunicipality(handle.db, data)).toBe(false);
      expect(await count(t.goals)).toBe(data.goals.length);
      expect(await count(t.goalProgress)).toBe(data.progress.length);
      expect(await count(t.plans)).toBe(1);
    } finally {
      await handle.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Sample import files
// ---------------------------------------------------------------------------------------------

/** Column names of the tables in samples/LEEME.md, per section ("## Plan Indicativo …"). */
function leemeColumns(section: string): string[] {
  const text = fs.readFileSync(path.join(samplesFolder, 'LEEME.md'), 'utf8');
  const body = text.split(/^## /m).find((s) => s.startsWith(section)) ?? '';
  return body
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Columna') && !line.startsWith('|---'))
    .map((line) => line.split('|')[1]?.trim() ?? '');
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      row.push(field);
      field = '';
    } else if (c === '\r') continue;
    else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

const parseSpanishNumber = (s: string) => Number(s.replace(/\./g, '').replace(',', '.'));

async function readSheet(buffer: Buffer, name: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`sheet ${name} missing`);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('sample import files', () => {
  let samples: Record<string, Buffer>;
  beforeAll(async () => {
    samples = await buildSamples(data);
  });

  it('follow the columns of samples/LEEME.md', () => {
    const planColumns = leemeColumns('Plan Indicativo').flatMap((c) =>
      c === 'Programación AAAA' ? MUNICIPALITY_PLAN_YEARS.map((y) => `Programación ${y}`) : [c],
    );
    expect([...planHeaders]).toEqual(planColumns);
    expect([...captureHeaders]).toEqual(leemeColumns('Hoja de Captura'));
    const leeme = fs.readFileSync(path.join(samplesFolder, 'LEEME.md'), 'utf8');
    const departmentsLine = leeme.split('\n').find((l) => l.includes(`**\`${DEPARTMENTS_SHEET}\`**`)) ?? '';
    expect([...departmentHeaders]).toEqual([...departmentsLine.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((c) => c !== DEPARTMENTS_SHEET));
  });

  it('are committed as the generator writes them (regenerate with `npx tsx scripts/generateSamples.ts`)', async () => {
    for (const [name, content] of Object.entries(samples)) {
      expect(fs.readFileSync(path.join(samplesFolder, name)).equals(content)).toBe(true);
    }
    // Regenerating gives the same bytes (fixed document dates and ZIP times).
    const again = await buildSamples(generateMunicipality());
    for (const [name, content] of Object.entries(samples)) expect(again[name]?.equals(content)).toBe(true);
  });

  it('hold a small subset: 3 dependencias, about 12 goals of every accumulation type, 2026 T1–T3 progress', async () => {
    const plan = await readSheet(samples[SAMPLE_FILES.planXlsx] as Buffer, PLAN_SHEET);
    expect(plan[0]).toEqual([...planHeaders]);
    const goals = plan.slice(1);
    expect(goals.length).toBeGreaterThanOrEqual(10);
    expect(goals.length).toBeLessThanOrEqual(14);
    const column = (name: string) => planHeaders.indexOf(name as (typeof planHeaders)[number]);
    expect(new Set(goals.map((r) => r[column('Tipo de acumulación')]))).toEqual(new Set(['Suma', 'Flujo', 'Stock', 'Reducción']));
    expect(new Set(goals.map((r) => r[column('Dependencia responsable')])).size).toBe(3);
    for (const row of goals) {
      const generated = data.goals.find((g) => g.code === row[column('Código meta')]);
      expect(generated).toBeDefined();
      expect(row[column('Código DANE')]).toBe('52001');
      expect(row[column('Meta cuatrienio')]).toBe(generated?.termTarget);
      expect(typeof row[column('Programación 2026')]).toBe('number');
    }

    const departments = await readSheet(samples[SAMPLE_FILES.planXlsx] as Buffer, DEPARTMENTS_SHEET);
    expect(departments[0]).toEqual([...departmentHeaders]);
    expect(departments.length - 1).toBe(3);

    const capture = await readSheet(samples[SAMPLE_FILES.captureXlsx] as Buffer, CAPTURE_SHEET);
    expect(capture[0]).toEqual([...captureHeaders]);
    const codes = new Set(goals.map((r) => r[column('Código meta')]));
    for (const row of capture.slice(1)) {
      expect(codes.has(row[0])).toBe(true);
      expect(row[1]).toBe(2026);
      expect(['T1', 'T2', 'T3']).toContain(row[2]);
      const generated = data.progress.find((p) => p.goalCode === row[0] && p.fiscalYear === 2026 && `T${p.quarter}` === row[2]);
      expect(row[4]).toBe(generated?.executed);
    }
    expect(capture.length - 1).toBeGreaterThanOrEqual(30);
  });

  it('have CSV variants in UTF-8 with ";" and Colombian numbers that match the XLSX', async () => {
    const planText = (samples[SAMPLE_FILES.planCsv] as Buffer).toString('utf8');
    expect(planText.charCodeAt(0)).not.toBe(0xfeff);
    const plan = parseCsv(planText);
    expect(plan[0]).toEqual([...planHeaders]);
    const xlsx = await readSheet(samples[SAMPLE_FILES.planXlsx] as Buffer, PLAN_SHEET);
    expect(plan.length).toBe(xlsx.length);
    const termTarget = planHeaders.indexOf('Meta cuatrienio');
    plan.slice(1).forEach((row, i) => {
      expect(row).toHaveLength(planHeaders.length);
      expect(parseSpanishNumber(row[termTarget] ?? '')).toBe(xlsx[i + 1]?.[termTarget]);
    });
    // Spanish formats are really used: a thousands separator and a decimal comma appear somewhere.
    expect(planText).toMatch(/;\d{1,3}(\.\d{3})+;/);
    expect(planText).toMatch(/;\d+,\d+;/);

    const capture = parseCsv((samples[SAMPLE_FILES.captureCsv] as Buffer).toString('utf8'));
    expect(capture[0]).toEqual([...captureHeaders]);
    const captureXlsx = await readSheet(samples[SAMPLE_FILES.captureXlsx] as Buffer, CAPTURE_SHEET);
    expect(capture.length).toBe(captureXlsx.length);
    capture.slice(1).forEach((row, i) => {
      expect(row[1]).toBe('2026');
      expect(parseSpanishNumber(row[4] ?? '')).toBe(captureXlsx[i + 1]?.[4]);
    });
  });
});
