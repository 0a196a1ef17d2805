/**
 * The floor of the benchmark: the cheapest workflows Temporal can run for the shape of a quarterly
 * cycle. One parent starts one child per department review; each child waits for one update (the
 * liaison's answer) or its timer (the deadline) and returns. No activities, no state machine, no
 * database, tiny payloads. Bundled on its own for its own worker.
 */
import { condition, defineUpdate, setHandler, startChild, workflowInfo } from '@temporalio/workflow';

export const floorAnswerUpdate = defineUpdate<'answered', []>('floorAnswer');

export interface FloorCycleInput {
  departments: string[];
  windowMs: number;
}

export async function floorCycle(input: FloorCycleInput): Promise<Record<string, 'answered' | 'timedOut'>> {
  const parentId = workflowInfo().workflowId;
  const children = await Promise.all(
    input.departments.map((code) => startChild(floorReview, { workflowId: `${parentId}-${code}`, args: [input.windowMs] })),
  );
  const outcomes: Record<string, 'answered' | 'timedOut'> = {};
  await Promise.all(children.map(async (child, i) => (outcomes[input.departments[i] as string] = await child.result())));
  return outcomes;
}

export async function floorReview(windowMs: number): Promise<'answered' | 'timedOut'> {
  let answered = false;
  setHandler(floorAnswerUpdate, () => {
    answered = true;
    return 'answered' as const;
  });
  return (await condition(() => answered, windowMs)) ? 'answered' : 'timedOut';
}
