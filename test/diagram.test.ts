import { goalMachineDot } from '../machines/diagram';
import { finalGoalStates, goalStates } from '../machines/goalStatus';
import { goalMachineSvg } from '../server/diagram';

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
