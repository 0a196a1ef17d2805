/**
 * Upload limits benchmark: how long refusing expanding XLSX files takes and how much the event
 * loop is delayed meanwhile (perf_hooks.monitorEventLoopDelay), next to the time to read a
 * real-shaped 600-goal Plan Indicativo. Reads with the default limits (imports/limits.ts).
 *
 *   npx tsx scripts/benchUploadLimits.ts
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import JSZip from 'jszip';
import { readWorkbook } from '../imports/table';
import { defaultUploadLimits } from '../imports/limits';
import { goal, planXlsx } from '../test/support/importFiles';
import { xlsxBomb } from '../test/support/zipBomb';

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

async function unzipped(file: Buffer): Promise<number> {
  const zip = await JSZip.loadAsync(file);
  let total = 0;
  for (const entry of Object.values(zip.files)) if (!entry.dir) total += (await entry.async('nodebuffer')).length;
  return total;
}

async function measure(label: string, file: Buffer, inflated: string) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const start = performance.now();
  let outcome: string;
  try {
    const read = await readWorkbook({ fileName: 'plan.xlsx', content: file }, { sheetName: 'Plan Indicativo', optionalSheets: ['Dependencias'] });
    outcome = read.ok ? `leído (${read.value.main.rows.length} filas)` : `errores: ${read.errors[0]?.message}`;
  } catch (error) {
    const e = error as { httpStatus?: number; message: string };
    outcome = `${e.httpStatus ?? '?'} ${e.message}`;
  }
  const seconds = (performance.now() - start) / 1000;
  delay.disable();
  console.log(
    `${label.padEnd(44)} ${mb(file.length).padStart(8)} → ${inflated.padStart(9)}  ${seconds.toFixed(2)} s  bucle de eventos máx. ${(delay.max / 1e6).toFixed(0)} ms  ${outcome.slice(0, 90)}`,
  );
}

async function main() {
  console.log(`Límites: ${JSON.stringify(defaultUploadLimits)}\n`);
  const base = await planXlsx([goal('M-1', 'SEDU', [1, 1, 1, 1])]);
  const goals = Array.from({ length: 600 }, (_, i) =>
    goal(`M-${String(i + 1).padStart(4, '0')}`, ['SEDU', 'SSAL', 'SINF'][i % 3]!, [10, 20, 30, 40].map((v) => v + (i % 7)), {
      name: `Meta de producto número ${i + 1} del plan de desarrollo municipal`,
      indicator: `Indicador de producto número ${i + 1}`,
    }),
  );
  const plan600 = await planXlsx(goals);
  await measure('Plan Indicativo real, 600 metas', plan600, mb(await unzipped(plan600)));
  for (const [label, options] of [
    ['bomba 400 MB (tamaño declarado)', { inflatedMb: 400 }],
    ['bomba 400 MB (tamaño declarado falso)', { inflatedMb: 400, declaredBytes: 1000 }],
    ['100 MB en ~10 MB (tamaño declarado)', { inflatedMb: 100, content: 'random' }],
    ['100 MB en ~10 MB (tamaño declarado falso)', { inflatedMb: 100, content: 'random', declaredBytes: 1000 }],
  ] as const) {
    await measure(label, await xlsxBomb(base, options), `${options.inflatedMb} MB`);
  }
}

void main();
