/**
 * Import benchmark: a 5,000-goal Plan Indicativo (4 years) and its Hoja de Captura (5,000 goals ×
 * 6 quarters) built in memory as XLSX, imported into a fresh in-memory PGlite. Prints file sizes,
 * wall and CPU time, rows per second and peak RSS. Each import is held to its own target (5 s by
 * default: the plan, the Hoja de Captura and the revised plan each); the total of the first two is
 * printed as well. Exits with 1 when any file exceeds its target.
 *
 * CPU time is the process's (every thread: the parse worker and PGlite's WebAssembly included), so
 * on a machine shared with other jobs it says what the import costs when wall time is inflated by
 * waiting for a CPU.
 *
 *   npx tsx scripts/benchImport.ts [--goals 5000] [--target-seconds 5]
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../db/client';
import { importIndicativePlan, type ImportOptions, type ImportProgress, importProgressReport } from '../imports';
import { captureMatrix, type CaptureFixture, type DepartmentFixture, departmentsMatrix, type GoalFixture, planMatrix, xlsxOf } from '../test/support/importFiles';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} debe ser un número positivo`);
  return value;
}

const GOALS = option('goals', 5000);
const TARGET_SECONDS = option('target-seconds', 5);
const YEARS = [2024, 2025, 2026, 2027];
const QUARTERS: [number, number][] = [
  [2024, 1], [2024, 2], [2024, 3], [2024, 4], [2025, 1], [2025, 2],
];

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Peak RSS while `run` executes, sampled every 50 ms (synchronous stretches are caught by the next sample). */
interface Measured<T> {
  result: T;
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  baseRss: number;
  /** Wall seconds of each phase the import reported (reading, validating, saving; the rest is "otros"). */
  phases: string;
}

/** Phase timings from the import's own progress reports. */
function phaseClock(): { onProgress: (p: ImportProgress) => void; describe: (totalSeconds: number) => string } {
  const spent = new Map<ImportProgress['phase'], number>();
  let current: { phase: ImportProgress['phase']; since: number } | null = null;
  const close = (now: number) => {
    if (current) spent.set(current.phase, (spent.get(current.phase) ?? 0) + (now - current.since) / 1000);
  };
  return {
    onProgress: (p) => {
      if (current?.phase === p.phase) return;
      const now = performance.now();
      close(now);
      current = { phase: p.phase, since: now };
    },
    describe: (totalSeconds) => {
      close(performance.now());
      current = null;
      const known = [...spent.values()].reduce((a, b) => a + b, 0);
      const names = { reading: 'lectura', validating: 'validación', saving: 'guardado' } as const;
      return [...[...spent].map(([phase, s]) => `${names[phase]} ${s.toFixed(2)}`), `otros ${Math.max(0, totalSeconds - known).toFixed(2)}`].join(', ');
    },
  };
}

async function measure<T>(run: (options: ImportOptions) => Promise<T>): Promise<Measured<T>> {
  const clock = phaseClock();
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  try {
    const result = await run({ onProgress: clock.onProgress });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRss, baseRss, phases: clock.describe(seconds) };
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
    const plan = await measure((o) => importIndicativePlan(handle.db, { fileName: 'plan-indicativo-bench.xlsx', content: planFile, importedBy: 'bench' }, o));
    const report = await measure((o) => importProgressReport(handle.db, { fileName: 'hoja-de-captura-bench.xlsx', content: captureFile, importedBy: 'bench' }, o));
    const again = await measure((o) => importProgressReport(handle.db, { fileName: 'hoja-de-captura-bench.xlsx', content: captureFile, importedBy: 'bench' }, o));
    // A revised plan: 10 % of goals reprogrammed, 100 withdrawn, 100 new.
    const revisedGoals = [
      ...goals.slice(100).map((g, i) => (i % 10 === 0 ? { ...g, programming: g.programming.map((v) => v + 1) } : g)),
      ...goals.slice(0, 100).map((g) => ({ ...g, code: `N-${g.code}` })),
    ];
    const revisedFile = await xlsxOf([
      { name: 'Plan Indicativo', rows: planMatrix(revisedGoals) },
      { name: 'Dependencias', rows: departmentsMatrix(departments) },
    ]);
    const revised = await measure((o) => importIndicativePlan(handle.db, { fileName: 'plan-indicativo-bench-v2.xlsx', content: revisedFile, importedBy: 'bench' }, o));

    const overTarget: string[] = [];
    const rows = (label: string, file: Buffer, count: number, m: Measured<unknown>, detail: string) => {
      const ok = m.seconds < TARGET_SECONDS;
      if (!ok) overTarget.push(label);
      console.log(
        `${label.padEnd(16)} ${mb(file.length).padStart(8)}  ${String(count).padStart(6)} filas  ${m.seconds.toFixed(2).padStart(6)} s ` +
          `(CPU ${m.cpuSeconds.toFixed(2)} s; objetivo < ${TARGET_SECONDS} s: ${ok ? 'OK' : 'SUPERA'})  ` +
          `${Math.round(count / m.seconds).toLocaleString('es-CO').padStart(7)} filas/s  RSS pico ${mb(m.peakRss)} (antes ${mb(m.baseRss)})  ${detail}\n` +
          `${''.padEnd(17)}fases (s): ${m.phases}`,
      );
    };
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
    console.log(
      `Total del plan y la Hoja de Captura: ${total.toFixed(2)} s (CPU ${(plan.cpuSeconds + report.cpuSeconds).toFixed(2)} s) — ` +
        (overTarget.length ? `SUPERA EL OBJETIVO: ${overTarget.join(', ')}` : `cada archivo por debajo de ${TARGET_SECONDS} s`),
    );
    console.log(`RSS máximo del proceso (getrusage): ${mb(process.resourceUsage().maxRSS * 1024)}; carga del sistema (1 min): ${os.loadavg()[0]!.toFixed(2)} en ${os.cpus().length} CPU`);
    process.exitCode = overTarget.length ? 1 : 0;
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
