import { finalReviewStates, reviewStateLabels, reviewStates, type ReviewState } from './departmentReview';
import { departmentReviewMachine } from './departmentReviewMachine';
import { goalStatusMachine, type GoalState } from './goalStatusMachine';
import { finalGoalStates, goalStateLabels, goalStates } from './goalStatus';

interface TransitionConfig {
  target?: string | string[];
  guard?: unknown;
}

/** A DOT string: quotes escaped, line breaks as DOT's own `\n`. */
const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** A guard's name as shown on an edge (parameterised classification guards show their status). */
function guardLabel(guard: unknown): string | null {
  if (!guard) return null;
  if (typeof guard === 'string') return guard;
  const { type, params } = guard as { type?: string; params?: { status?: string } };
  return params?.status ? `${type}: ${params.status}` : (type ?? null);
}

interface DrawnMachine {
  id: string;
  config: { initial?: unknown; states?: Record<string, unknown> };
}

/**
 * A machine as Graphviz DOT, generated from its definition (never drawn by hand), with `current`
 * highlighted. Events without a target (reminders, extensions, notes) are self-loops.
 */
function machineDot(machine: DrawnMachine, states: readonly string[], finals: readonly string[], labels: Record<string, string>, current?: string | null): string {
  const lines = [
    `digraph ${machine.id} {`,
    '  rankdir=LR; bgcolor="white"; node [shape=box style="rounded,filled" fillcolor="#ffffff" color="#1a1a1a" fontname="Helvetica" fontsize=11]; edge [fontname="Helvetica" fontsize=9 color="#444444"];',
    '  start [shape=point width=0.15 label=""];',
    `  start -> ${quote(String(machine.config.initial))};`,
  ];
  for (const state of states) {
    const attributes = [`label=${quote(`${labels[state]}\n(${state})`)}`];
    if (finals.includes(state)) attributes.push('peripheries=2');
    // The class lets the page scroll the diagram to the current state (server/assets/diagram.js).
    if (state === current) attributes.push('fillcolor="#0b4f8a" fontcolor="#ffffff" penwidth=2 class="current-state"');
    lines.push(`  ${quote(state)} [${attributes.join(' ')}];`);
  }
  for (const [source, config] of Object.entries(machine.config.states ?? {})) {
    const on = (config as { on?: Record<string, TransitionConfig | TransitionConfig[]> }).on ?? {};
    for (const [event, transitions] of Object.entries(on)) {
      for (const transition of Array.isArray(transitions) ? transitions : [transitions]) {
        const targets = transition.target === undefined ? [source] : ([] as string[]).concat(transition.target);
        const guard = guardLabel(transition.guard);
        for (const target of targets) {
          const label = guard ? `${event}\n[${guard}]` : event;
          lines.push(`  ${quote(source)} -> ${quote(target.replace(/^\./, ''))} [label=${quote(label)}];`);
        }
      }
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/** The goal-status machine (one per flagged goal) as DOT, with `current` highlighted. */
export function goalMachineDot(current?: GoalState | null): string {
  return machineDot(goalStatusMachine, goalStates, finalGoalStates, goalStateLabels, current);
}

/** The department-review machine as DOT, with `current` highlighted. */
export function reviewMachineDot(current?: ReviewState | null): string {
  return machineDot(departmentReviewMachine, reviewStates, finalReviewStates, reviewStateLabels, current);
}
