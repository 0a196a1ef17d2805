import type { GoalStatusEvent } from '../../machines/goalStatusMachine';
import { advanceGoal, type GoalEffect, type GoalState, type SavedGoalState } from '../../machines/goalStatus';
import type { FlaggedGoal, GoalView } from '../types';

/**
 * One machine step for the `recordGoalStates` activity: the event, not the snapshot. The activity
 * replays it on the stored snapshot with the same pure machine, so the database keeps every
 * snapshot while the workflow history carries only events (a few hundred bytes per goal instead of
 * the whole context). Step 0 is the classification, rebuilt from its measurement and thresholds.
 */
export interface GoalStepRecord {
  goalCode: string;
  sequence: number;
  /** The state the workflow reached: the activity checks its replay against it. */
  state: GoalState;
  event: GoalStatusEvent;
}

/** What steps recorded before events replaced snapshots carried (still accepted by the activity). */
export interface LegacyGoalStepRecord {
  goalCode: string;
  sequence: number;
  state: GoalState;
  snapshot: SavedGoalState;
  event: string;
}

/**
 * The flagged goals of one department review, each with its goal-status machine.
 * Every department-level event is fed to every goal; the effects the machines return are
 * collected per kind so the workflow performs each once for the goals concerned.
 */
export class DepartmentGoals {
  private readonly goals: Map<string, { goal: FlaggedGoal; state: SavedGoalState; sequence: number }>;
  private unrecorded: GoalStepRecord[] = [];

  constructor(goals: FlaggedGoal[]) {
    this.goals = new Map(goals.map((g) => [g.goalCode, { goal: g, state: g.state, sequence: 0 }]));
    for (const entry of this.goals.values()) {
      const measurement = entry.state.context.measurement;
      if (measurement) this.remember(entry.goal.goalCode, entry.state, 0, { type: 'progress.reported', measurement });
    }
  }

  get codes(): string[] {
    return [...this.goals.keys()];
  }

  has(goalCode: string): boolean {
    return this.goals.has(goalCode);
  }

  goal(goalCode: string): FlaggedGoal | undefined {
    return this.goals.get(goalCode)?.goal;
  }

  stateOf(goalCode: string): SavedGoalState | undefined {
    return this.goals.get(goalCode)?.state;
  }

  /** Sends an event to every goal (or to the goals `eventFor` returns an event for). */
  send(eventFor: (goalCode: string) => GoalStatusEvent | null): Map<GoalEffect, string[]> {
    const effects = new Map<GoalEffect, string[]>();
    for (const entry of this.goals.values()) {
      const event = eventFor(entry.goal.goalCode);
      if (!event) continue;
      const step = advanceGoal(entry.state, event);
      if (!step.accepted) continue;
      entry.state = step.state;
      entry.sequence += 1;
      this.remember(entry.goal.goalCode, entry.state, entry.sequence, event);
      for (const effect of step.effects) effects.set(effect, [...(effects.get(effect) ?? []), entry.goal.goalCode]);
    }
    return effects;
  }

  /** The department's state in machine terms: the goals' common state, or the least advanced one. */
  get state(): GoalState {
    const states = [...this.goals.values()].map((e) => e.state.value);
    const distinct = [...new Set(states)];
    if (distinct.length === 1) return distinct[0] as GoalState;
    if (distinct.every((s) => s === 'reprogrammed' || s === 'keptWithCommitment')) return 'reprogrammed';
    return (distinct.find((s) => s !== 'reprogrammed' && s !== 'keptWithCommitment') ?? distinct[0]) as GoalState;
  }

  /** Any goal's context: department-wide facts (deadline, alert time) are the same in every goal. */
  get sharedContext() {
    const first = this.goals.values().next().value;
    if (!first) throw new Error('A department review needs at least one goal');
    return first.state.context;
  }

  /** Machine steps not yet written to the database; reading them empties the buffer. */
  takeUnrecorded(): GoalStepRecord[] {
    const records = this.unrecorded;
    this.unrecorded = [];
    return records;
  }

  views(): GoalView[] {
    return [...this.goals.values()].map(({ goal, state }) => ({
      goalCode: goal.goalCode,
      name: goal.name,
      state: state.value,
      status: state.context.status,
      measurement: state.context.measurement,
      programming: goal.programming,
      term: goal.term ?? null,
      answer: state.context.answer,
    }));
  }

  private remember(goalCode: string, state: SavedGoalState, sequence: number, event: GoalStatusEvent) {
    this.unrecorded.push({ goalCode, sequence, state: state.value, event });
  }
}
