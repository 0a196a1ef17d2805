/**
 * `npm run metas -- …`: the administrators' command line. It talks to the running application's
 * API (the embedded database belongs to one process), so `npm start` must be running, or
 * METAS_API_URL must point at a deployed instance.
 */
import { Command } from 'commander';
import { goalStatusLabels } from '../domain/goals';
import { goalStateLabels } from '../machines/goalStatus';
import type { CycleStatus } from '../services/cycles';
import type { GoalHistory } from '../services/goalHistory';
import { registerOperationCommands } from './cli/operations';
import { registerDepartmentCommands } from './cli/departments';
import { registerCouncilCommands } from './cli/concejo';
import { registerImportCommands } from './cli/imports';
import { registerDashboardCommands } from './cli/dashboard';
import { registerAccountCommands } from './cli/accounts';
import { registerActionPlanCommands } from './cli/actionPlan';
import { api, ApiError, integer } from './cli/client';
import { cycleTitle, formatDateTime } from '../domain/format';
import { parseCycleWorkflowId } from '../domain/workflowIds';
import { reviewStateLabel } from '../server/reviewWords';

const cyclePhaseWords: Record<string, string> = { loading: 'cargando los datos', classifying: 'clasificando las metas', reviewing: 'en revisión', completed: 'terminado' };
const executionWords: Record<string, string> = { RUNNING: 'en ejecución', COMPLETED: 'completado', FAILED: 'falló', CANCELLED: 'cancelado', TERMINATED: 'terminado a la fuerza', TIMED_OUT: 'venció' };

/** "Revisión trimestral 2026 · T3 (revision-2026-T3)": the title, with the ID the other commands take. */
function cycleName(workflowId: string): string {
  const parsed = parseCycleWorkflowId(workflowId);
  return parsed ? `${cycleTitle(parsed.fiscalYear, parsed.quarter)} (${workflowId})` : workflowId;
}

function printStatus(status: CycleStatus) {
  const { cycle } = status;
  console.log(`${cycleTitle(cycle.fiscalYear, cycle.quarter)} (${status.workflowId}) — ${cyclePhaseWords[cycle.phase] ?? cycle.phase} (flujo ${executionWords[status.execution] ?? status.execution})`);
  const totals = Object.entries(cycle.totals)
    .map(([s, n]) => `${goalStatusLabels[s as keyof typeof goalStatusLabels]}: ${n}`)
    .join(' · ');
  console.log(`Metas: ${totals || 'sin clasificar aún'}`);
  for (const review of status.reviews) {
    console.log(`\n${review.department.name} (${review.department.code}) — ${review.workflowId}`);
    console.log(`  Estado: ${reviewStateLabel(review.state, review.changeRequests.length)}${review.deadline ? ` · plazo: ${formatDateTime(review.deadline)}` : ''}`);
    for (const goal of review.goals) {
      const status = goal.status ? goalStatusLabels[goal.status] : '—';
      console.log(`  - ${goal.goalCode} ${goal.name}: ${goalStateLabels[goal.state]} · clasificación ${status}`);
    }
  }
}

const program = new Command('metas').description('Metas PDM: revisión trimestral de metas de producto (PE-P-008)');
const cycle = program.command('cycle').description('ciclos de revisión trimestral');

cycle
  .command('start')
  .description('inicia (o retoma) el ciclo de revisión de un trimestre')
  .requiredOption('--year <year>', 'vigencia, p. ej. 2026', integer('--year'))
  .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
  .option('--window <window>', 'plazo de respuesta: 10d (días hábiles), 48h, 2m, 30s')
  .option('--reminders <list>', 'recordatorios antes del plazo: 5,1 (días hábiles) o p. ej. 20s en simulacros')
  .option('--json', 'salida JSON')
  .action(async (opts: { year: number; quarter: number; window?: string; reminders?: string; json?: boolean }) => {
    const { data } = await api<{ workflowId: string; created: boolean }>('POST', '/api/cycles', {
      fiscalYear: opts.year,
      quarter: opts.quarter,
      window: opts.window,
      reminders: opts.reminders,
    });
    if (opts.json) console.log(JSON.stringify(data));
    else console.log(data.created ? `Ciclo iniciado: ${cycleName(data.workflowId)}` : `El ciclo ya existía: ${cycleName(data.workflowId)} (no se creó otro)`);
  });

cycle
  .command('status <workflowId>')
  .description('estado de cada dependencia y de cada meta del ciclo')
  .option('--json', 'salida JSON')
  .action(async (workflowId: string, opts: { json?: boolean }) => {
    const { data } = await api<CycleStatus>('GET', `/api/cycles/${encodeURIComponent(workflowId)}`);
    if (opts.json) console.log(JSON.stringify(data, null, 2));
    else printStatus(data);
  });

registerImportCommands(program);
registerDashboardCommands(program);
registerActionPlanCommands(program);

const outbox = program.command('outbox').description('correos enviados o en la bandeja de salida');
outbox
  .command('list')
  .description('lista los correos (los más recientes primero)')
  .option('--limit <n>', 'cuántos', '20')
  .option('--json', 'salida JSON')
  .action(async (opts: { limit: string; json?: boolean }) => {
    const { data } = await api<{ total: number; items: { id: number; to: string[]; subject: string; status: string; createdAt: string }[] }>(
      'GET',
      `/api/outbox?limit=${encodeURIComponent(opts.limit)}`,
    );
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log(`${data.total} correos`);
    for (const m of data.items) console.log(`  #${m.id} ${m.createdAt} [${m.status}] ${m.to.join(', ')} — ${m.subject}`);
  });

registerAccountCommands(program);

const goal = program.command('goal').description('metas de producto');
goal
  .command('history <goalCode>')
  .description('historia completa de una meta: versiones de programación, avance, estado por trimestre y revisiones')
  .option('--json', 'salida JSON')
  .action(async (goalCode: string, opts: { json?: boolean }) => {
    const { data } = await api<GoalHistory>('GET', `/api/goals/${encodeURIComponent(goalCode)}/history`);
    if (opts.json) return console.log(JSON.stringify(data, null, 2));
    console.log(`${data.goal.code} — ${data.goal.name} (${data.goal.departmentName})`);
    console.log(`Meta cuatrienio: ${data.goal.termTarget} ${data.goal.unit} · ${data.goal.active ? 'activa' : 'retirada del plan'}`);
    console.log('\nProgramación:');
    for (const v of data.programming) {
      const by = v.reprogramming ? ` · reprogramada en ${v.reprogramming.reviewWorkflowId}, aprobó ${v.reprogramming.approvedBy}` : '';
      console.log(`  ${v.fiscalYear} v${v.version}: ${v.annualTarget ?? '—'} [${(v.quarterlyTargets ?? []).join(', ')}] — ${v.reason}${by}`);
    }
    console.log('\nAvance:');
    for (const p of data.progress) console.log(`  ${p.fiscalYear} T${p.quarter} v${p.version}: ${p.executed}${p.evidence ? ` · ${p.evidence}` : ''}`);
    console.log('\nEstado por trimestre:');
    for (const s of data.statuses) console.log(`  ${s.fiscalYear} T${s.quarter}: ${s.status ? goalStatusLabels[s.status] : '—'}`);
    console.log('\nRevisiones:');
    for (const r of data.reviews) {
      console.log(`  ${r.reviewWorkflowId}: ${r.states.map((x) => x.state).join(' → ')}${r.outcome ? ` (${r.outcome})` : ''}`);
    }
  });

registerOperationCommands(program, api);
registerDepartmentCommands(program, api);
registerCouncilCommands(program);

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof ApiError) {
    console.error(`Error: ${error.message}`);
    for (const detail of error.details) console.error(`  - ${detail}`);
  } else {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
