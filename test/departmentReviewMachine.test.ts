import { createTestModel, getShortestPaths } from 'xstate/graph';
import { defaultThresholds, measureGoal } from '../domain/goals';
import type { Decision, GoalAnswer } from '../domain/review';
import { advanceGoal, startGoal } from '../machines/goalStatus';
import {
  advanceReview,
  allowedReviewActions,
  allowedReviewActionsIn,
  finalReviewStates,
  reviewOutcome,
  reviewStateLabels,
  reviewStates,
  startReview,
  type ReviewEffectName,
  type ReviewSnapshot,
  type ReviewState,
} from '../machines/departmentReview';
import { departmentReviewMachine, type DepartmentReviewEvent, type ReviewMachineInput } from '../machines/departmentReviewMachine';

// Two flagged goals of one department: one behind, one not started.
const flagged = (goalCode: string, executedQ1: number | null) =>
  advanceGoal(startGoal({ goalCode, thresholds: defaultThresholds }), {
    type: 'progress.reported',
    measurement: measureGoal('sum', { annualTarget: 100, quarterlyTargets: null }, [executedQ1, null, null, null], 1),
  }).state;
const input: ReviewMachineInput = { goals: [{ goalCode: 'M-1', state: flagged('M-1', 10) }, { goalCode: 'M-2', state: flagged('M-2', null) }] };

const keep = (goalCode: string): GoalAnswer => ({
  goalCode,
  action: 'keep',
  justification: 'La contratación se firmó en marzo y la ejecución arranca en abril.',
  commitment: 'Entregar el 50 % de la meta al cierre del segundo trimestre.',
});
const reprogram = (goalCode: string): GoalAnswer => ({
  goalCode,
  action: 'reprogram',
  justification: 'El recorte presupuestal de la vigencia obliga a mover la meta.',
  commitment: 'Concentrar la ejecución en el segundo semestre.',
  newQuarterlyTargets: [10, 20, 30, 40],
});
const approve: Decision = { decision: 'approve', coordinator: 'Coordinadora de Planeación' };
const requestChanges: Decision = { decision: 'requestChanges', coordinator: 'Coordinadora de Planeación', comment: 'Precise el cronograma de los compromisos.' };

const alertRecorded: DepartmentReviewEvent = { type: 'alert.recorded', at: '2026-04-06T14:00:00.000Z' };
const windowOpened: DepartmentReviewEvent = { type: 'response.window.opened', deadline: '2026-04-21T04:59:59.999Z' };
const reminder: DepartmentReviewEvent = { type: 'reminder.due', at: '2026-04-15T14:00:00.000Z' };
const extended: DepartmentReviewEvent = { type: 'deadline.extended', deadline: '2026-04-28T04:59:59.999Z', reason: 'Cierre contable (Coordinadora)' };
const deadlineReached: DepartmentReviewEvent = { type: 'deadline.reached', deadline: '2026-04-21T04:59:59.999Z' };
const keepBoth: DepartmentReviewEvent = { type: 'response.submitted', respondent: { name: 'Enlace' }, answers: [keep('M-1'), keep('M-2')] };
const keepAndReprogram: DepartmentReviewEvent = { type: 'response.submitted', respondent: { name: 'Enlace' }, answers: [keep('M-1'), reprogram('M-2')] };
const approval: DepartmentReviewEvent = { type: 'decision.made', decision: approve };
const changes: DepartmentReviewEvent = { type: 'decision.made', decision: requestChanges };
const changesDeadline: DepartmentReviewEvent = { type: 'changes.requested', deadline: '2026-05-05T04:59:59.999Z', window: { amount: 5, unit: 'businessDays' } };
const applied: DepartmentReviewEvent = { type: 'decision.applied' };
const cancelled: DepartmentReviewEvent = { type: 'review.cancelled', reason: 'La secretaría fue suprimida por decreto', by: 'user:7', at: '2026-04-10T15:00:00.000Z' };

const events: DepartmentReviewEvent[] = [
  alertRecorded,
  windowOpened,
  reminder,
  extended,
  { type: 'alert.resent', coordinator: 'Coordinadora de Planeación' },
  deadlineReached,
  keepBoth,
  keepAndReprogram,
  approval,
  changes,
  changesDeadline,
  applied,
  { type: 'note.added', coordinator: 'Coordinadora de Planeación', text: 'Llamar al enlace.', at: '2026-04-07T15:00:00.000Z' },
  cancelled,
  { type: 'data.invalid', reason: 'Meta M-1: la programación de T1 no es un número finito', problems: ['M-1 T1'], at: '2026-04-06T14:00:01.000Z' },
];
type EventType = DepartmentReviewEvent['type'];

// The specification, written independently of the machine.
const allowedEvents: Record<ReviewState, readonly EventType[]> = {
  alerting: ['alert.recorded', 'note.added', 'data.invalid'],
  alerted: ['response.window.opened', 'note.added', 'data.invalid'],
  awaitingResponse: ['reminder.due', 'deadline.extended', 'alert.resent', 'deadline.reached', 'response.submitted', 'note.added', 'review.cancelled', 'data.invalid'],
  underAgreement: ['decision.made', 'note.added', 'review.cancelled', 'data.invalid'],
  approving: ['decision.applied', 'note.added', 'data.invalid'],
  requestingChanges: ['changes.requested', 'note.added', 'data.invalid'],
  noAdjustment: [],
  reprogrammed: [],
  keptWithCommitment: [],
  cancelled: [],
  dataError: [],
};

/** The effects the workflow must perform for each accepted event (the machine names them, in order). */
function expectedEffects(event: DepartmentReviewEvent): ReviewEffectName[] {
  switch (event.type) {
    case 'response.window.opened':
      return ['sendAlertEmail'];
    case 'reminder.due':
      return ['sendReminderEmail'];
    case 'alert.resent':
      return ['resendAlertEmail'];
    case 'deadline.reached':
      return ['recordNoAdjustment'];
    case 'response.submitted':
      return ['sendResponseReceipt'];
    case 'decision.made':
      return event.decision.decision === 'approve' ? ['recordDecision', 'applyReprogramming', 'recordCommitment'] : ['recordDecision'];
    case 'changes.requested':
      return ['sendChangesRequested'];
    case 'note.added':
      return ['recordNote'];
    case 'review.cancelled':
      return ['recordCancellation'];
    case 'data.invalid':
      return ['recordDataError'];
    default:
      return [];
  }
}

/** Abstract state for the graph: counters and lists left out, so self-loops do not make it infinite. */
const serializeState = (snapshot: ReviewSnapshot) =>
  JSON.stringify({
    value: snapshot.value,
    answers: Object.values(snapshot.context.goals.byCode).map((g) => g.state.context.answer?.action ?? null),
    decision: snapshot.context.pendingDecision?.decision ?? null,
  });
const traversal = { input, events, serializeState };

/** Runs events through the public API (startReview/advanceReview); every event must be accepted. */
function run(sent: DepartmentReviewEvent[]) {
  let step = startReview(input);
  const effects = [step.effects];
  for (const event of sent) {
    step = advanceReview(step.snapshot, event);
    if (!step.accepted) throw new Error(`${event.type} rejected in ${String(step.snapshot.value)}`);
    effects.push(step.effects);
  }
  return { snapshot: step.snapshot, effects };
}
const toAwaiting = [alertRecorded, windowOpened];

describe('departmentReviewMachine: reachability (xstate/graph)', () => {
  const reached = new Set(getShortestPaths(departmentReviewMachine, traversal).map((p) => p.state.value as ReviewState));

  it('reaches every state, and its final states are the outcomes', () => {
    expect([...reached].sort()).toEqual([...reviewStates].sort());
    expect(finalReviewStates.sort()).toEqual(['cancelled', 'dataError', 'keptWithCommitment', 'noAdjustment', 'reprogrammed']);
    for (const state of reviewStates) expect(reviewStateLabels[state]).toMatch(/\S/);
  });

  it('accepts exactly the events of the specification in each state', () => {
    for (const path of getShortestPaths(departmentReviewMachine, traversal)) {
      // The deadline timer names the deadline it was set for (a moved deadline makes it stale).
      const probes = events.map((e) => (e.type === 'deadline.reached' ? { ...e, deadline: path.state.context.deadline ?? '' } : e));
      const accepted = [...new Set(probes.filter((e) => path.state.can(e)).map((e) => e.type))].sort();
      expect({ state: path.state.value, accepted }).toEqual({ state: path.state.value, accepted: [...allowedEvents[path.state.value as ReviewState]].sort() });
    }
  });
});

describe('departmentReviewMachine: model-based replay of every simple path (createTestModel)', () => {
  const model = createTestModel(departmentReviewMachine, traversal);
  const paths = model.getSimplePaths();

  it('explores a non-trivial number of paths', () => {
    expect(paths.length).toBeGreaterThan(reviewStates.length);
  });

  it.each(paths.map((p, i) => [`${i}: ${p.steps.map((s) => s.event.type).join(' → ')}`, p] as const))('%s', async (_name, path) => {
    let step = startReview(input);
    expect(step.effects.map((e) => e.type)).toEqual(['recordAlert']);
    const exec = ({ event }: { event: DepartmentReviewEvent }) => {
      step = advanceReview(step.snapshot, event);
      expect(step.accepted).toBe(true);
      expect(step.effects.map((e) => e.type)).toEqual(expectedEffects(event));
    };
    await path.test({
      events: Object.fromEntries(events.map((e) => [e.type, exec])) as Parameters<typeof path.test>[0]['events'],
      states: {
        '*': (snapshot) => {
          expect(serializeState(step.snapshot)).toBe(serializeState(snapshot));
          expect(reviewOutcome(step.snapshot)).toBe(snapshot.status === 'done' ? snapshot.value : null);
        },
      },
    });
  });
});

describe('departmentReviewMachine: context and effect parameters', () => {
  it('keeps deadline, reminders and extensions once, for the review, and feeds every goal', () => {
    const { snapshot, effects } = run([...toAwaiting, reminder, extended, reminder]);
    expect(snapshot.context).toMatchObject({ alertedAt: '2026-04-06T14:00:00.000Z', deadline: '2026-04-28T04:59:59.999Z', remindersSent: 2, round: 1 });
    expect(snapshot.context.extensions).toEqual([{ deadline: '2026-04-28T04:59:59.999Z', reason: 'Cierre contable (Coordinadora)' }]);
    expect(effects.at(-1)).toEqual([{ type: 'sendReminderEmail', params: { sequence: 2, deadline: '2026-04-28T04:59:59.999Z' } }]);
    for (const goal of Object.values(snapshot.context.goals.byCode)) expect(goal.state.value).toBe('awaitingResponse');
    // Steps 0 (classification) to 5 for each goal, in order, ready for recordGoalStates.
    expect(snapshot.context.goals.steps.filter((s) => s.goalCode === 'M-1').map((s) => [s.sequence, s.event.type])).toEqual([
      [0, 'progress.reported'],
      [1, 'alert.sent'],
      [2, 'response.window.opened'],
      [3, 'reminder.sent'],
      [4, 'deadline.extended'],
      [5, 'reminder.sent'],
    ]);
  });

  it('names the constancia for every goal when the deadline is reached', () => {
    const { snapshot, effects } = run([...toAwaiting, deadlineReached]);
    expect(reviewOutcome(snapshot)).toBe('noAdjustment');
    expect(effects.at(-1)).toEqual([
      { type: 'recordNoAdjustment', params: { goalCodes: ['M-1', 'M-2'], alertedAt: '2026-04-06T14:00:00.000Z', deadline: '2026-04-21T04:59:59.999Z', remindersSent: 0 } },
    ]);
  });

  it('refuses a deadline timer set for a deadline that was extended meanwhile', () => {
    const { snapshot } = run([...toAwaiting, extended]);
    expect(snapshot.can(deadlineReached)).toBe(false);
    expect(snapshot.can({ type: 'deadline.reached', deadline: '2026-04-28T04:59:59.999Z' })).toBe(true);
  });

  it('applies each goal as answered: reprogrammed and kept goals in one approval', () => {
    const { snapshot, effects } = run([...toAwaiting, keepAndReprogram, approval]);
    expect(snapshot.value).toBe('approving');
    expect(effects.at(-1)).toEqual([
      { type: 'recordDecision', params: { round: 1, decision: approve } },
      { type: 'applyReprogramming', params: { approvedBy: approve.coordinator, round: 1, goals: [{ goalCode: 'M-2', answer: reprogram('M-2') }] } },
      { type: 'recordCommitment', params: { approvedBy: approve.coordinator, goals: [{ goalCode: 'M-1', answer: keep('M-1') }] } },
    ]);
    expect(reviewOutcome(advanceReview(snapshot, applied).snapshot)).toBe('reprogrammed');
    expect(reviewOutcome(run([...toAwaiting, keepBoth, approval, applied]).snapshot)).toBe('keptWithCommitment');
  });

  it('starts a new round when changes are requested, and only then allows a new response', () => {
    const before = run([...toAwaiting, keepBoth, changes]).snapshot;
    expect(before.can(keepBoth)).toBe(false);
    expect(before.context.pendingDecision).toEqual(requestChanges);
    const { snapshot, effects } = run([...toAwaiting, keepBoth, changes, changesDeadline]);
    expect(snapshot.context).toMatchObject({ round: 2, respondent: null, pendingDecision: null, deadline: '2026-05-05T04:59:59.999Z' });
    expect(snapshot.context.changeRequests).toEqual([{ comment: requestChanges.comment, deadline: '2026-05-05T04:59:59.999Z' }]);
    expect(effects.at(-1)).toEqual([
      {
        type: 'sendChangesRequested',
        params: { round: 2, coordinator: requestChanges.coordinator, comment: requestChanges.comment, deadline: '2026-05-05T04:59:59.999Z', window: { amount: 5, unit: 'businessDays' } },
      },
    ]);
    expect(snapshot.can(keepBoth)).toBe(true);
  });

  it('allows no event at all once the review has ended', () => {
    for (const ended of [run([...toAwaiting, deadlineReached]).snapshot, run([...toAwaiting, cancelled]).snapshot]) {
      expect(events.filter((e) => ended.can(e))).toEqual([]);
    }
  });
});

describe('departmentReviewMachine: allowed actions come from snapshot.can', () => {
  it('offers the liaison and the coordinator only what the current state accepts', () => {
    expect(allowedReviewActions(run(toAwaiting).snapshot)).toEqual(['submitResponse', 'extendDeadline', 'resendAlert', 'addNote', 'cancelReview']);
    expect(allowedReviewActions(run([...toAwaiting, keepBoth]).snapshot)).toEqual(['decide', 'addNote', 'cancelReview']);
    expect(allowedReviewActions(run([...toAwaiting, keepBoth, approval]).snapshot)).toEqual(['addNote']);
    expect(allowedReviewActions(run([...toAwaiting, cancelled]).snapshot)).toEqual([]);
  });

  it('gives read models the same answer from a recorded state', () => {
    expect(allowedReviewActionsIn('awaitingResponse')).toEqual(['submitResponse', 'extendDeadline', 'resendAlert', 'addNote', 'cancelReview']);
    expect(allowedReviewActionsIn('underAgreement')).toEqual(['decide', 'addNote', 'cancelReview']);
    // A goal classification before the alert, or an older review's responseReceived: running, waiting for no one.
    expect(allowedReviewActionsIn('behind')).toEqual(['addNote']);
    expect(allowedReviewActionsIn('responseReceived')).toEqual(['addNote']);
    expect(allowedReviewActionsIn('noAdjustment')).toEqual([]);
  });
});
