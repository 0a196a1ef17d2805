import fs from 'node:fs';
import path from 'node:path';
import { reviewTimeline } from '../services/timeline';
import { historiesDir } from './support/histories';

const recorded = (name: string) => JSON.parse(fs.readFileSync(path.join(historiesDir, name), 'utf8'));

describe('a review timeline from its real Temporal history', () => {
  it('tells the agreement path in domain words, each entry pointing at a real event', () => {
    const history = recorded('notifications.cycle-SSAL.json');
    const timeline = reviewTimeline(history);
    expect(timeline.map((e) => e.kind)).toEqual([
      'reviewStarted',
      'alertSent',
      'responseWindowOpened',
      'responseReceived',
      'changesRequested',
      'responseReceived',
      'approved',
      'reprogrammingApplied',
      'commitmentRecorded',
      'reviewCompleted',
    ]);
    const ids = new Set(history.events.map((e: { eventId: string }) => Number(e.eventId)));
    expect(timeline.every((e) => ids.has(e.eventId))).toBe(true);
    expect(timeline.find((e) => e.kind === 'changesRequested')?.detail).toBe('Precise las fechas de cada compromiso');
    expect(timeline.find((e) => e.kind === 'responseReceived')?.actor).toMatch(/\S{3,}/);
    expect(timeline.at(-1)?.detail).toBe('Reprogramada');
  });

  // Before and after the window counted from the alert's delivery (its deadline is then the delivery activity's result).
  it.each(['notifications.cycle-SINF.json', 'before-deadline-from-delivery/notifications.cycle-SINF.json'])('tells the timeout path: alert, reminder, constancia (%s)', (file) => {
    const timeline = reviewTimeline(recorded(file));
    // How many reminders fall before the deadline depends on the weekday the history was recorded.
    const kinds = timeline.map((e) => e.kind).filter((kind, i, all) => kind !== 'reminderSent' || all[i - 1] !== 'reminderSent');
    expect(kinds).toEqual([
      'reviewStarted',
      'alertSent',
      'responseWindowOpened',
      'reminderSent',
      'noAdjustmentRecorded',
      'reviewCompleted',
    ]);
    // The deadline in words and in the office's time zone, never the ISO string of the history.
    for (const kind of ['responseWindowOpened', 'reminderSent']) {
      expect(timeline.find((e) => e.kind === kind)?.detail).toMatch(/^(alerta entregada; )?plazo: \d{1,2} de [a-z]+ de \d{4} a las \d{2}:\d{2}$/);
    }
  });
});
