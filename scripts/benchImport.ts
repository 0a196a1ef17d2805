/**
 * Import benchmark: a 5,000-goal Plan Indicativo (4 years) and its Hoja de Captura (5,000 goals ×
 * 6 quarters) built in memory as XLSX, imported into a fresh in-memory PGlite. Prints file sizes,
 * time, rows per second and peak RSS; exits with 1 when the two imports together exceed the target.
 *
 *   npx tsx scripts/benchImport.ts [--goals 5000] [--target-seconds 10]
 */
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client';
import { importIndicativePlan, importProgressReport } from '../imports';
import { captureMatrix, type CaptureFixture, type DepartmentFixture, departmentsMatrix, type GoalFixture, planMatrix, xlsxOf } from '../test/support/importFiles';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} debe ser un número positivo`);
  return value;
}

const GOALS = option('goals', 5000);
const TARGET_SECONDS = option('target-seconds', 10);
const YEARS = [2024, 2025, 2026, 2027];
const QUARTERS: [number, number][] = [
  [2024, 1], [2024, 2], [2024, 3], [2024, 4], [2025, 1], [2025, 2],
];

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Peak RSS while `run` executes, sampled every 50 ms (synchronous stretches are caught by the next sample). */
async function measure<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number; peakRss: number; baseRss: number }> {
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const start = performance.now();
  try {
    const result = await run();
    const seconds = (performance.now() - start) / 1000;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { result, seconds, peakRss, baseRss };
  } finally {
    clearInterval(sampler);
  }
}

function buildPlan(): { goals: GoalFixture[]; departments: DepartmentFixture[] } {
  const departments = Array.from({ length: 15 }, (_, i) => ({
    code: `D${String(i + 1).padStart(2, '0')}`,
    name: `Secretaría número ${i + 1}`,
    liaisonName: `Enlace ${i + 1}`,
    liaisonEmail: `enlace${i + 1}@municipio.gov.co`,
  }));
  const accumulations = ['Suma', 'Flujo', 'Stock', 'Reducción'];
  const goals = Array.from({ length: GOALS }, (_, i): GoalFixture => {
    const annual = 10 + (i % 90);
    return {
      code: `M-${String(i + 1).padStart(5, '0')}`,
      department: departments[i % departments.length]!.code,
      programming: YEARS.map((_, y) => annual + y),
      accumulation: accumulations[i % accumulations.length],
      line: `Línea estratégica ${1 + (i % 5)}`,
      sectorCode: String(17 + (i % 30)),
      sector: `Sector ${17 + (i % 30)}`,
      programCode: String(1700 + (i % 300)),
      program: `Programa ${1700 + (i % 300)}`,
      productCode: String(1_700_000 + i),
      productName: `Producto ${i + 1}`,
      indicatorCode: String(170_000_000 + i),
      indicator: `Indicador de producto número ${i + 1}`,
      name: `Meta de producto número ${i + 1} del plan de desarrollo`,
      unit: i % 3 ? 'Número' : 'Porcentaje',
    };
  });
  return { goals, departments };
}

function buildCapture(goals: GoalFixture[]): CaptureFixture[] {
  return goals.flatMap((g, i) =>
    QUARTERS.map(([year, quarter]) => ({
      code: g.code,
      year,
      quarter: `T${quarter}`,
      programmed: (g.programming[YEARS.indexOf(year)] ?? 0) / 4,
      executed: (i + quarter) % 7,
      evidence: i % 4 === 0 ? `https://drive.municipio.gov.co/soportes/${g.code}-${year}-T${quarter}.pdf` : null,
    })),
  );
}

async function main() {
  const { goals, departments } = buildPlan();
  const capture = buildCapture(goals);
  const planFile = await xlsxOf([
    { name: 'Plan Indicativo', rows: planMatrix(goals) },
    { name: 'Dependencias', rows: departmentsMatrix(departments) },
  ]);
  const captureFile = await xlsxOf([{ name: 'Hoja de Captura', rows: captureMatrix(capture) }]);

  const beforeDatabase = process.memoryUsage().rss;
  const handle = await openDatabase({});
  console.log(`RSS: ${mb(beforeDatabase)} con los archivos generados; ${mb(process.memoryUsage().rss)} tras abrir PGlite en memoria`);
  try {
    const plan = await measure(() => importIndicativePlan(handle.db, { fileName: 'plan-indicativo-bench.xlsx', content: planFile, importedBy: 'bench' }));
    const report = await measure(() => importProgressReport(handle.db, { fileName: 'hoja-de-captura-bench.xlsx', content: captureFile, importedBy: 'bench' }));
    const again = await measure(() => importProgressReport(handle.db, { fileName: 'hoja-de-captura-bench.xlsx', content: captureFile, importedBy: 'bench' }));
    // A revised plan: 10 % of goals reprogrammed, 100 withdrawn, 100 new.
    const revisedGoals = [
      ...goals.slice(100).map((g, i) => (i % 10 === 0 ? { ...g, programming: g.programming.map((v) => v + 1) } : g)),
      ...goals.slice(0, 100).map((g) => ({ ...g, code: `N-${g.code}` })),
    ];
    const revisedFile = await xlsxOf([
      { name: 'Plan Indicativo', rows: planMatrix(revisedGoals) },
      { name: 'Dependencias', rows: departmentsMatrix(departments) },
    ]);
    const revised = await measure(() => importIndicativePlan(handle.db, { fileName: 'plan-indicativo-bench-v2.xlsx', content: revisedFile, importedBy: 'bench' }));

    const rows = (label: string, file: Buffer, count: number, m: { seconds: number; peakRss: number; baseRss: number }, detail: string) =>
      console.log(
        `${label.padEnd(16)} ${mb(file.length).padStart(8)}  ${String(count).padStart(6)} filas  ${m.seconds.toFixed(2).padStart(6)} s  ` +
          `${Math.round(count / m.seconds).toLocaleString('es-CO').padStart(7)} filas/s  RSS pico ${mb(m.peakRss)} (antes ${mb(m.baseRss)})  ${detail}`,
      );
    console.log(`Node ${process.version}, PGlite en memoria, ${GOALS} metas × ${YEARS.length} años; ${capture.length} filas de captura`);
    rows('Plan Indicativo', planFile, goals.length, plan, `(${plan.result.goalsAdded.length} metas, importación ${plan.result.importId})`);
    rows('Hoja de Captura', captureFile, capture.length, report, `(${report.result.progressVersionsCreated} avances, ${report.result.programmingVersionsCreated} programaciones)`);
    console.log(`Reimportación de la misma Hoja de Captura: ${(again.seconds * 1000).toFixed(0)} ms (sin cambios: ${again.result.unchanged})`);
    rows(
      'Plan modificado',
      revisedFile,
      revisedGoals.length,
      revised,
      `(${revised.result.goalsAdded.length} nuevas, ${revised.result.goalsRemoved.length} retiradas, ${revised.result.programmingChanged.length} programaciones cambiadas)`,
    );
    const total = plan.seconds + report.seconds;
    console.log(`Total: ${total.toFixed(2)} s (objetivo < ${TARGET_SECONDS} s) — ${total < TARGET_SECONDS ? 'OK' : 'SUPERA EL OBJETIVO'}`);
    console.log(`RSS máximo del proceso (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)}`);
    process.exitCode = total < TARGET_SECONDS ? 0 : 1;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
