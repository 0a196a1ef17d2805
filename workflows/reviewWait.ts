import { condition } from '@temporalio/workflow';
import type { ResponseWindow } from '../domain/responseWindow';
import { workflowNow } from './clock';
import type { ReviewDriver } from './reviewDriver';
import { localActivities } from './reviewEffects';

/**
 * The workflow owns the review's time: it waits for the liaison's response on durable timers,
 * tells the machine each reminder that falls due and the deadline when it is reached. Returns as
 * soon as the response window closes or moves (a response, an extension, a cancellation); the
 * caller waits again with the new deadline.
 */
export async function waitForResponse(review: ReviewDriver, reminders: ResponseWindow[]): Promise<void> {
  const deadline = review.context.deadline;
  if (!deadline) throw new Error('awaitingResponse without a deadline');
  const stillWaiting = () => review.state === 'awaitingResponse' && review.context.deadline === deadline;
  const until = async (instant: string, atLeastMs = 0) => {
    const ms = Math.max(Date.parse(instant) - workflowNow().getTime(), atLeastMs);
    if (ms > 0) await condition(() => !stillWaiting(), ms);
    // An update may still be performing its effects: act only after them.
    await review.settled();
  };

  const reminderInstants = reminders.length
    ? (await review.inTurn(() => localActivities.scheduleReminders({ deadline, reminders, from: workflowNow().toISOString() }))).instants
    : [];
  for (const at of reminderInstants) {
    await until(at);
    if (!stillWaiting()) return;
    await review.send({ type: 'reminder.due', at: workflowNow().toISOString() });
  }
  await until(deadline, 1);
  // The machine refuses a deadline that was moved meanwhile.
  if (stillWaiting()) await review.send({ type: 'deadline.reached', deadline });
}
