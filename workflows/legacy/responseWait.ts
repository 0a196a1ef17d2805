import { condition } from '@temporalio/workflow';
import type { ResponseWindow } from '../../domain/responseWindow';
import { workflowNow } from '../clock';
import type { DepartmentGoals } from './departmentGoals';

export interface ResponseWaitOptions {
  goals: DepartmentGoals;
  /** Writes the machine steps taken (a moved deadline, a reminder). */
  persist: () => Promise<void>;
  /** Reminders before the deadline; empty for reviews started before reminders existed. */
  reminders: ResponseWindow[];
  scheduleReminders: (deadline: string) => Promise<string[]>;
  sendReminder: (sequence: number, deadline: string) => Promise<void>;
  /** True once the review was cancelled: the wait ends at once. */
  cancelled: () => boolean;
}

export type ResponseWaitResult = 'answered' | 'deadlinePassed' | 'cancelled';

/**
 * Waits for the liaison's response until the deadline, sending the reminders on the workflow's
 * own durable timers. A deadline extension restarts the wait (and the reminders) with the new
 * deadline. Ends when the response arrives, the deadline passes or the review is cancelled.
 */
export async function awaitResponseUntilDeadline({
  goals,
  persist,
  reminders,
  scheduleReminders,
  sendReminder,
  cancelled,
}: ResponseWaitOptions): Promise<ResponseWaitResult> {
  for (;;) {
    const deadline = goals.sharedContext.deadline;
    if (!deadline) throw new Error('awaitingResponse without a deadline');
    const stillWaiting = () => !cancelled() && goals.state === 'awaitingResponse' && goals.sharedContext.deadline === deadline;
    const until = async (instant: string) => {
      const ms = Date.parse(instant) - workflowNow().getTime();
      if (ms > 0) await condition(() => !stillWaiting(), ms);
    };

    const reminderInstants = reminders.length ? await scheduleReminders(deadline) : [];
    for (const at of reminderInstants) {
      await until(at);
      if (!stillWaiting()) break;
      await sendReminder(goals.sharedContext.remindersSent + 1, deadline);
      goals.send(() => ({ type: 'reminder.sent', at: workflowNow().toISOString() }));
      await persist();
    }
    if (stillWaiting()) await condition(() => !stillWaiting(), Math.max(Date.parse(deadline) - workflowNow().getTime(), 1));

    if (cancelled()) return 'cancelled';
    if (goals.state !== 'awaitingResponse') return 'answered';
    if (goals.sharedContext.deadline !== deadline) {
      await persist();
      continue;
    }
    return 'deadlinePassed';
  }
}
