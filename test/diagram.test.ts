import { finalReviewStates, reviewStates } from '../machines/departmentReview';
import { goalMachineDot, reviewMachineDot } from '../machines/diagram';
import { finalGoalStates, goalStates } from '../machines/goalStatus';
import { goalMachineSvg, reviewMachineSvg } from '../server/diagram';

describe('diagram of the goal-status machine, generated from its definition', () => {
  it('has every state and every event of the machine, finals marked, the current state highlighted', () => {
    const dot = goalMachineDot('awaitingResponse');
    for (const state of goalStates) expect(dot).toContain(`"${state}" [label=`);
    for (const event of ['progress.reported', 'alert.sent', 'response.window.opened', 'reminder.sent', 'deadline.extended', 'deadline.passed', 'response.submitted', 'agreement.opened', 'changes.requested', 'response.approved', 'data.invalid']) {
      expect(dot).toContain(event);
    }
    for (const state of finalGoalStates) expect(dot).toMatch(new RegExp(`"${state}" \\[label=[^\\]]*peripheries=2`));
    expect(dot).toMatch(/"awaitingResponse" \[label=[^\]]*fillcolor="#0b4f8a"/);
    expect(dot).toContain('"awaitingResponse" -> "awaitingResponse" [label="reminder.sent"]');
    expect(dot).toContain('"underAgreement" -> "reprogrammed" [label="response.approved\\n[proposesReprogramming]"]');
  });

  it('renders to SVG offline, with the Spanish state names', async () => {
    const svg = await goalMachineSvg('noAdjustment');
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain('Esperando respuesta');
    expect(svg).toContain('Negativa de ajustes registrada');
    expect(svg).toContain('fill="#0b4f8a"');
  });
});

describe('diagram of the department-review machine, generated from its definition', () => {
  it('has every state and event of the review, finals marked, guards on their edges, the current state highlighted', () => {
    const dot = reviewMachineDot('underAgreement');
    for (const state of reviewStates) expect(dot).toContain(`"${state}" [label=`);
    for (const event of ['alert.recorded', 'response.window.opened', 'reminder.due', 'deadline.extended', 'alert.resent', 'deadline.reached', 'response.submitted', 'decision.made', 'changes.requested', 'decision.applied', 'note.added', 'review.cancelled', 'data.invalid']) {
      expect(dot).toContain(event);
    }
    for (const state of finalReviewStates) expect(dot).toMatch(new RegExp(`"${state}" \\[label=[^\\]]*peripheries=2`));
    expect(dot).toMatch(/"underAgreement" \[label=[^\]]*fillcolor="#0b4f8a"/);
    expect(dot).toContain('"awaitingResponse" -> "awaitingResponse" [label="reminder.due"]');
    expect(dot).toContain('"underAgreement" -> "approving" [label="decision.made\\n[approves]"]');
    expect(dot).toContain('"approving" -> "keptWithCommitment" [label="decision.applied\\n[keepsEveryGoal]"]');
  });

  it('renders to SVG offline, with the Spanish state names', async () => {
    const svg = await reviewMachineSvg('awaitingResponse');
    expect(svg).toContain('Esperando respuesta');
    expect(svg).toContain('Solicitando ajustes');
    expect(svg).toContain('fill="#0b4f8a"');
  });
});
