import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { goalStatusLabels, type GoalStatus } from '../../domain/goals';
import type { CyclePreview, WorkflowSummary } from '../../services/cycles';
import type { TimelineEntry } from '../../services/timeline';
import type { CycleMonitor } from '../../server/cyclePages';
import type { ReviewView } from '../../workflows/types';
import { reviewStateLabel } from '../../server/reviewWords';
import { cycleWorkflowId } from '../../domain/workflowIds';
import { cycleTitle, formatDateTime } from '../../domain/format';

type Api = <T>(method: 'GET' | 'POST' | 'PUT', apiPath: string, body?: unknown) => Promise<{ status: number; data: T }>;

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} debe ser un número entero`);
  return n;
};
const id = (value: string) => encodeURIComponent(value);
const cyclePhaseWords: Record<string, string> = { loading: 'cargando los datos', classifying: 'clasificando las metas', reviewing: 'en revisión', completed: 'terminado' };
const print = (json: boolean | undefined, data: unknown, text: () => void) => (json ? console.log(JSON.stringify(data, null, 2)) : text());
const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  return search.size ? `?${search}` : '';
};

function printReview(view: ReviewView) {
  console.log(`${view.workflowId} — ${view.department.name}: ${reviewStateLabel(view.state, view.changeRequests.length)}${view.deadline ? ` · plazo: ${formatDateTime(view.deadline)}` : ''}`);
}

/**
 * The command-line equivalents of the operations and administration pages: preview and follow a
 * cycle, act on a review, search workflows, read a workflow's history and the audit log.
 */
export function registerOperationCommands(program: Command, api: Api) {
  const cycle = program.commands.find((c) => c.name() === 'cycle') ?? program.command('cycle');

  cycle
    .command('preview')
    .description('qué metas recibirían alerta si se inicia el ciclo, por dependencia (no inicia nada)')
    .requiredOption('--year <year>', 'vigencia', integer('--year'))
    .requiredOption('--quarter <quarter>', 'trimestre 1 a 4', integer('--quarter'))
    .option('--json', 'salida JSON')
    .action(async (opts: { year: number; quarter: number; json?: boolean }) => {
      const { data } = await api<CyclePreview>('GET', `/api/cycles/${cycleWorkflowId(opts.year, opts.quarter)}/preview`);
      print(opts.json, data, () => {
        const flagged = data.departments.reduce((n, d) => n + d.goals.length, 0);
        console.log(`Vigencia ${data.fiscalYear}, T${data.quarter}: ${data.evaluatedGoals} metas programadas; ${flagged} de ${data.departments.length} dependencias recibirían alerta.`);
        if (data.existing) console.log(`La ${cycleTitle(data.fiscalYear, data.quarter)} ya existe (${data.workflowId}).`);
        for (const d of data.departments) {
          console.log(`\n${d.name} (${d.code})${d.liaisonEmail ? '' : ' — sin correo del enlace'}`);
          for (const g of d.goals) console.log(`  - ${g.goalCode} ${g.name}: ${goalStatusLabels[g.status as GoalStatus]}`);
        }
      });
    });

  cycle
    .command('monitor <workflowId>')
    .description('cada revisión del ciclo en palabras de la oficina, con el plazo y el tiempo restante')
    .option('--json', 'salida JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      const { data } = await api<CycleMonitor>('GET', `/api/cycles/${id(workflowId)}/monitor`);
      print(opts.json, data, () => {
        console.log(`${data.title} (${data.workflowId}) — ${data.phase === 'completed' ? 'terminado' : 'en curso'}`);
        for (const r of data.reviews) {
          console.log(`  ${r.departmentName.padEnd(40)} ${r.stateLabel}${r.timeLeft ? ` (${r.timeLeft})` : ''}${r.cancellation ? ` — motivo: ${r.cancellation.reason}` : ''}`);
        }
      });
    });

  const review = program.command('review').description('acciones sobre la revisión de una dependencia');
  const act = (name: string, description: string, path: string, body: (opts: Record<string, string>) => unknown, options: [string, string][]) => {
    const command = review.command(`${name} <reviewWorkflowId>`).description(description).option('--json', 'salida JSON');
    for (const [flags, help] of options) command.option(flags, help);
    command.action(async (reviewId: string, opts: Record<string, string> & { json?: boolean }) => {
      const { data } = await api<ReviewView>('POST', `/api/reviews/${id(reviewId)}/${path}`, body(opts));
      print(opts.json, data, () => printReview(data));
    });
  };
  act('cancel', 'cancela una revisión que espera respuesta o acuerdo (requiere motivo)', 'cancellation', (o) => ({ reason: o.reason }), [['--reason <text>', 'motivo de la cancelación']]);
  act('extend', 'amplía el plazo de respuesta', 'deadline-extension', (o) => ({ reason: o.reason, window: o.window }), [
    ['--reason <text>', 'motivo'],
    ['--window <window>', 'cuánto, p. ej. 5d'],
  ]);
  act('resend', 'reenvía la alerta con el enlace personal', 'alert-resend', () => ({}), []);
  act('note', 'agrega una nota de la coordinación', 'notes', (o) => ({ text: o.text }), [['--text <text>', 'texto de la nota']]);
  act(
    'decide',
    'aprueba la respuesta o solicita ajustes',
    'decision',
    (o) => (o.approve ? { decision: 'approve', comment: o.comment } : { decision: 'requestChanges', comment: o.comment, window: o.window }),
    [
      ['--approve', 'aprueba la respuesta (aplica la reprogramación)'],
      ['--request-changes', 'solicita ajustes (requiere --comment)'],
      ['--comment <text>', 'comentario para la dependencia'],
      ['--window <window>', 'nuevo plazo al solicitar ajustes, p. ej. 5d'],
    ],
  );

  const workflow = program.command('workflow').description('flujos de Temporal: búsqueda e historial');
  workflow
    .command('search')
    .description('busca ciclos y revisiones por vigencia, trimestre, dependencia y estado (visibilidad de Temporal)')
    .option('--year <year>', 'vigencia', integer('--year'))
    .option('--quarter <quarter>', 'trimestre', integer('--quarter'))
    .option('--department <code>', 'código de la dependencia')
    .option('--state <state>', 'estado de la revisión o fase del ciclo (p. ej. awaitingResponse, cancelled, reviewing)')
    .option('--kind <kind>', 'cycle o review')
    .option('--json', 'salida JSON')
    .action(async (opts: { year?: number; quarter?: number; department?: string; state?: string; kind?: string; json?: boolean }) => {
      const { data } = await api<WorkflowSummary[]>(
        'GET',
        `/api/workflows${query({ year: opts.year, quarter: opts.quarter, department: opts.department, state: opts.state, kind: opts.kind })}`,
      );
      print(opts.json, data, () => {
        console.log(`${data.length} flujos`);
        for (const w of data) {
          const state = w.state ? reviewStateLabel(w.state) : w.phase ? (cyclePhaseWords[w.phase] ?? w.phase) : '—';
          console.log(`  ${w.workflowId.padEnd(28)} ${w.kind === 'cycle' ? 'ciclo   ' : 'revisión'} ${state.padEnd(24)} ${w.execution}`);
        }
      });
    });
  workflow
    .command('history <workflowId>')
    .description('línea de tiempo del flujo a partir de su historial real; --download guarda el JSON reproducible')
    .option('--download <file>', 'guarda el historial en JSON (acepta Worker.runReplayHistory)')
    .option('--json', 'salida JSON')
    .action(async (workflowId: string, opts: { download?: string; json?: boolean }) => {
      const { data } = await api<{ timeline: TimelineEntry[]; events: unknown[]; temporalUiUrl: string | null }>('GET', `/api/workflows/${id(workflowId)}/history`);
      if (opts.download) {
        const history = await api<unknown>('GET', `/api/workflows/${id(workflowId)}/history.json`);
        await writeFile(opts.download, JSON.stringify(history.data));
        if (!opts.json) console.log(`Historial guardado en ${opts.download}`);
      }
      print(opts.json, data, () => {
        for (const e of data.timeline) console.log(`  ${e.time}  ${e.label}${e.actor ? ` — ${e.actor}` : ''}${e.detail ? `: ${e.detail}` : ''}  [evento ${e.eventId}]`);
        console.log(`${data.events.length} eventos${data.temporalUiUrl ? ` · ${data.temporalUiUrl}` : ''}`);
      });
    });

  program
    .command('audit')
    .description('registro de auditoría')
    .command('list')
    .option('--subject <text>', 'sujeto contiene (p. ej. un identificador de revisión)')
    .option('--action <text>', 'acción contiene (p. ej. review.)')
    .option('--limit <n>', 'cuántos', '50')
    .option('--json', 'salida JSON')
    .action(async (opts: { subject?: string; action?: string; limit: string; json?: boolean }) => {
      const { data } = await api<{ total: number; items: { createdAt: string; actor: string; action: string; subject: string }[] }>(
        'GET',
        `/api/audit${query({ subject: opts.subject, action: opts.action, limit: opts.limit })}`,
      );
      print(opts.json, data, () => {
        console.log(`${data.total} registros`);
        for (const a of data.items) console.log(`  ${a.createdAt}  ${a.actor.padEnd(24)} ${a.action.padEnd(24)} ${a.subject}`);
      });
    });
}
